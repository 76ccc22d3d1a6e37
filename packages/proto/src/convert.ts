/**
 * From the plain-object form of the public API to the objects pbjs's static encoders write
 * (decoding reads straight into plain objects: plain-decoder.ts). The walk is driven by the
 * generated field table, so it follows the .proto: 64-bit integers from decimal strings, numbers
 * or bigints, enums by name or number, unknown fields from {@link UNKNOWN_FIELDS}. It validates
 * every value, because pbjs's encoders coerce or crash on wrong types instead of reporting them.
 * @module
 */
import { enumNames } from './enum-names.js';
import { ProtoEncodeError } from './errors.js';
import type { FieldSpec } from './field-spec.js';
import { ENUMS, MESSAGE_SCHEMA, type MessageName } from './generated/schema.js';
import { parseInt64, toLongBits } from './int64.js';
import { UNKNOWN_FIELDS, unknownFieldProblem } from './unknown-fields.js';
import { MAX_DEPTH } from './wire.js';

/** A message object as pbjs's static code sees it. */
export type StaticMessage = Record<string, unknown> & { $unknowns?: Uint8Array[] };

/** Plain message objects, before they are typed by the caller. */
export type PlainMessage = Record<string, unknown> & { [UNKNOWN_FIELDS]?: readonly Uint8Array[] };

function enumNumber(type: string, value: unknown): number | undefined {
  const values = ENUMS[type]!;
  if (typeof value === 'string') return Object.hasOwn(values, value) ? values[value] : undefined;
  if (typeof value === 'number') return enumNames(type).has(value) ? value : undefined;
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

/** A message type's fields, prepared once per type (not once per message). */
interface Layout {
  /** Every field by name. */
  readonly specs: ReadonlyMap<string, FieldSpec>;
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
      required: fields.filter(([, spec]) => spec.required).map(([name]) => name),
    };
    layouts.set(type, layout);
  }
  return layout;
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
