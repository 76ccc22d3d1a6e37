/**
 * Decodes protobuf bytes straight into the plain-object form, driven by the generated field table
 * (`MESSAGE_SCHEMA`): no pbjs message objects with their prototype defaults, no `Long`s, no second
 * walk to convert them. The result is what pbjs's static decoder followed by the conversion gave
 * (a test decodes with both and compares): 64-bit integers as decimal strings, enums by name,
 * bytes copied, absent fields absent, fields in schema order, a repeated singular message merged
 * into the first, unknown fields (and enum values the schema lacks) under {@link UNKNOWN_FIELDS},
 * strings read by protobufjs's own UTF-8 reader. One difference, on input no serializer writes: an
 * over-long varint of a 32-bit field (6 to 10 bytes for a value that fits in 5) is read to its
 * end, as protobuf's reference parsers do, where protobufjs always skips 10 bytes; tags and
 * lengths longer than 5 bytes are refused.
 * @module
 */
import $protobuf from 'protobufjs/minimal.js';
import { ProtoDecodeError } from './errors.js';
import type { FieldSpec } from './field-spec.js';
import { enumNames } from './enum-names.js';
import { MESSAGE_SCHEMA, type MessageName } from './generated/schema.js';
import { UNKNOWN_FIELDS, wireTypeOf } from './unknown-fields.js';
import { MAX_DEPTH, readField, WireFormatError } from './wire.js';

const readUtf8: (buffer: Uint8Array, start: number, end: number) => string = $protobuf.util.utf8.read;

/** A declared field as the decoder needs it. */
interface DecodedField {
  readonly name: string;
  readonly spec: FieldSpec;
  /** The wire type the field must arrive with. */
  readonly wireType: number;
  /** Its place in the schema (decoded objects list their fields in this order). */
  readonly position: number;
  /** Enum values by number, for enum fields. */
  readonly enumNames?: ReadonlyMap<number, string>;
}

interface TypeTable {
  /** Declared fields by field number (sparse). */
  readonly byNumber: readonly (DecodedField | undefined)[];
  readonly required: readonly string[];
  readonly position: ReadonlyMap<string, number>;
}

const tables = new Map<MessageName, TypeTable>();

function tableOf(type: MessageName): TypeTable {
  let table = tables.get(type);
  if (table === undefined) {
    const byNumber: (DecodedField | undefined)[] = [];
    const position = new Map<string, number>();
    const required: string[] = [];
    Object.entries(MESSAGE_SCHEMA[type]).forEach(([name, spec], index) => {
      byNumber[spec.id] = { name, spec, wireType: wireTypeOf(spec.kind), position: index, ...(spec.kind === 'enum' && { enumNames: enumNames(spec.type!) }) };
      position.set(name, index);
      if (spec.required) required.push(name);
    });
    table = { byNumber, required, position };
    tables.set(type, table);
  }
  return table;
}

/** The bytes being read and the position in them; one per call of {@link decodePlain}. */
interface Cursor {
  readonly bytes: Uint8Array;
  pos: number;
  /** The low and high 32 bits of the last varint read by {@link readVarint}. */
  low: number;
  high: number;
  view?: DataView;
  /**
   * The first declared field that came with another wire type. Reported once the whole message is
   * read, as protobufjs keeps such a field as unknown and only the conversion refused it: a missing
   * required field found meanwhile is what gets reported.
   */
  mismatch?: WireFormatError;
}

/** Reads a varint of up to 64 bits into `cursor.low` / `cursor.high`. */
function readVarint(cursor: Cursor, end: number): void {
  const { bytes } = cursor;
  let pos = cursor.pos;
  let low = 0;
  let high = 0;
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new WireFormatError('truncated varint', pos);
    const byte = bytes[pos++]!;
    if (i < 4) low |= (byte & 0x7f) << (7 * i);
    else if (i === 4) {
      low |= (byte & 0x0f) << 28;
      high |= (byte & 0x7f) >>> 4;
    } else high |= (byte & 0x7f) << (7 * i - 32);
    if (byte < 0x80) {
      cursor.pos = pos;
      cursor.low = low >>> 0;
      cursor.high = high >>> 0;
      return;
    }
  }
  throw new WireFormatError('varint longer than 10 bytes', pos - 1);
}

