/**
 * Encrypted media attachments. A random 32-byte `mediaKey` travels inside the message; HKDF
 * expands it into an IV, an AES key, a MAC key and a reference key. The stored blob is
 * `AES-256-CBC(cipherKey, iv, file) ‖ HMAC-SHA256(macKey, iv ‖ ciphertext)[0:10]`.
 * @module
 */
import { aesCbcDecrypt, aesCbcEncrypt } from './aes-cbc.js';
import { assertBytes, assertInteger, assertObject } from './assert.js';
import { constantTimeEqual } from './constant-time.js';
import { InvalidInputError, MediaIntegrityError } from './errors.js';
import { hkdf, hmacSha256OfParts, sha256 } from './hash.js';
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

/** `HMAC-SHA256(macKey, iv ‖ ciphertext)[0:10]`. */
function mediaMac(keys: MediaKeys, ciphertext: Uint8Array): Uint8Array {
  return hmacSha256OfParts(keys.macKey, [keys.iv, ciphertext]).subarray(0, MEDIA_MAC_LENGTH);
}

/** Options of {@link encryptMedia}. */
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
  assertBytes(file, 'file');
  assertObject(options, 'options');
  if (options.mediaKey !== undefined) assertBytes(options.mediaKey, 'options.mediaKey', 32);
  const mediaKey = (options.mediaKey ?? drawRandom(options.randomBytes, 32)).slice();
  const keys = expandMediaKey(mediaKey, type);
  const ciphertext = aesCbcEncrypt(keys.cipherKey, keys.iv, file);
  const blob = new Uint8Array(ciphertext.length + MEDIA_MAC_LENGTH);
  blob.set(ciphertext, 0);
  blob.set(mediaMac(keys, ciphertext), ciphertext.length);
  return { mediaKey, blob, fileSha256: sha256(file), fileEncSha256: sha256(blob), fileLength: file.length };
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
  if (fileEncSha256 !== undefined && !constantTimeEqual(sha256(blob), fileEncSha256)) {
    throw new MediaIntegrityError('fileEncSha256', 'media blob does not match fileEncSha256');
  }
  const ciphertext = blob.subarray(0, cipherLength);
  if (!constantTimeEqual(mediaMac(keys, ciphertext), blob.subarray(cipherLength))) {
    throw new MediaIntegrityError('mac', 'media blob MAC mismatch');
  }
  const file = aesCbcDecrypt(keys.cipherKey, keys.iv, ciphertext);
  if (fileLength !== undefined && file.length !== fileLength) {
    throw new MediaIntegrityError('fileLength', `media file is ${file.length} bytes, expected ${fileLength}`);
  }
  if (fileSha256 !== undefined && !constantTimeEqual(sha256(file), fileSha256)) {
    throw new MediaIntegrityError('fileSha256', 'media file does not match fileSha256');
  }
  return file;
}
