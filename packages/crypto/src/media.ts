/**
 * Encrypted media attachments. A random 32-byte `mediaKey` travels inside the message; HKDF
 * expands it into an IV, an AES key, a MAC key and a reference key. The stored blob is
 * `AES-256-CBC(cipherKey, iv, file) ‖ HMAC-SHA256(macKey, iv ‖ ciphertext)[0:10]`.
 *
 * `encryptMedia`/`decryptMedia` are synchronous; `encryptMediaAsync`/`decryptMediaAsync` give the
 * same results and errors through WebCrypto in browsers, where native AES and SHA-256 are many
 * times faster than the synchronous pure-JavaScript code on large files (in Node both run
 * `node:crypto`). The argument checks and the order of the integrity checks are shared by all four.
 * @module
 */
import { backend } from '#backend';
import { decryptUnpadded } from './aes-cbc.js';
import { assertBytes, assertInteger, assertObject } from './assert.js';
import { constantTimeEqual } from './constant-time.js';
import { InvalidInputError, MediaIntegrityError, PaddingError } from './errors.js';
import { hkdf } from './hash.js';
import { drawRandom, type RandomSource } from './random.js';

/** The kinds of media the protocol encrypts. */
export type MediaType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

/**
 * HKDF info string per media type. Stickers are images to the protocol and share their keys
 * (there is no "WhatsApp Sticker Keys").
 */
const MEDIA_INFO: Readonly<Record<MediaType, string>> = {
  image: 'WhatsApp Image Keys',
  video: 'WhatsApp Video Keys',
  audio: 'WhatsApp Audio Keys',
  document: 'WhatsApp Document Keys',
  sticker: 'WhatsApp Image Keys',
};

/** Length of the truncated HMAC appended to a media blob. */
const MEDIA_MAC_LENGTH = 10;

/** The four keys expanded from a media key. */
export type MediaKeys = {
  /** AES-CBC IV, 16 bytes. */
  iv: Uint8Array;
  /** AES-256 key, 32 bytes. */
  cipherKey: Uint8Array;
  /** HMAC-SHA256 key for the blob MAC, 32 bytes. */
  macKey: Uint8Array;
  /** Reference key, 32 bytes (unused by the legacy web client, kept for completeness). */
  refKey: Uint8Array;
};

function mediaInfo(type: unknown): string {
  if (typeof type !== 'string' || !Object.hasOwn(MEDIA_INFO, type)) {
    throw new InvalidInputError(`media type must be one of ${Object.keys(MEDIA_INFO).join(', ')}, got ${String(type)}`);
  }
  return MEDIA_INFO[type as MediaType];
}

/**
 * Expands a media key: `HKDF-SHA256(salt = none, mediaKey, info = "WhatsApp <Type> Keys", 112)`
 * split into `iv [0:16]`, `cipherKey [16:48]`, `macKey [48:80]`, `refKey [80:112]`.
 * @param mediaKey - the 32-byte media key from the message
 * @param type - the media type, which selects the HKDF info string
 * @returns the expanded keys
 * @example
 * ```ts
 * const { iv, cipherKey, macKey } = expandMediaKey(imageMessage.mediaKey, 'image');
 * ```
 */
export function expandMediaKey(mediaKey: Uint8Array, type: MediaType): MediaKeys {
  assertBytes(mediaKey, 'mediaKey', 32);
  const expanded = hkdf(mediaKey, { info: mediaInfo(type), length: 112 });
  return {
    iv: expanded.subarray(0, 16),
    cipherKey: expanded.subarray(16, 48),
    macKey: expanded.subarray(48, 80),
    refKey: expanded.subarray(80, 112),
  };
}

/** Options of {@link encryptMedia} and {@link encryptMediaAsync}. */
export interface EncryptMediaOptions {
  /**
   * A fixed 32-byte media key (known-answer tests, re-encrypting). The IV is always derived from
   * it, so there is no separate IV option. By default a fresh key is drawn.
   */
  mediaKey?: Uint8Array;
  /** Source of the media key when none is given; inject a seeded one for reproducible output. */
  randomBytes?: RandomSource;
}

/** Result of {@link encryptMedia}: the blob to upload and the fields of the media message. */
export interface EncryptedMedia {
  /** The 32-byte media key, sent inside the message. */
  mediaKey: Uint8Array;
  /** The stored blob: ciphertext followed by the 10-byte MAC. */
  blob: Uint8Array;
  /** SHA-256 of the plain file. */
  fileSha256: Uint8Array;
  /** SHA-256 of the blob. */
  fileEncSha256: Uint8Array;
  /** Length of the plain file in bytes. */
  fileLength: number;
}