/** Reads a tag or a length: a varint of at most 32 bits. */
function readVarint32(cursor: Cursor, end: number): number {
  const start = cursor.pos;
  readVarint(cursor, end);
  if (cursor.high !== 0 || cursor.pos - start > 5) throw new WireFormatError('varint exceeds 32 bits', cursor.pos - 1);
  return cursor.low;
}

const TWO_32 = 2 ** 32;

function decimal64(low: number, high: number, signed: boolean): string {
  if (high === 0) return String(low);
  // Below 2^53 a double holds the value exactly.
  if (high < 0x200000) return String(high * TWO_32 + low);
  const bits = (BigInt(high) << 32n) | BigInt(low);
  return (signed ? BigInt.asIntN(64, bits) : bits).toString();
}

function viewOf(cursor: Cursor): DataView {
  cursor.view ??= new DataView(cursor.bytes.buffer, cursor.bytes.byteOffset, cursor.bytes.byteLength);
  return cursor.view;
}

function requireBytes(cursor: Cursor, size: number, end: number): number {
  const at = cursor.pos;
  if (at + size > end) throw new WireFormatError(`truncated ${size * 8}-bit value`, at);
  cursor.pos = at + size;
  return at;
}

type Plain = Record<string | symbol, unknown>;

/** A required field was absent (reported as `MISSING_REQUIRED`, without an offset). */
class MissingRequired extends Error {}

/** Adds a raw field (tag and value, as read) to the message's unknown fields. */
function keepUnknown(target: Plain, bytes: Uint8Array, start: number, end: number): void {
  const chunk = bytes.slice(start, end);
  const list = target[UNKNOWN_FIELDS] as Uint8Array[] | undefined;
  if (list === undefined) target[UNKNOWN_FIELDS] = [chunk];
  else list.push(chunk);
}

/**
 * Reads one declared field's value (its tag already read, its wire type checked); returns the
 * value to store, or `undefined` after keeping the field as unknown (an enum value the schema lacks).
 */
function readValue(cursor: Cursor, field: DecodedField, end: number, depth: number, target: Plain, fieldStart: number): unknown {
  const { spec } = field;
  switch (spec.kind) {
    case 'string':
    case 'bytes':
    case 'message': {
      const length = readVarint32(cursor, end);
      const start = cursor.pos;
      if (length > end - start) throw new WireFormatError('length runs past the end', start);
      if (spec.kind === 'message') {
        // decodeInto leaves the cursor at the message's end.
        const existing = spec.repeated ? undefined : (target[field.name] as Plain | undefined);
        return decodeInto(cursor, spec.type as MessageName, start + length, depth + 1, existing ?? {});
      }
      cursor.pos = start + length;
      return spec.kind === 'string' ? readUtf8(cursor.bytes, start, cursor.pos) : cursor.bytes.slice(start, cursor.pos);
    }
    case 'bool':
      readVarint(cursor, end);
      return cursor.low !== 0;
    case 'uint32':
      readVarint(cursor, end);
      return cursor.low;
    case 'uint64':
    case 'int64':
      readVarint(cursor, end);
      return decimal64(cursor.low, cursor.high, spec.kind === 'int64');
    case 'enum': {
      readVarint(cursor, end);
      // Closed proto2 enums: a value the schema lacks is kept as an unknown field.
      const name = field.enumNames!.get(cursor.low | 0);
      if (name === undefined) {
        keepUnknown(target, cursor.bytes, fieldStart, cursor.pos);
        return undefined;
      }
      return name;
    }
    case 'fixed32':
      return viewOf(cursor).getUint32(requireBytes(cursor, 4, end), true);
    case 'float':
      return viewOf(cursor).getFloat32(requireBytes(cursor, 4, end), true);
    case 'double':
      return viewOf(cursor).getFloat64(requireBytes(cursor, 8, end), true);
  }
}

