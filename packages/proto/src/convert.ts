/**
 * Between the plain-object form of the public API and the objects pbjs's static code reads and
 * writes. The walk is driven by the generated field table, so both directions follow the .proto:
 * 64-bit integers as decimal strings, enums by name, bytes as fresh `Uint8Array`s, absent fields
 * absent, unknown fields under {@link UNKNOWN_FIELDS}. The encode direction also validates every
 * value, because pbjs's encoders coerce or crash on wrong types instead of reporting them.
 * @module
 */
import { ProtoDecodeError, ProtoEncodeError } from './errors.js';
import type { FieldSpec } from './field-spec.js';
import { ENUMS, MESSAGE_SCHEMA, type MessageName } from './generated/schema.js';
import { longToDecimal, parseInt64, toLongBits, type LongBitsLike } from './int64.js';
import { UNKNOWN_FIELDS, unknownFieldProblem } from './unknown-fields.js';

/** A message object as pbjs's static code sees it. */
export type StaticMessage = Record<string, unknown> & { $unknowns?: Uint8Array[] };

/** Plain message objects, before they are typed by the caller. */
export type PlainMessage = Record<string, unknown> & { [UNKNOWN_FIELDS]?: readonly Uint8Array[] };

/** Same limit as protobufjs's decoder (`util.recursionLimit`), so anything decoded can be encoded. */
const MAX_DEPTH = 100;

const enumNamesByNumber = new Map<string, Map<number, string>>();

function enumName(type: string, value: number): string | undefined {
  let names = enumNamesByNumber.get(type);
  if (!names) {
    names = new Map(Object.entries(ENUMS[type]!).map(([name, number]) => [number, name]));
    enumNamesByNumber.set(type, names);
  }
  return names.get(value);
}

function enumNumber(type: string, value: unknown): number | undefined {
  const values = ENUMS[type]!;
  if (typeof value === 'string') return Object.hasOwn(values, value) ? values[value] : undefined;
  if (typeof value === 'number') return enumName(type, value) === undefined ? undefined : value;
  return undefined;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Uint8Array) return 'a Uint8Array';
  if (typeof value === 'number' && !Number.isInteger(value)) return `the number ${value}`;
  return typeof value === 'object' ? `an object` : `a ${typeof value}`;
}

function describeSpec(spec: FieldSpec): string {
  switch (spec.kind) {
    case 'uint32':
    case 'fixed32':
      return 'an integer from 0 to 4294967295';
    case 'uint64':
      return 'a uint64 (decimal string, safe integer or bigint)';
    case 'int64':
      return 'an int64 (decimal string, safe integer or bigint)';
    case 'float':
    case 'double':
      return 'a number';
    case 'bool':
      return 'a boolean';
    case 'bytes':
      return 'a Uint8Array';
    case 'enum':
      return `a ${spec.type} name or number (one of ${Object.keys(ENUMS[spec.type!]!).join(', ')})`;
    default:
      return `a ${spec.kind}`;
  }
}

// ---- decode direction --------------------------------------------------------------------------

/** A message type's fields, prepared once per type (not once per message). */
interface Layout {
  /** Every field by name. */
  readonly specs: ReadonlyMap<string, FieldSpec>;
  /** Each field's place in the schema: decoded objects list their fields in this order. */
  readonly position: ReadonlyMap<string, number>;
  /** The names of the required fields. */
  readonly required: readonly string[];
}

const layouts = new Map<MessageName, Layout>();

function layoutOf(type: MessageName): Layout {
  let layout = layouts.get(type);
  if (layout === undefined) {
    const fields = Object.entries(MESSAGE_SCHEMA[type]);
    layout = {
      specs: new Map(fields),
      position: new Map(fields.map(([name], index) => [name, index])),
      required: fields.filter(([, spec]) => spec.required).map(([name]) => name),
    };
    layouts.set(type, layout);
  }
  return layout;
}

/**
 * The field names `message` owns, in schema order. A message declares dozens of fields and sets a
 * few (a text: one), so this walks what is there rather than the schema; pbjs sets them in wire
 * order, which is nearly always field order already.
 */
function presentFields(message: object, layout: Layout): string[] {
  const names = Object.keys(message);
  const { position } = layout;
  for (let i = 1; i < names.length; i++) {
    if ((position.get(names[i]!) ?? -1) < (position.get(names[i - 1]!) ?? -1)) {
      return names.sort((a, b) => (position.get(a) ?? -1) - (position.get(b) ?? -1));
    }
  }
  return names;
}

function plainValue(spec: FieldSpec, value: unknown, source: Uint8Array): unknown {
  switch (spec.kind) {
    case 'bytes':
      // A copy: the reader hands out views into the caller's buffer.
      return new Uint8Array(value as Uint8Array);
    case 'uint64':
    case 'int64':
      return longToDecimal(value as LongBitsLike | number, spec.kind === 'int64');
    case 'enum':
      // Closed proto2 enums: the static decoder only stores values the enum declares.
      return enumName(spec.type!, value as number);
    case 'message':
      return toPlain(value as StaticMessage, spec.type as MessageName, source);
    default:
      return value;
  }
}

/**
 * The plain-object form of a message decoded by pbjs's static code from `source`.
 * @throws ProtoDecodeError `MALFORMED` when a declared field number arrives with another wire type
 *   (protobufjs would keep it as an unknown field, which hides corrupt input).
 * @example
 * ```ts
 * const reader = protobufRuntime.createReader(bytes);
 * reader.discardUnknown = false;
 * toPlain(staticCodecs.Message!.decode(reader), 'Message', bytes); // { conversation: 'hi' }
 * ```
 */
