/**
 * @wa/proto: the protobuf messages of the legacy WhatsApp Web protocol (`WebMessageInfo`,
 * `Message` and the message kinds inside it) as plain objects, encoded and decoded by protobufjs
 * static code generated from `proto/WAMessage.proto`. Works in Node and in browsers.
 *
 * @example
 * ```ts
 * import { decodeWebMessageInfo, encodeWebMessageInfo, textMessage } from '@wa/proto';
 *
 * const bytes = encodeWebMessageInfo(textMessage({
 *   remoteJid: '15551234567@s.whatsapp.net', fromMe: true, id: '3EB0C431E2A5F0A1B2C3',
 *   text: 'hello', timestamp: 1584004403, status: 'PENDING',
 * }));
 * decodeWebMessageInfo(bytes).message?.conversation; // 'hello'
 * ```
 * @module
 */
export { decodeMessage, decodeWebMessageInfo, encodeMessage, encodeWebMessageInfo } from './codec.js';
export {
  generateMessageId,
  messageText,
  revokeMessage,
  textMessage,
  type QuotedMessage,
  type RevokeMessageOptions,
  type TextMessageOptions,
} from './builders.js';
export { ProtoDecodeError, ProtoEncodeError, ProtoError, type ProtoErrorCode } from './errors.js';
export type { Int64Input } from './field-spec.js';
export { UNKNOWN_FIELDS } from './unknown-fields.js';
export {
  ExtendedTextMessageFontType,
  ExtendedTextMessagePreviewType,
  ProtocolMessageType,
  WebMessageInfoStatus,
  WebMessageInfoStubType,
  type AudioMessage,
  type AudioMessageInput,
  type ContactMessage,
  type ContactMessageInput,
  type ContactsArrayMessage,
  type ContactsArrayMessageInput,
  type ContextInfo,
  type ContextInfoInput,
  type DocumentMessage,
  type DocumentMessageInput,
  type ExtendedTextMessage,
  type ExtendedTextMessageInput,
  type FutureProofMessage,
  type FutureProofMessageInput,
  type GroupInviteMessage,
  type GroupInviteMessageInput,
  type ImageMessage,
  type ImageMessageInput,
  type LiveLocationMessage,
  type LiveLocationMessageInput,
  type LocationMessage,
  type LocationMessageInput,
  type Message,
  type MessageInput,
  type MessageKey,
  type MessageKeyInput,
  type MessageName,
  type ProtocolMessage,
  type ProtocolMessageInput,
  type StickerMessage,
  type StickerMessageInput,
  type VideoMessage,
  type VideoMessageInput,
  type WebMessageInfo,
  type WebMessageInfoInput,
} from './generated/schema.js';