/** Checks the arguments of both encrypt calls; returns the media key and its expansion. */
function prepareEncrypt(file: Uint8Array, type: MediaType, options: EncryptMediaOptions): { mediaKey: Uint8Array; keys: MediaKeys } {
  assertBytes(file, 'file');
  assertObject(options, 'options');
  if (options.mediaKey !== undefined) assertBytes(options.mediaKey, 'options.mediaKey', 32);
  const mediaKey = (options.mediaKey ?? drawRandom(options.randomBytes, 32)).slice();
  return { mediaKey, keys: expandMediaKey(mediaKey, type) };
}

/**
 * Encrypts a media file for upload.
 * @param file - the plain file bytes
 * @param type - the media type
 * @param options - a fixed media key or a random source
 * @returns the blob and the message fields
 * @example
 * ```ts
 * const media = encryptMedia(jpegBytes, 'image');
 * await upload(media.blob);
 * const imageMessage = { mediaKey: media.mediaKey, fileSha256: media.fileSha256,
 *   fileEncSha256: media.fileEncSha256, fileLength: media.fileLength, mimetype: 'image/jpeg' };
 * ```
 */
export function encryptMedia(file: Uint8Array, type: MediaType, options: EncryptMediaOptions = {}): EncryptedMedia {
  const { mediaKey, keys } = prepareEncrypt(file, type, options);
  const { blob, fileSha256, fileEncSha256 } = backend.encryptMedia(keys.cipherKey, keys.iv, keys.macKey, file);
  return { mediaKey, blob, fileSha256, fileEncSha256, fileLength: file.length };
}

/**
 * {@link encryptMedia} as a promise, for large files: in browsers AES, HMAC and SHA-256 run in
 * WebCrypto (native, off the main thread), which is many times faster than the synchronous code
 * for files of megabytes; without `crypto.subtle` (an insecure http:// page) it runs the
 * synchronous code. In Node it runs the same `node:crypto` code as `encryptMedia`. Same
 * arguments, same result, same errors (as rejections).
 * @param file - the plain file bytes
 * @param type - the media type
 * @param options - a fixed media key or a random source
 * @returns the blob and the message fields
 * @example
 * ```ts
 * const media = await encryptMediaAsync(new Uint8Array(await file.arrayBuffer()), 'video');
 * ```
 */
export async function encryptMediaAsync(file: Uint8Array, type: MediaType, options: EncryptMediaOptions = {}): Promise<EncryptedMedia> {
  const { mediaKey, keys } = prepareEncrypt(file, type, options);
  const { blob, fileSha256, fileEncSha256 } = await backend.async.encryptMedia(keys.cipherKey, keys.iv, keys.macKey, file);
  return { mediaKey, blob, fileSha256, fileEncSha256, fileLength: file.length };
}

/** What the message says about the file, checked by {@link decryptMedia} when given. */
export interface ExpectedMedia {
  /** SHA-256 of the plain file (32 bytes). */
  fileSha256?: Uint8Array;
  /** SHA-256 of the blob (32 bytes). */
  fileEncSha256?: Uint8Array;
  /** Length of the plain file in bytes. */
  fileLength?: number;
}

/** A checked blob split into its parts, with the keys and the expectations. */
interface PreparedDecrypt {
  keys: MediaKeys;
  ciphertext: Uint8Array;
  mac: Uint8Array;
  expected: ExpectedMedia;
}

/** Checks the arguments of both decrypt calls and splits the blob. */
function prepareDecrypt(blob: Uint8Array, mediaKey: Uint8Array, type: MediaType, expected: ExpectedMedia): PreparedDecrypt {
  assertBytes(blob, 'blob');
  assertObject(expected, 'expected');
  const { fileSha256, fileEncSha256, fileLength } = expected;
  if (fileSha256 !== undefined) assertBytes(fileSha256, 'expected.fileSha256', 32);
  if (fileEncSha256 !== undefined) assertBytes(fileEncSha256, 'expected.fileEncSha256', 32);
  if (fileLength !== undefined) assertInteger(fileLength, 'expected.fileLength', 0, Number.MAX_SAFE_INTEGER);
  const keys = expandMediaKey(mediaKey, type);
  const cipherLength = blob.length - MEDIA_MAC_LENGTH;
  if (cipherLength < 16 || cipherLength % 16 !== 0) {
    throw new InvalidInputError(`media blob must be whole 16-byte blocks plus a 10-byte MAC, got ${blob.length} bytes`);
  }
  return { keys, ciphertext: blob.subarray(0, cipherLength), mac: blob.subarray(cipherLength), expected: { fileSha256, fileEncSha256, fileLength } };
}

