/**
 * `@wa/sandbox/core`: the transport-independent protocol core, safe for browsers (no Node
 * imports). The package root adds the Node WebSocket server (`startSandbox`).
 * @module
 */
export { ManualClock, systemClock, type Clock } from './clock.js';
export type { SandboxEvents, SessionRecord } from './context.js';
export {
  DEFAULT_LATENCY,
  LatencyModel,
  MAX_QUEUED_FRAMES,
  Outbox,
  resolveLatency,
  type DeliveryOptions,
  type FrameSource,
  type LatencyOptions,
  type LatencySettings,
} from './delivery.js';
export { SandboxError, type SandboxErrorCode } from './errors.js';
export { Faults, type ForcedLoginStatus, type LoginMode } from './faults.js';
export { consoleLogger, memoryLogger, type LogEntry, type LogLevel, type SandboxLogger } from './logger.js';
export {
  createMemoryLink,
  createMemoryWebSocket,
  type MemoryClientSocket,
  type MemoryCloseInfo,
  type MemoryWebSocket,
  type MemoryWebSocketClass,
} from './memory-link.js';
export {
  mediaToken,
  MediaStore,
  type MediaConn,
  type MediaHost,
  type MediaStoreLimits,
  type MediaUploadRequest,
  type MediaUploadResponse,
  type MediaUploadType,
  type PersistedMedia,
  type StoredMedia,
} from './media.js';
export {
  CURRENT_VERSION,
  MAX_BROWSER_STRING_LENGTH,
  MAX_CLIENT_ID_LENGTH,
  FRAME_TIMEOUT_MS,
  HANDSHAKE_TIMEOUT_MS,
  MAX_BUFFERED_BYTES,
  MAX_FRAME_BYTES,
  MAX_FRAME_BYTES_BEFORE_LOGIN,
  MAX_QUEUED_WHILE_UNREACHABLE,
  MAX_REREFS,
  MEDIA_CONN_TTL_SECONDS,
  MEDIA_MAX_BLOB_BYTES,
  MEDIA_MAX_TOTAL_BYTES,
  REF_TTL_MS,
} from './protocol/constants.js';
export { MAX_PINNED_CHATS, type ChatActionType } from './protocol/chat-actions.js';
export type { BatteryOptions, ReceivedType } from './phone-actions.js';
export type { ScanResult } from './protocol/login.js';
export type { ParticipantOutcome } from './groups.js';
export type { ContactCardInput, LiveLocationSendOptions } from './scripted-kinds.js';
export { KNOWN_PREVIEWS, PREVIEW_JPEG, type KnownPreview } from './protocol/link-preview.js';
export { parseQr, type QrContent } from './protocol/qr.js';
export { MAX_BLOCKLIST, MAX_PICTURE_BYTES, MAX_PUSH_NAME_LENGTH, MAX_STATUS_LENGTH, type PictureInfo } from './profile.js';
export { randomHex, seededRandom, systemRandom, type RandomSource } from './random.js';
export { Sandbox, type SandboxOptions, type WaitingRef } from './sandbox.js';
export { ContactHandle, Phone, type ChatTarget, type LocationSendOptions, type MediaSendOptions, type WebSessionInfo } from './scripting.js';
export { CloseCode, type SandboxSocket, type SocketHandler, type SocketLimit } from './socket.js';
export type { PersistedSession, SandboxState } from './state.js';
export type { SandboxStats } from './stats.js';
export { defaultWorld } from './world/default-world.js';
export { isGroupJid, normalizeJid, protoJid } from './world/jid.js';
export type * from './world/types.js';
export { World, type WorldContext } from './world/world.js';
