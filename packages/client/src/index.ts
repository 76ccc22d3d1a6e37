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
export { MAX_PUSH_NAME_LENGTH, MAX_STATUS_LENGTH, type ProfilePictureOptions, type ProfilePictureResult } from './profile.js';
export { groupUpdateFromStub, type GroupAction, type GroupCreateResult, type GroupParticipantResult, type GroupSettings, type GroupUpdate } from './groups.js';
export { disappearingSentence, groupSentence, listNames, timerText, type NameOf } from './group-sentences.js';
export { GroupStore, type GroupInfo } from './group-store.js';
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
export {
  contextInfoOf,
  describeMessage,
  messageContent,
  messageKind,
  type ContactCard,
  type LocationInfo,
  type MessageDetails,
  type MessageKind,
  type QuoteInfo,
} from './message-details.js';
export {
  contactContent,
  forwardContent,
  liveLocationContent,
  locationContent,
  withContextInfo,
  type LiveLocationOptions,
  type LocationOptions,
} from './message-content.js';
export type { LiveLocationShare, SendMessageOptions } from './message-kinds.js';
export type { DeleteMessageOptions, DeleteResult, StarMessageOptions } from './message-actions.js';
export { findUrl, type LinkPreview } from './link-preview.js';
export { MAX_HISTORY_MESSAGES, type AllMessages, type HistoryProgress, type LoadAllMessagesOptions } from './history.js';
export { METRIC_MESSAGE_INFO, parseMessageInfo, type MessageInfo, type MessageInfoEntry } from './message-info.js';
export { MAX_SEARCH_TEXT, METRIC_SEARCH, type SearchMessagesOptions, type SearchResult } from './search.js';
export type { RefreshedMedia } from './media-refresh.js';
export type { LastSeen, LastSeenOptions } from './last-seen.js';
export type { RawNodeEvent, UnhandledFrame, UnhandledReason } from './raw-hooks.js';
export { MAX_PINNED_CHATS, type ClearChatOptions } from './chat-actions.js';
export type {
  AckLevel,
  BatteryStatus,
  BlocklistUpdate,
  Chat,
  ChatAction,
  ChatChanges,
  ChatUpdate,
  ClientEvents,
  ClientState,
  CloseEvent,
  Contact,
  ContactUpdate,
  DisconnectInfo,
  DisconnectReason,
  MessageEvent,
  MessageUpdate,
  MessageUpdateKind,
  MessageSource,
  OpenInfo,
  PresenceType,
  PresenceUpdate,
  QrEvent,
  Receipt,
  ReconnectingEvent,
} from './types.js';
export type { Logger } from '@wa/transport';
