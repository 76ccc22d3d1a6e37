/**
 * The reference decoder the direct one (src/plain-decoder.ts) is checked against: protobufjs's
 * own static decoder (generated code and reader, not ours), then a conversion of its message
 * objects to the plain form (what @wa/proto did before it read the wire format itself).
 */
import { ProtoDecodeError } from '../../src/errors.ts';
import type { FieldSpec } from '../../src/field-spec.ts';
import { ENUMS, MESSAGE_SCHEMA, type MessageName } from '../../src/generated/schema.ts';
import { protobufRuntime, staticCodecs } from '../../src/generated/wa-message.ts';
import { UNKNOWN_FIELDS, unknownFieldProblem } from '../../src/unknown-fields.ts';

type StaticMessage = Record<string, unknown> & { $unknowns?: Uint8Array[] };
type Plain = Record<string | symbol, unknown>;

function enumName(type: string, value: number): string | undefined {
  return Object.entries(ENUMS[type]!).find(([, number]) => number === value)?.[0];
}

function decimal(value: { low: number; high: number } | number, signed: boolean): string {
  if (typeof value === 'number') return String(value);
  const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return (signed ? BigInt.asIntN(64, bits) : bits).toString();
}

function plainValue(spec: FieldSpec, value: unknown, source: Uint8Array): unknown {
  switch (spec.kind) {
    case 'bytes':
      return new Uint8Array(value as Uint8Array);
    case 'uint64':
    case 'int64':
      return decimal(value as { low: number; high: number }, spec.kind === 'int64');
    case 'enum':
      return enumName(spec.type!, value as number);
    case 'message':
      return toPlain(value as StaticMessage, spec.type as MessageName, source);
    default:
      return value;
  }
}

function toPlain(message: StaticMessage, type: MessageName, source: Uint8Array): Plain {
  const out: Plain = {};
  // Schema order; the generated prototypes carry proto defaults, only own properties were on the wire.
  for (const [name, spec] of Object.entries(MESSAGE_SCHEMA[type])) {
    if (!Object.hasOwn(message, name)) continue;
    const value = message[name];
    if (spec.repeated) {
      const list = value as unknown[];
      if (list.length > 0) out[name] = list.map((item) => plainValue(spec, item, source));
    } else if (value !== null && value !== undefined) {
      out[name] = plainValue(spec, value, source);
    }
  }
  const unknowns = message.$unknowns;
  if (unknowns && unknowns.length > 0) {
    out[UNKNOWN_FIELDS] = unknowns.map((chunk) => {
      const problem = unknownFieldProblem(type, chunk);
      if (problem !== undefined) throw new ProtoDecodeError('MALFORMED', `${type}: ${problem}`, chunk.byteOffset - source.byteOffset);
      return new Uint8Array(chunk);
    });
  }
  return out;
}

/**
 * `bytes` decoded as `type` by protobufjs, in the plain form.
 * @throws ProtoDecodeError `MISSING_REQUIRED` or `MALFORMED`, as the public decoders.
 */
export function referenceDecode(bytes: Uint8Array, type: MessageName): Plain {
  const reader = protobufRuntime.createReader(bytes);
  reader.discardUnknown = false;
  let decoded: StaticMessage;
  try {
    decoded = staticCodecs[type].decode(reader) as StaticMessage;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (protobufRuntime.isProtocolError(error)) throw new ProtoDecodeError('MISSING_REQUIRED', `${type}: ${reason}`);
    throw new ProtoDecodeError('MALFORMED', `${type}: ${reason}`, reader.pos);
  }
  return toPlain(decoded, type, bytes);
}
