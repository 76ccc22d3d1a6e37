/** Seeded random messages (plain objects of any schema type) and byte mutations, for fuzzing. */
import { ENUMS, MESSAGE_SCHEMA, type MessageName } from '../../src/generated/schema.ts';
import { encodeWebMessageInfo, type WebMessageInfo } from '../../src/index.ts';

export type Random = () => number;

/** An integer in [0, below). */
export const int = (random: Random, below: number): number => Math.floor(random() * below);

function randomValue(random: Random, kind: string, type: string | undefined, depth: number): unknown {
  switch (kind) {
    case 'string':
      return Array.from({ length: int(random, 12) }, () => String.fromCodePoint(int(random, 4) === 0 ? 0x1f600 + int(random, 40) : 0x20 + int(random, 0x5e))).join('');
    case 'bytes':
      return Uint8Array.from({ length: int(random, 20) }, () => int(random, 256));
    case 'bool':
      return random() < 0.5;
    case 'uint32':
    case 'fixed32':
      return int(random, 2 ** 32);
    case 'double':
      return (random() - 0.5) * 1e6;
    case 'float':
      // A value a 32-bit float holds exactly, so the round trip is exact.
      return Math.fround((random() - 0.5) * 1e3);
    case 'uint64':
      return (BigInt(int(random, 2 ** 32)) * 2n ** 32n + BigInt(int(random, 2 ** 32))).toString();
    case 'int64':
      return BigInt.asIntN(64, BigInt(int(random, 2 ** 32)) * 2n ** 32n + BigInt(int(random, 2 ** 32))).toString();
    case 'enum': {
      const names = Object.keys(ENUMS[type!]!);
      return names[int(random, names.length)];
    }
    default:
      return randomMessage(random, type as MessageName, depth + 1);
  }
}

export function randomMessage(random: Random, type: MessageName, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(MESSAGE_SCHEMA[type])) {
    const isMessage = spec.kind === 'message';
    if (!spec.required && random() > (isMessage ? 0.5 / (depth + 1) : 0.4)) continue;
    out[name] = spec.repeated
      ? Array.from({ length: 1 + int(random, 3) }, () => randomValue(random, spec.kind, spec.type, depth))
      : randomValue(random, spec.kind, spec.type, depth);
  }
  return out;
}

export function mutate(random: Random, bytes: Uint8Array): Uint8Array {
  const out = Array.from(bytes);
  const edits = 1 + int(random, 4);
  for (let i = 0; i < edits; i++) {
    const at = int(random, out.length + 1);
    switch (int(random, 5)) {
      case 0:
        if (at < out.length) out[at] = out[at]! ^ (1 << int(random, 8));
        break;
      case 1:
        out.splice(at, 0, int(random, 256));
        break;
      case 2:
        out.splice(at, 1 + int(random, 3));
        break;
      case 3:
        out.length = at;
        break;
      default:
        if (at < out.length) out[at] = [0x00, 0x7f, 0x80, 0xff][int(random, 4)]!;
    }
  }
  return Uint8Array.from(out);
}


/** The bytes of `count` random valid WebMessageInfos. */
export function randomInfoBytes(random: Random, count: number): Uint8Array[] {
  return Array.from({ length: count }, () => encodeWebMessageInfo(randomMessage(random, 'WebMessageInfo', 0) as unknown as WebMessageInfo));
}

/** `rounds` mutations of random members of `corpus`, each handed to `probe`; how often each outcome came. */
export function mutationOutcomes(random: Random, corpus: readonly Uint8Array[], rounds: number, probe: (bytes: Uint8Array) => 'decoded' | 'rejected'): Record<'decoded' | 'rejected', number> {
  const outcomes = { decoded: 0, rejected: 0 };
  for (let i = 0; i < rounds; i++) outcomes[probe(mutate(random, corpus[int(random, corpus.length)]!))]++;
  return outcomes;
}