export function toPlain(message: StaticMessage, type: MessageName, source: Uint8Array): PlainMessage {
  const out: PlainMessage = {};
  const layout = layoutOf(type);
  // The generated prototypes carry proto defaults; only own properties were on the wire.
  for (const name of presentFields(message, layout)) {
    const spec = layout.specs.get(name);
    if (spec === undefined) continue;
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
      // Chunks are views into `source`, which gives the offset for the error.
      const offset = chunk.byteOffset - source.byteOffset;
      const problem = unknownFieldProblem(type, chunk);
      if (problem !== undefined) throw new ProtoDecodeError('MALFORMED', `${type}: ${problem}`, offset);
      return new Uint8Array(chunk);
    });
  }
  return out;
}

// ---- encode direction --------------------------------------------------------------------------

/** Filled in while converting; lets the encoder skip the reordering pass when it is not needed. */
export interface EncodeContext {
  hasUnknownFields: boolean;
}

function staticValue(spec: FieldSpec, value: unknown, path: string, context: EncodeContext, depth: number): unknown {
  switch (spec.kind) {
    case 'string':
      if (typeof value === 'string') return value;
      break;
    case 'bool':
      if (typeof value === 'boolean') return value;
      break;
    case 'bytes':
      if (value instanceof Uint8Array) return value;
      break;
    case 'uint32':
    case 'fixed32':
      if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
      break;
    case 'float':
    case 'double':
      if (typeof value === 'number') return value;
      break;
    case 'uint64':
    case 'int64': {
      const big = parseInt64(value, spec.kind === 'int64');
      if (big !== undefined) return toLongBits(big);
      break;
    }
    case 'enum': {
      const number = enumNumber(spec.type!, value);
      if (number !== undefined) return number;
      break;
    }
    case 'message':
      return toStatic(value, spec.type as MessageName, path, context, depth + 1);
  }
  throw new ProtoEncodeError('INVALID_INPUT', `expected ${describeSpec(spec)}, got ${describeValue(value)}`, path);
}

function checkUnknownFields(value: unknown, type: MessageName, path: string): Uint8Array[] {
  const where = `${path ? `${path}.` : ''}[UNKNOWN_FIELDS]`;
  if (!Array.isArray(value)) throw new ProtoEncodeError('INVALID_INPUT', `expected an array of Uint8Array, got ${describeValue(value)}`, where);
  value.forEach((chunk: unknown, index) => {
    if (!(chunk instanceof Uint8Array)) {
      throw new ProtoEncodeError('INVALID_INPUT', `expected a Uint8Array, got ${describeValue(chunk)}`, `${where}[${index}]`);
    }
    const problem = unknownFieldProblem(type, chunk);
    if (problem !== undefined) throw new ProtoEncodeError('INVALID_INPUT', problem, `${where}[${index}]`);
  });
  return value as Uint8Array[];
}

/**
 * The object pbjs's static encoder expects for a plain `input` of `type`, after checking every value.
 * @throws ProtoEncodeError `INVALID_INPUT` (wrong type, out of range, unknown property name,
 *   malformed unknown-field entry, nesting over 100) or `MISSING_REQUIRED`.
 * @example
 * ```ts
 * const context = { hasUnknownFields: false };
 * toStatic({ conversation: 'hi' }, 'Message', '', context, 0); // { conversation: 'hi' }
 * ```
 */
export function toStatic(input: unknown, type: MessageName, path: string, context: EncodeContext, depth: number): StaticMessage {
  if (depth > MAX_DEPTH) throw new ProtoEncodeError('INVALID_INPUT', `messages nested deeper than ${MAX_DEPTH}`, path);
  if (typeof input !== 'object' || input === null || Array.isArray(input) || input instanceof Uint8Array) {
    throw new ProtoEncodeError('INVALID_INPUT', `expected a ${type} object, got ${describeValue(input)}`, path);
  }
  const layout = layoutOf(type);
  const record = input as PlainMessage;
  // The fields present, not the dozens the schema declares (pbjs writes them in its own order).
  const names = Object.keys(record);
  for (const name of names) {
    // A misspelt field would otherwise vanish silently from the encoded message.
    if (!layout.specs.has(name)) throw new ProtoEncodeError('INVALID_INPUT', `${type} has no field "${name}"`, path);
  }
  for (const name of layout.required) {
    if (record[name] === undefined || record[name] === null) {
      throw new ProtoEncodeError('MISSING_REQUIRED', `${type}.${name} is required`, path ? `${path}.${name}` : name);
    }
  }
  const out: StaticMessage = {};
  for (const name of names) {
    const spec = layout.specs.get(name)!;
    const value = record[name];
    if (value === undefined || value === null) continue;
    // Built for the fields present only (a Message declares dozens, a text sets one).
    const fieldPath = path ? `${path}.${name}` : name;
    if (spec.repeated) {
      if (!Array.isArray(value)) throw new ProtoEncodeError('INVALID_INPUT', `expected an array, got ${describeValue(value)}`, fieldPath);
      out[name] = value.map((item: unknown, index) => staticValue(spec, item, `${fieldPath}[${index}]`, context, depth));
    } else {
      out[name] = staticValue(spec, value, fieldPath, context, depth);
    }
  }
  const unknowns = record[UNKNOWN_FIELDS];
  if (unknowns !== undefined) {
    const chunks = checkUnknownFields(unknowns, type, path);
    if (chunks.length > 0) {
      out.$unknowns = chunks;
      context.hasUnknownFields = true;
    }
  }
  return out;
}
