/**
 * Typed errors of @wa/proto. Everything a public function throws is a {@link ProtoError}; decoding
 * throws only {@link ProtoDecodeError}, encoding only {@link ProtoEncodeError}.
 * @module
 */

/** Why decoding or encoding failed. */
export type ProtoErrorCode =
  /** The argument has the wrong type: not a Uint8Array, not an object, a bad field value. */
  | 'INVALID_INPUT'
  /** The bytes are not a well-formed message: truncated varint, length past the end, bad wire type, nesting over 100. */
  | 'MALFORMED'
  /** A `required` field (WebMessageInfo.key) is absent. */
  | 'MISSING_REQUIRED';

/**
 * Base class of every error this package throws.
 * @example
 * ```ts
 * try { decodeWebMessageInfo(bytes); } catch (err) {
 *   if (err instanceof ProtoError) console.warn(err.code, err.message);
 * }
 * ```
 */
export class ProtoError extends Error {
  override name = 'ProtoError';
  constructor(
    readonly code: ProtoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The bytes given to a decoder are not a valid message of the expected type.
 * @example
 * ```ts
 * try { decodeWebMessageInfo(Uint8Array.of(0x0a, 0x05)); } catch (err) {
 *   // err instanceof ProtoDecodeError, err.code === 'MALFORMED', err.offset === 2
 * }
 * ```
 */
export class ProtoDecodeError extends ProtoError {
  override name = 'ProtoDecodeError';
  constructor(
    code: ProtoErrorCode,
    message: string,
    /** Byte offset in the input where decoding stopped, when known. */
    readonly offset?: number,
    options?: { cause?: unknown },
  ) {
    super(code, offset === undefined ? message : `${message} (at byte ${offset})`, options);
  }
}

/**
 * The object given to an encoder does not fit the schema.
 * @example
 * ```ts
 * try { encodeWebMessageInfo({ key: { id: 42 } } as never); } catch (err) {
 *   // err instanceof ProtoEncodeError, err.code === 'INVALID_INPUT', err.path === 'key.id'
 * }
 * ```
 */
export class ProtoEncodeError extends ProtoError {
  override name = 'ProtoEncodeError';
  constructor(
    code: ProtoErrorCode,
    message: string,
    /** Dotted path of the offending field, e.g. `message.extendedTextMessage.contextInfo.mentionedJid[1]`. */
    readonly path: string,
  ) {
    super(code, path ? `${path}: ${message}` : message);
  }
}
