/**
 * Just enough of the protobuf wire format to walk the fields of an encoded message: used to check
 * unknown fields and to put re-encoded fields back into field-number order. Every read checks its
 * bounds first; a failure throws {@link WireFormatError} for the caller to turn into its own error.
 * @module
 */

/** Wire types (protobuf encoding spec, "Message Structure"). */
export const WireType = /* @__PURE__ */ Object.freeze({
  VARINT: 0,
  I64: 1,
  LEN: 2,
  START_GROUP: 3,
  END_GROUP: 4,
  I32: 5,
} as const);

/**
 * Deeper nesting than protobufjs itself accepts (`util.recursionLimit`) is refused: groups here,
 * messages by the decoder and the encoder, so anything decoded can be encoded.
 */
export const MAX_DEPTH = 100;

/** Where a walk of the wire format failed. */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
  constructor(
    message: string,
    /** Offset of the failing read in the walked bytes. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** One field as found on the wire; offsets index the walked bytes. */
export interface WireField {
  readonly fieldNumber: number;
  readonly wireType: number;
  /** First byte of the tag. */
  readonly start: number;
  /** First byte of the value (for LEN fields: after the length prefix). */
  readonly valueStart: number;
  /** One past the last byte of the field. */
  readonly end: number;
}

/** Reads a varint of at most 32 significant bits (tags and lengths) at `pos`; returns [value, next]. */
function readVarint32(bytes: Uint8Array, pos: number, end: number): [number, number] {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (pos >= end) throw new WireFormatError('truncated varint', pos);
    const byte = bytes[pos++]!;
    // Multiplication instead of << keeps bit 31 from turning the value negative.
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) {
      if (value > 0xffffffff) throw new WireFormatError('varint exceeds 32 bits', pos - 1);
      return [value, pos];
    }
  }
  throw new WireFormatError('varint exceeds 32 bits', pos - 1);
}

function skipVarint64(bytes: Uint8Array, pos: number, end: number): number {
  for (let i = 0; i < 10; i++) {
    if (pos >= end) throw new WireFormatError('truncated varint', pos);
    if ((bytes[pos++]! & 0x80) === 0) return pos;
  }
  throw new WireFormatError('varint longer than 10 bytes', pos - 1);
}

function skipFixed(pos: number, size: number, end: number): number {
  if (pos + size > end) throw new WireFormatError(`truncated ${size * 8}-bit value`, pos);
  return pos + size;
}

/**
 * Reads the field starting at `pos` (tag, then value; groups including their END_GROUP tag).
 * @example
 * ```ts
 * readField(Uint8Array.of(0x18, 0x2a), 0, 2); // { fieldNumber: 3, wireType: 0, start: 0, valueStart: 1, end: 2 }
 * ```
 */
export function readField(bytes: Uint8Array, pos: number, end: number, depth = 0): WireField {
  const start = pos;
  const [tag, afterTag] = readVarint32(bytes, pos, end);
  const fieldNumber = tag >>> 3;
  const wireType = tag & 7;
  if (fieldNumber === 0) throw new WireFormatError('field number 0', start);
  let valueStart = afterTag;
  let next: number;
  switch (wireType) {
    case WireType.VARINT:
      next = skipVarint64(bytes, afterTag, end);
      break;
    case WireType.I64:
      next = skipFixed(afterTag, 8, end);
      break;
    case WireType.I32:
      next = skipFixed(afterTag, 4, end);
      break;
    case WireType.LEN: {
      const [length, afterLength] = readVarint32(bytes, afterTag, end);
      if (length > end - afterLength) throw new WireFormatError('length runs past the end', afterTag);
      valueStart = afterLength;
      next = afterLength + length;
      break;
    }
    case WireType.START_GROUP: {
      if (depth >= MAX_DEPTH) throw new WireFormatError('groups nested too deeply', start);
      next = afterTag;
      for (;;) {
        if (next >= end) throw new WireFormatError('group without END_GROUP', start);
        const [innerTag, afterInner] = readVarint32(bytes, next, end);
        if ((innerTag & 7) === WireType.END_GROUP) {
          if (innerTag >>> 3 !== fieldNumber) throw new WireFormatError('END_GROUP of another group', next);
          next = afterInner;
          break;
        }
        next = readField(bytes, next, end, depth + 1).end;
      }
      break;
    }
    default:
      throw new WireFormatError(`invalid wire type ${wireType}`, start);
  }
  return { fieldNumber, wireType, start, valueStart, end: next };
}

/**
 * Reads every field in `[pos, end)`.
 * @example
 * ```ts
 * readFields(Uint8Array.of(0x08, 0x01, 0x12, 0x00), 0, 4).map((f) => f.fieldNumber); // [1, 2]
 * ```
 */
export function readFields(bytes: Uint8Array, pos: number, end: number): WireField[] {
  const fields: WireField[] = [];
  while (pos < end) {
    const field = readField(bytes, pos, end);
    fields.push(field);
    pos = field.end;
  }
  return fields;
}
