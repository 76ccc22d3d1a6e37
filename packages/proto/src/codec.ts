/**
 * The public encoders and decoders: plain objects on top; decoding reads the wire format straight
 * into them (plain-decoder.ts), encoding goes through pbjs's static code.
 * @module
 */
import { toStatic, type EncodeContext } from './convert.js';
import { ProtoDecodeError } from './errors.js';
import type { Message, MessageInput, MessageName, WebMessageInfo, WebMessageInfoInput } from './generated/schema.js';
import { protobufRuntime, staticCodecs } from './generated/wa-message.js';
import { decodePlain } from './plain-decoder.js';
import { sortFieldsByNumber } from './unknown-fields.js';

function decodeAs(bytes: Uint8Array, type: MessageName): unknown {
  if (!(bytes instanceof Uint8Array)) {
    throw new ProtoDecodeError('INVALID_INPUT', `expected a Uint8Array, got ${bytes === null ? 'null' : typeof bytes}`);
  }
  return decodePlain(bytes, type);
}

function encodeAs(input: unknown, type: MessageName): Uint8Array {
  const context: EncodeContext = { hasUnknownFields: false };
  const prepared = toStatic(input, type, '', context, 0);
  const written = staticCodecs[type].encode(prepared, protobufRuntime.createWriter()).finish();
  // protobufjs hands out a slice of a shared pool; callers get bytes of their own either way.
  return context.hasUnknownFields ? sortFieldsByNumber(written, type) : written.slice();
}

/**
 * Decodes a `WebMessageInfo` (the payload of a `["message", null, bytes]` node).
 *
 * The result is a plain object: 64-bit integers as decimal strings, enums by name, bytes as
 * `Uint8Array`s of their own, absent fields absent (no proto defaults), and fields this schema does
 * not declare under {@link UNKNOWN_FIELDS}. Unknown values of the (closed, proto2) enums are kept
 * as unknown fields too.
 * @throws ProtoDecodeError `INVALID_INPUT` (not a Uint8Array), `MALFORMED` (truncated varint,
 *   length past the end, invalid or mismatched wire type, nesting over 100) or `MISSING_REQUIRED`
 *   (no `key`). Nothing else.
 * @example
 * ```ts
 * const info = decodeWebMessageInfo(bytes);
 * info.key.remoteJid;     // '917529871117@s.whatsapp.net'
 * info.message?.conversation; // 'library'
 * info.messageTimestamp;  // '1584004418'
 * info.status;            // 'DELIVERY_ACK' (or absent)
 * ```
 */
export function decodeWebMessageInfo(bytes: Uint8Array): WebMessageInfo {
  return decodeAs(bytes, 'WebMessageInfo') as WebMessageInfo;
}

/**
 * Encodes a `WebMessageInfo`. Accepts the decoded form, plus numbers or bigints for 64-bit fields
 * and numbers for enums; `null` or `undefined` fields are left out. Fields are written in
 * field-number order, unknown fields included, so decode → encode gives back the original bytes
 * of any message a standard protobuf serializer wrote.
 * @throws ProtoEncodeError `INVALID_INPUT` (wrong type or range, a property the schema does not
 *   declare, a malformed unknown-field entry) or `MISSING_REQUIRED` (no `key`), with the field's path.
 * @example
 * ```ts
 * const bytes = encodeWebMessageInfo({
 *   key: { remoteJid: '15551234567@s.whatsapp.net', fromMe: true, id: '3EB0C431E2A5F0A1B2C3' },
 *   message: { conversation: 'hello' },
 *   messageTimestamp: 1584004403,
 *   status: 'PENDING',
 * });
 * ```
 */
export function encodeWebMessageInfo(info: WebMessageInfoInput): Uint8Array {
  return encodeAs(info, 'WebMessageInfo');
}

/**
 * Decodes a bare `Message` (the content inside `WebMessageInfo.message`); see
 * {@link decodeWebMessageInfo} for the form of the result and the errors.
 * @example
 * ```ts
 * decodeMessage(Uint8Array.of(0x0a, 0x02, 0x68, 0x69)); // { conversation: 'hi' }
 * ```
 */
export function decodeMessage(bytes: Uint8Array): Message {
  return decodeAs(bytes, 'Message') as Message;
}

/**
 * Encodes a bare `Message`; see {@link encodeWebMessageInfo} for the accepted input and the errors.
 * @example
 * ```ts
 * encodeMessage({ conversation: 'hi' }); // Uint8Array [0x0a, 0x02, 0x68, 0x69]
 * ```
 */
export function encodeMessage(message: MessageInput): Uint8Array {
  return encodeAs(message, 'Message');
}
