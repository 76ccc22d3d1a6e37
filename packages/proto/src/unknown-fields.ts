/**
 * Unknown-field preservation. WhatsApp kept adding fields to WAMessage.proto while this schema is
 * fixed; a relay, a store or a sandbox must pass such fields on untouched. Each decoded message keeps
 * the fields it does not declare under the {@link UNKNOWN_FIELDS} symbol, one `Uint8Array` per field
 * (tag and value exactly as read), and the encoder writes them back.
 * @module
 */
import type { FieldKind, FieldSpec } from './field-spec.js';
import { MESSAGE_SCHEMA, type MessageName } from './generated/schema.js';
import { readFields, WireFormatError, WireType, type WireField } from './wire.js';

/**
 * Key of the unknown fields on every decoded message object. It is a symbol so that
 * `JSON.stringify`, `Object.keys` and `for…in` do not see it, while spreading
 * (`{ ...info, status: 'READ' }`) and `Object.assign` keep it. `Symbol.for` makes two copies of
 * this package agree on it.
 * @example
 * ```ts
 * const info = decodeWebMessageInfo(bytes);
 * const extras = info[UNKNOWN_FIELDS] ?? []; // e.g. [Uint8Array [0xe8, 0x02, 0x01]] for field 45 = 1
 * encodeWebMessageInfo(info); // extras are written back unchanged
 * ```
 */
export const UNKNOWN_FIELDS: unique symbol = Symbol.for('@wa/proto.unknownFields');

/** A declared field with its name, found by field number. */
export interface NamedFieldSpec extends FieldSpec {
  readonly name: string;
}

const fieldsByNumber = new Map<MessageName, Map<number, NamedFieldSpec>>();

/**
 * The declared field of `type` with this number, if any.
 * @example
 * ```ts
 * fieldByNumber('WebMessageInfo', 3)?.name; // 'messageTimestamp'
 * ```
 */
export function fieldByNumber(type: MessageName, fieldNumber: number): NamedFieldSpec | undefined {
  let index = fieldsByNumber.get(type);
  if (!index) {
    index = new Map();
    for (const [name, spec] of Object.entries(MESSAGE_SCHEMA[type])) index.set(spec.id, { ...spec, name });
    fieldsByNumber.set(type, index);
  }
  return index.get(fieldNumber);
}

/**
 * The wire type a declared field must use.
 * @example
 * ```ts
 * wireTypeOf('fixed32'); // 5
 * ```
 */
export function wireTypeOf(kind: FieldKind): number {
  switch (kind) {
    case 'string':
    case 'bytes':
    case 'message':
      return WireType.LEN;
    case 'double':
      return WireType.I64;
    case 'float':
    case 'fixed32':
      return WireType.I32;
    default:
      return WireType.VARINT;
  }
}

/**
 * Why an unknown-field chunk cannot stand for a field of `type`, or undefined when it can: it must
 * hold exactly one well-formed field, and a field number the schema declares may appear only with
 * the declared wire type (proto2 enums are closed, so an enum value this schema lacks arrives as an
 * unknown field with a declared number). A wire-format failure is reported as a problem too, so
 * the decoder and the encoder each turn every answer into their own error in one place.
 * @example
 * ```ts
 * unknownFieldProblem('MessageKey', Uint8Array.of(0x28, 0x01)); // undefined: field 5 is unknown
 * unknownFieldProblem('MessageKey', Uint8Array.of(0x08, 0x01)); // 'field 1 (remoteJid) has wire type 0, expected 2'
 * unknownFieldProblem('MessageKey', Uint8Array.of(0x28)); // 'not a well-formed field: truncated varint'
 * ```
 */
export function unknownFieldProblem(type: MessageName, chunk: Uint8Array): string | undefined {
  let fields: WireField[];
  try {
    fields = readFields(chunk, 0, chunk.length);
  } catch (err) {
    if (!(err instanceof WireFormatError)) throw err;
    return `not a well-formed field: ${err.message}`;
  }
  if (fields.length !== 1) return `an unknown-field entry must hold exactly one field, not ${fields.length}`;
  const { fieldNumber, wireType } = fields[0]!;
  const declared = fieldByNumber(type, fieldNumber);
  if (declared && wireTypeOf(declared.kind) !== wireType) {
    return `field ${fieldNumber} (${declared.name}) has wire type ${wireType}, expected ${wireTypeOf(declared.kind)}`;
  }
  return undefined;
}

function copySorted(src: Uint8Array, start: number, end: number, type: MessageName, out: Uint8Array, outPos: number): void {
  // Array.prototype.sort is stable, so repeated fields keep their order.
  const fields = readFields(src, start, end).sort((a, b) => a.fieldNumber - b.fieldNumber);
  for (const field of fields) {
    const declared = fieldByNumber(type, field.fieldNumber);
    if (declared?.kind === 'message' && field.wireType === WireType.LEN) {
      const header = field.valueStart - field.start;
      out.set(src.subarray(field.start, field.valueStart), outPos);
      copySorted(src, field.valueStart, field.end, declared.type as MessageName, out, outPos + header);
    } else {
      out.set(src.subarray(field.start, field.end), outPos);
    }
    outPos += field.end - field.start;
  }
}

/**
 * The same message with the fields of every (nested) message in ascending field-number order.
 * protobufjs writes unknown fields after the declared ones; every standard serializer writes all
 * fields in number order, so this step makes a decode→encode round trip give back the original
 * bytes. Lengths do not change, so nested messages are reordered in place.
 * @example
 * ```ts
 * sortFieldsByNumber(Uint8Array.of(0x22, 0x00, 0x10, 0x01), 'MessageKey'); // [0x10, 0x01, 0x22, 0x00]
 * ```
 */
export function sortFieldsByNumber(bytes: Uint8Array, type: MessageName): Uint8Array {
  const out = new Uint8Array(bytes.length);
  copySorted(bytes, 0, bytes.length, type, out, 0);
  return out;
}
