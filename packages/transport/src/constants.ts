/**
 * Numbers on the wire: the metric and flag bytes of client binary frames, and the close codes
 * this package uses.
 * @module
 */

/**
 * The metric byte of a client binary frame: what kind of request the sealed node carries.
 * Values are the ones both later public clients agree on (protocol/FACTS.md, "Encrypted binary
 * frames"); the server uses them for accounting, not routing, so a wrong metric still gets a reply.
 * @example
 * ```ts
 * serializeBinary(messageId, sealed, { metric: Metric.message, flag: Flag.ignore });
 * ```
 */
export const Metric = /* @__PURE__ */ Object.freeze({
  debugLog: 1,
  queryResume: 2,
  queryMedia: 4,
  queryChat: 5,
  queryContacts: 6,
  queryMessages: 7,
  presence: 8,
  presenceSubscribe: 9,
  group: 10,
  read: 11,
  chat: 12,
  received: 13,
  picture: 14,
  status: 15,
  message: 16,
  queryActions: 17,
  block: 18,
  queryGroup: 19,
  queryPreview: 20,
  queryEmoji: 21,
} as const);

/** One of the {@link Metric} values. */
export type Metric = (typeof Metric)[keyof typeof Metric];

/**
 * Bits of the flag byte of a client binary frame; combine them with `|`.
 * `composing` and `skipOffline` share 0x04: presence frames read it as "composing", other
 * frames as "do not queue for an offline phone".
 * @example
 * ```ts
 * const flag = Flag.ignore | Flag.ackRequest; // 0xc0: sending a message to oneself
 * ```
 */
export const Flag = /* @__PURE__ */ Object.freeze({
  ignore: 0x80,
  ackRequest: 0x40,
  available: 0x20,
  unavailable: 0x10,
  expires: 0x08,
  composing: 0x04,
  skipOffline: 0x04,
} as const);

/** One of the single {@link Flag} bits. */
export type Flag = (typeof Flag)[keyof typeof Flag];

/**
 * WebSocket close codes used by {@link Connection}. 1000–1015 are the RFC 6455 codes; 4000 is
 * in the private range that browsers also allow a page to send.
 * @example
 * ```ts
 * conn.on('close', ({ code }) => {
 *   if (code === CloseCode.keepAliveTimeout) console.log('the link went silent');
 * });
 * ```
 */
export const CloseCode = /* @__PURE__ */ Object.freeze({
  /** A close that was asked for. */
  normal: 1000,
  /** The peer is going away (server shutdown, page unload). */
  goingAway: 1001,
  /** The socket ended without a close frame; never sent, only reported. */
  abnormal: 1006,
  /** Closed by this package because no keep-alive answer arrived in time. */
  keepAliveTimeout: 4000,
} as const);
