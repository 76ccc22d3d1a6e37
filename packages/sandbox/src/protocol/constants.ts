/**
 * Fixed values of the emulated server, taken from the seed and FACTS.md.
 */

/** Lifetime of a QR ref in ms (`ttl` of the init and reref replies). */
export const REF_TTL_MS = 20_000;

/** How many new refs one connection may get with `admin Conn reref` (the seed: "up to 5"). */
export const MAX_REREFS = 5;

/** The web version the sandbox announces (`curr`, `Stream`): the one used in 2021. */
export const CURRENT_VERSION = '2.2142.12';

/**
 * Restores with tokens older than this are challenged (`Cmd challenge`) instead of answered with
 * a fresh `Conn` (seed: "when using old or expired tokens, you will be challenged").
 */
export const DEFAULT_TOKEN_LIFETIME_MS = 7 * 24 * 3600 * 1000;

/** The `Props` push after a QR login (seed: imageMaxKBytes 1024, maxParticipants 257, videoMaxEdge 960). */
export const PROPS: Readonly<Record<string, number | boolean | string>> = /* @__PURE__ */ Object.freeze({
  imageMaxKBytes: 1024,
  maxParticipants: 257,
  videoMaxEdge: 960,
  imageMaxEdge: 1600,
  statusVideoMaxDuration: 30,
  frequentlyForwardedMax: 4,
  groupDescLength: 512,
  groupSubjectLength: 25,
  mediaMaxKBytes: 65536,
});

/** `Conn.features` as the 2020 service sent it. */
export const CONN_FEATURES: Readonly<Record<string, boolean | string>> = /* @__PURE__ */ Object.freeze({
  KEY_PARTICIPANT: true,
  FLAGS: 'EAEYASgBOAFAAUgBWAFgAWgBeAGYAQGgAQGwAQK4AQHIAQHYAQHoAQL4AQM=',
});

/** How many of each chat's latest messages the `add:last` push after login carries. */
export const RECENT_MESSAGES_PER_CHAT = 20;

/**
 * Messages one chat of one account keeps (the sandbox's own bound, not a protocol value): beyond
 * it the oldest go, so a long-running sandbox does not grow without bound (~1.3 KB per message).
 */
export const MAX_MESSAGES_PER_CHAT = 10_000;

/** Longest `clientId` accepted by `admin init`/`admin login` (real ones are 16 bytes in Base64, 24 chars). */
export const MAX_CLIENT_ID_LENGTH = 100;

/** Longest browser description string accepted by `admin init` (and at most this many of them). */
export const MAX_BROWSER_STRING_LENGTH = 200;

/** At most this many browser description strings in `admin init` (real clients send 2 or 3). */
export const MAX_BROWSER_STRINGS = 8;

/**
 * Tasks held per account while its phone is unreachable (pushes, answers, deliveries). Beyond it
 * the oldest are dropped, as a phone's relay buffer would: the newest state wins.
 */
export const MAX_QUEUED_WHILE_UNREACHABLE = 1000;

/** Largest media blob the media server takes: `Props.mediaMaxKBytes` (64 MiB). */
export const MEDIA_MAX_BLOB_BYTES = 64 * 1024 * 1024;

/** Bytes of media kept in memory; the oldest blobs are evicted beyond it. */
export const MEDIA_MAX_TOTAL_BYTES = 256 * 1024 * 1024;

/**
 * Blob bytes written into the persisted state: the newest media up to 8 MiB survive a restart,
 * a bound that keeps `--state` files (and a browser's localStorage copy) reasonable.
 */
export const MEDIA_PERSIST_MAX_BYTES = 8 * 1024 * 1024;

/** Seconds a `mediaConn` auth stays valid. */
export const MEDIA_CONN_TTL_SECONDS = 300;

/**
 * Largest frame a logged-in client may send (4 MiB): far above any real client frame (a message
 * with a thumbnail, a profile picture: a few hundred KiB) and far below what would let one socket
 * eat the memory of all. Checked before parsing; the socket is closed with 1009.
 */
export const MAX_FRAME_BYTES = 4 * 1024 * 1024;

/** Largest frame before login (64 KiB): `admin init`/`login`/`challenge` are well under 1 KiB. */
export const MAX_FRAME_BYTES_BEFORE_LOGIN = 64 * 1024;

/** A socket not logged in that sends no complete frame for this long is closed (4006). */
export const HANDSHAKE_TIMEOUT_MS = 30_000;

/** A socket whose unsent data passes this many bytes (it does not read) is closed (4007). */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

/** A frame a client started must be complete within this long, or the socket is closed (4008). */
export const FRAME_TIMEOUT_MS = 30_000;

/**
 * Recipients remembered per own message for `query message_info` (who got and read it): a group
 * holds at most 257 members on the real service; beyond this the later recipients are not kept.
 */
export const MAX_RECEIPTS_PER_MESSAGE = 512;

/** Most messages one `query search` page holds; a larger `count` is cut to it. */
export const MAX_SEARCH_COUNT = 300;
