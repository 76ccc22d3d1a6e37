/**
 * `@wa/transport`: tagged framing, request/response by tag, keep-alive and reconnect backoff
 * for the legacy WhatsApp Web protocol, on `ws` in Node and the global WebSocket in browsers.
 * @module
 */
export { backoffDelay, backoffDelays, ReconnectPolicy, type BackoffOptions } from './backoff.js';
export {
  Connection,
  type CloseInfo,
  type ConnectionEvents,
  type ConnectionOptions,
  type ConnectionState,
  type FramePredicate,
  type OpenOptions,
  type PongInfo,
  type RequestOptions,
  type WaitOptions,
} from './connection.js';
export { CloseCode, Flag, Metric } from './constants.js';
export { TypedEmitter, type Listener } from './emitter.js';
export {
  ConnectError,
  ConnectionClosedError,
  DuplicateTagError,
  FrameError,
  InvalidArgumentError,
  KeepAliveTimeoutError,
  NotConnectedError,
  RequestAbortedError,
  RequestTimeoutError,
  SocketError,
  TransportError,
  type FrameErrorCode,
  type TransportErrorCode,
} from './errors.js';
export {
  frameTag,
  parseFrame,
  type BinaryFrame,
  type FrameData,
  type JsonFrame,
  type ParsedFrame,
  type ParseFrameOptions,
  type PingFrame,
  type PongFrame,
} from './frame.js';
export { consoleLogger, silentLogger, type Logger } from './logger.js';
export { serializeBinary, serializeJson, serializePing, serializePong, type BinaryHeader } from './serialize.js';
export { TagGenerator, type TagGeneratorOptions } from './tags.js';
export { defaultWebSocket, type WebSocketClientOptions, type WebSocketConstructor, type WebSocketLike } from './websocket.js';
