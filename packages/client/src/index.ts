/**
 * `@wa/client`: a legacy WhatsApp Web client built from `@wa/binary-codec`, `@wa/crypto`,
 * `@wa/proto` and `@wa/transport`. Runs in Node and in browsers; the Node-only file auth store
 * is in `@wa/client/node`.
 *
 * @example
 * ```ts
 * import { WAClient } from '@wa/client';
 * const client = new WAClient({ url: sandbox.url });
 * client.on('qr', ({ qr }) => sandbox.phone.scan(qr));
 * await client.connect();
 * await client.sendText('15550100002@c.us', 'Hello!');
 * await client.sendMedia('15550100002@c.us', jpeg, { type: 'image', mimetype: 'image/jpeg' });
 * ```
 * @module
 */
export { WAClient, type WaitForOptions } from './client.js';
export { DEFAULT_BROWSER, DEFAULT_SEND_QUEUE, DEFAULT_VERSION, type ReconnectOptions, type SendQueueOptions, type WAClientOptions } from './options.js';
export { MESSAGE_ID_PATTERN, type MarkReadOptions, type SendTextOptions, type SentMessage } from './messaging.js';
export { mediaInfo, mediaToken, type MediaInfo, type MediaSource, type MediaType, type SendMediaOptions } from './media.js';
export type { GroupMetadata, LoadedMessages, LoadMessagesOptions } from './queries.js';
export { LocalStorageAuthStore, MemoryAuthStore, type AuthStore, type StorageLike } from './auth-store.js';
export { parseCredentials, type Credentials } from './credentials.js';
export {
  AuthStoreError,
  ClientClosedError,
  DisconnectedError,
  FrameError,
  InvalidArgumentError,
  InvalidCredentialsError,
  LoginError,
  MediaError,
  NotLoggedInError,
  RequestError,
  SendError,
  type SendErrorDetails,
  WAClientError,
  type FrameErrorCode,
  type LoginErrorCode,
  type MediaErrorCode,
  type SendErrorCode,
  type WAClientErrorCode,
} from './errors.js';
export { BAD_KEYS_AFTER_FRAMES } from './key-check.js';
export { checkJid, isGroupJid, toChatJid, toProtoJid } from './jid.js';
export { ChatStore } from './store.js';
export type {
  AckLevel,
  Chat,
  ClientEvents,
  ClientState,
  CloseEvent,
  Contact,
  DisconnectInfo,
  DisconnectReason,
  MessageEvent,
  MessageSource,
  OpenInfo,
  PresenceType,
  PresenceUpdate,
  QrEvent,
  Receipt,
  ReconnectingEvent,
} from './types.js';
export type { Logger } from '@wa/transport';
