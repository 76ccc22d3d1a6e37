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