function checkBlobHash(actual: Uint8Array, expected: Uint8Array): void {
  if (!constantTimeEqual(actual, expected)) throw new MediaIntegrityError('fileEncSha256', 'media blob does not match fileEncSha256');
}

function checkMac(fullMac: Uint8Array, mac: Uint8Array): void {
  if (!constantTimeEqual(fullMac.subarray(0, MEDIA_MAC_LENGTH), mac)) throw new MediaIntegrityError('mac', 'media blob MAC mismatch');
}

function checkLength(file: Uint8Array, fileLength: number | undefined): void {
  if (fileLength !== undefined && file.length !== fileLength) {
    throw new MediaIntegrityError('fileLength', `media file is ${file.length} bytes, expected ${fileLength}`);
  }
}

function checkFileHash(actual: Uint8Array, expected: Uint8Array): void {
  if (!constantTimeEqual(actual, expected)) throw new MediaIntegrityError('fileSha256', 'media file does not match fileSha256');
}

/**
 * Verifies and decrypts a downloaded media blob. Checks, in order: `fileEncSha256` of the blob
 * (when given), the 10-byte MAC in constant time (always; before decrypting), the padding,
 * then `fileLength` and `fileSha256` of the result (when given).
 * @param blob - the downloaded blob
 * @param mediaKey - the 32-byte media key from the message
 * @param type - the media type from the message
 * @param expected - hashes and length from the message to check
 * @returns the plain file
 * @throws InvalidInputError when the blob cannot be ciphertext plus MAC, or an argument is malformed
 * @throws MediaIntegrityError when a check fails (`error.check` says which)
 * @throws PaddingError when an authentic blob has malformed padding
 * @example
 * ```ts
 * const jpeg = decryptMedia(await download(url), msg.mediaKey, 'image', {
 *   fileSha256: msg.fileSha256, fileEncSha256: msg.fileEncSha256,
 * });
 * ```
 */
export function decryptMedia(blob: Uint8Array, mediaKey: Uint8Array, type: MediaType, expected: ExpectedMedia = {}): Uint8Array {
  const { keys, ciphertext, mac, expected: want } = prepareDecrypt(blob, mediaKey, type, expected);
  if (want.fileEncSha256 !== undefined) checkBlobHash(backend.sha256(blob), want.fileEncSha256);
  checkMac(backend.hmacSha256Parts(keys.macKey, [keys.iv, ciphertext]), mac);
  const file = decryptUnpadded(keys.cipherKey, keys.iv, ciphertext);
  checkLength(file, want.fileLength);
  if (want.fileSha256 !== undefined) checkFileHash(backend.sha256(file), want.fileSha256);
  return file;
}

/**
 * {@link decryptMedia} as a promise, for large files: WebCrypto in browsers (native AES and
 * SHA-256; the synchronous code where `crypto.subtle` is missing), `node:crypto` in Node. The
 * same checks in the same order, the same errors (as rejections): nothing is decrypted before
 * the MAC matched.
 * @param blob - the downloaded blob
 * @param mediaKey - the 32-byte media key from the message
 * @param type - the media type from the message
 * @param expected - hashes and length from the message to check
 * @returns the plain file
 * @throws InvalidInputError when the blob cannot be ciphertext plus MAC, or an argument is malformed
 * @throws MediaIntegrityError when a check fails (`error.check` says which)
 * @throws PaddingError when an authentic blob has malformed padding
 * @example
 * ```ts
 * const video = await decryptMediaAsync(new Uint8Array(await response.arrayBuffer()), msg.mediaKey, 'video', {
 *   fileSha256: msg.fileSha256, fileEncSha256: msg.fileEncSha256, fileLength: Number(msg.fileLength),
 * });
 * ```
 */
export async function decryptMediaAsync(blob: Uint8Array, mediaKey: Uint8Array, type: MediaType, expected: ExpectedMedia = {}): Promise<Uint8Array> {
  const { keys, ciphertext, mac, expected: want } = prepareDecrypt(blob, mediaKey, type, expected);
  const [blobHash, fullMac] = await Promise.all([
    want.fileEncSha256 === undefined ? undefined : backend.async.sha256(blob),
    backend.async.mediaMac(keys.macKey, keys.iv, ciphertext),
  ]);
  if (blobHash !== undefined && want.fileEncSha256 !== undefined) checkBlobHash(blobHash, want.fileEncSha256);
  checkMac(fullMac, mac);
  const file = await backend.async.aesCbcDecrypt(keys.cipherKey, keys.iv, ciphertext);
  if (file === null) throw new PaddingError('invalid PKCS#7 padding');
  checkLength(file, want.fileLength);
  if (want.fileSha256 !== undefined) checkFileHash(await backend.async.sha256(file), want.fileSha256);
  return file;
}