/** Decodes the fields in `[cursor.pos, end)` into `target` (a fresh object, or the one a repeated singular message field merges into). */
function decodeInto(cursor: Cursor, type: MessageName, end: number, depth: number, target: Plain): Plain {
  // The top message is at depth 0, as in protobufjs's decoder (`Reader.recursionLimit`).
  if (depth > MAX_DEPTH) throw new WireFormatError('max depth exceeded', cursor.pos);
  const table = tableOf(type);
  // A message merged into an earlier one gets its new fields after the old: sorted at the end.
  let ordered = Object.keys(target).length === 0;
  let lastPosition = -1;
  while (cursor.pos < end) {
    const fieldStart = cursor.pos;
    const tag = readVarint32(cursor, end);
    const fieldNumber = tag >>> 3;
    const wireType = tag & 7;
    const field = fieldNumber === 0 ? undefined : table.byNumber[fieldNumber];
    if (field === undefined) {
      // Skipped by the wire format alone (groups included), kept as read; checks field number 0 too.
      cursor.pos = readField(cursor.bytes, fieldStart, end).end;
      keepUnknown(target, cursor.bytes, fieldStart, cursor.pos);
      continue;
    }
    if (wireType !== field.wireType) {
      cursor.mismatch ??= new WireFormatError(`field ${fieldNumber} (${field.name}) has wire type ${wireType}, expected ${field.wireType}`, fieldStart);
      cursor.pos = readField(cursor.bytes, fieldStart, end).end;
      continue;
    }
    const value = readValue(cursor, field, end, depth, target, fieldStart);
    if (value === undefined) continue;
    const { name } = field;
    if (target[name] === undefined) {
      if (field.position < lastPosition) ordered = false;
      lastPosition = field.position;
    }
    if (field.spec.repeated) {
      const list = target[name] as unknown[] | undefined;
      if (list === undefined) target[name] = [value];
      else list.push(value);
    } else {
      target[name] = value;
    }
  }
  for (const name of table.required) {
    if (target[name] === undefined) throw new MissingRequired(`${type}: missing required '${name}'`);
  }
  return ordered ? target : inSchemaOrder(target, table);
}

/** The same object with its fields in schema order (the wire had them in another). */
function inSchemaOrder(target: Plain, table: TypeTable): Plain {
  const names = Object.keys(target).sort((a, b) => table.position.get(a)! - table.position.get(b)!);
  const out: Plain = {};
  for (const name of names) out[name] = target[name];
  if (target[UNKNOWN_FIELDS] !== undefined) out[UNKNOWN_FIELDS] = target[UNKNOWN_FIELDS];
  return out;
}

/**
 * Decodes `bytes` as a message of `type` into its plain form.
 * @throws ProtoDecodeError `MALFORMED` (with the offset) or `MISSING_REQUIRED`.
 * @example
 * ```ts
 * decodePlain(Uint8Array.of(0x0a, 0x02, 0x68, 0x69), 'Message'); // { conversation: 'hi' }
 * ```
 */
export function decodePlain(bytes: Uint8Array, type: MessageName): Plain {
  const cursor: Cursor = { bytes, pos: 0, low: 0, high: 0 };
  try {
    const message = decodeInto(cursor, type, bytes.length, 0, {});
    if (cursor.mismatch) throw cursor.mismatch;
    return message;
  } catch (error) {
    if (error instanceof MissingRequired) throw new ProtoDecodeError('MISSING_REQUIRED', error.message, undefined, { cause: error });
    if (error instanceof WireFormatError) throw new ProtoDecodeError('MALFORMED', `${type}: ${error.message}`, error.offset, { cause: error });
    throw error;
  }
}
