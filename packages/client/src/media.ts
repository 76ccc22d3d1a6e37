/**
 * Media: encrypt, upload and relay (`sendMedia`), and fetch, verify and decrypt
 * (`downloadMedia`). Upload credentials come from `["query","mediaConn"]` and are reused until
 * their `ttl` runs out; HTTP goes through the client's `fetch` option so tests and in-page
 * servers can route it.
 * @module
 */
import { CryptoError, decryptMedia, encryptMedia, toBase64, type EncryptedMedia, type ExpectedMedia, type MediaType } from '@wa/crypto';
import { type ContextInfoInput, type Message, type MessageInput, type QuotedMessage, type WebMessageInfo, type WebMessageInfoInput } from '@wa/proto';
import { type CachedMediaConn, type ClientContext } from './context.js';
import { InvalidArgumentError, MediaError } from './errors.js';
import { checkJid, checkMentions, toProtoJid } from './jid.js';
import { messageContent } from './message-details.js';
import { claimMessageId, messageIdOf, quotedOf, relayMessage, sendFailure, type SentMessage } from './messaging.js';
import { refreshableKey, refreshMediaUrl } from './media-refresh.js';
import { requireSendable, whenRequestable, whenSessionOpen } from './send-queue.js';
import { requestJson } from './outgoing.js';
import { statusOf } from './replies.js';
import type { MessageEvent } from './types.js';

export type { MediaType } from '@wa/crypto';

/** Options of {@link WAClient.sendMedia}: the kind of file and the fields shown with it. */
export interface SendMediaOptions {
  /** Which media message to send; also selects the encryption keys (`sticker` uses the image keys). */
  type: MediaType;
  /** The file's MIME type, e.g. `image/jpeg`, `application/pdf`, `audio/ogg; codecs=opus`. */
  mimetype: string;
  /** Text under an image or video. */
  caption?: string;
  /** The name a document is shown and saved under. */
  fileName?: string;
  /** Duration of audio or video, in seconds. */
  seconds?: number;
  /** Audio only: a voice note (push to talk) rather than an audio file. */
  ptt?: boolean;
  /** Pixel width of an image, video or sticker. */
  width?: number;
  /** Pixel height of an image, video or sticker. */
  height?: number;
  /** The message this one replies to, as for `sendText`. */
  quoted?: WebMessageInfo | QuotedMessage;
  /** Mentioned users (`…@c.us`), for a caption that names them. */
  mentions?: readonly string[];
  /** The message id, as for `sendText`: pass an earlier attempt's id to send it again without a duplicate. Default: a fresh one. */
  id?: string;
  /** Image, video and document: a small JPEG shown until the file is downloaded (`jpegThumbnail`); none when left out. */
  thumbnail?: Uint8Array;
}

/** What a media message says about its file (no keys): enough to show it before downloading. */
export interface MediaInfo {
  type: MediaType;
  mimetype?: string;
  caption?: string;
  fileName?: string;
  /** Size of the plain file in bytes. */
  fileLength?: number;
  seconds?: number;
  ptt?: boolean;
  width?: number;
  height?: number;
}

/** Where {@link WAClient.downloadMedia} finds the media: a `message` event, a `WebMessageInfo` or a `Message`. */
export type MediaSource = MessageEvent | WebMessageInfo | Message;

const fieldOf: Readonly<Record<MediaType, 'imageMessage' | 'videoMessage' | 'audioMessage' | 'documentMessage' | 'stickerMessage'>> = /* @__PURE__ */ Object.freeze({
  image: 'imageMessage',
  video: 'videoMessage',
  audio: 'audioMessage',
  document: 'documentMessage',
  sticker: 'stickerMessage',
});
const mediaTypes = /* @__PURE__ */ Object.keys(fieldOf) as MediaType[];

/** The options each type may carry; anything else is refused rather than silently dropped. */
const allowed: Readonly<Record<MediaType, readonly (keyof SendMediaOptions)[]>> = /* @__PURE__ */ Object.freeze({
  image: ['caption', 'width', 'height'],
  video: ['caption', 'seconds', 'width', 'height'],
  audio: ['seconds', 'ptt'],
  document: ['fileName'],
  sticker: ['width', 'height'],
});

/** A `media_conn` host is `host[:port]` only: anything else could smuggle a path into the upload URL. */
const HOSTNAME = /^[A-Za-z0-9.[\]:-]+$/;

/** The fields of any media message that {@link downloadMedia} and {@link mediaInfo} read. */
export interface MediaContent {
  url?: string;
  directPath?: string;
  mediaKey?: Uint8Array;
  fileSha256?: Uint8Array;
  fileEncSha256?: Uint8Array;
  fileLength?: string;
  mimetype?: string;
  caption?: string;
  fileName?: string;
  seconds?: number;
  ptt?: boolean;
  width?: number;
  height?: number;
}

/**
 * `base64url` without padding: the upload token legacy clients derived from `fileEncSha256`.
 * @example
 * ```ts
 * mediaToken(sha256(blob)); // '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU'
 * ```
 */
export function mediaToken(fileEncSha256: Uint8Array): string {
  return toBase64(fileEncSha256).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The media of a message, without its keys; `undefined` for a message without media.
 * @example
 * ```ts
 * client.on('message', (event) => {
 *   const media = mediaInfo(event);
 *   if (media?.type === 'image') console.log('image', media.caption);
 * });
 * ```
 */
export function mediaInfo(source: MediaSource): MediaInfo | undefined {
  const found = findMedia(source);
  if (!found) return undefined;
  const { type, content } = found;
  const info: MediaInfo = { type };
  if (typeof content.mimetype === 'string') info.mimetype = content.mimetype;
  if (typeof content.caption === 'string') info.caption = content.caption;
  if (typeof content.fileName === 'string') info.fileName = content.fileName;
  const fileLength = lengthOf(content.fileLength);
  if (fileLength !== undefined) info.fileLength = fileLength;
  if (typeof content.seconds === 'number') info.seconds = content.seconds;
  if (typeof content.ptt === 'boolean') info.ptt = content.ptt;
  if (typeof content.width === 'number') info.width = content.width;
  if (typeof content.height === 'number') info.height = content.height;
  return info;
}

/**
 * See {@link WAClient.sendMedia}.
 * @example
 * ```ts
 * const sent = await sendMedia(context, '15550100002@c.us', jpeg, { type: 'image', mimetype: 'image/jpeg' });
 * ```
 */
export async function sendMedia(context: ClientContext, jid: string, file: Uint8Array, options: SendMediaOptions): Promise<SentMessage> {
  const chat = checkJid(jid);
  if (!(file instanceof Uint8Array) || file.length === 0) throw new InvalidArgumentError('file must be a non-empty Uint8Array');
  const fields = checkMediaOptions(options);
  const thumbnail = checkThumbnail(options);
  const mentions = checkMentions(options.mentions);
  const id = messageIdOf(options.id);
  requireSendable(context);
  claimMessageId(context, id);
  const quoted = options.quoted === undefined ? undefined : quotedOf(context, options.quoted);
  // The upload needs the session (mediaConn): while the client reconnects, wait for it first.
  await whenSessionOpen(context, sendFailure(id, chat, () => sendMedia(context, jid, file, { ...options, id }), () => false));
  const encrypted = encryptMedia(file, options.type);
  const stored = await upload(context, options.type, encrypted);
  const timestamp = Math.floor(Date.now() / 1000);
  const contextInfo: ContextInfoInput | undefined =
    quoted === undefined && mentions.length === 0
      ? undefined
      : {
          ...(quoted && { stanzaId: quoted.id, participant: quoted.participant, quotedMessage: quoted.message }),
          ...(quoted?.remoteJid !== undefined && { remoteJid: quoted.remoteJid }),
          ...(mentions.length > 0 && { mentionedJid: mentions }),
        };
  const content = {
    url: stored.url,
    directPath: stored.directPath,
    mediaKey: encrypted.mediaKey,
    fileSha256: encrypted.fileSha256,
    fileEncSha256: encrypted.fileEncSha256,
    fileLength: encrypted.fileLength,
    mimetype: options.mimetype,
    mediaKeyTimestamp: timestamp,
    ...fields,
    // Phones showed a document's `title`; the web client filled it with the file name.
    ...(options.type === 'document' && fields.fileName !== undefined && { title: fields.fileName }),
    ...(thumbnail !== undefined && { jpegThumbnail: thumbnail }),
    ...(contextInfo && { contextInfo }),
  };
  const message = { [fieldOf[options.type]]: content } as MessageInput;
  const input: WebMessageInfoInput = {
    key: { remoteJid: toProtoJid(chat), fromMe: true, id },
    message,
    messageTimestamp: timestamp,
    status: 'PENDING',
  };
  return relayMessage(context, chat, input);
}

/**
 * See {@link WAClient.downloadMedia}.
 * @example
 * ```ts
 * const jpeg = await downloadMedia(context, event);
 * ```
 */
export async function downloadMedia(context: ClientContext, source: MediaSource): Promise<Uint8Array> {
  const found = findMedia(source);
  if (!found) throw new MediaError('NO_MEDIA', 'the message carries no image, video, audio, document or sticker');
  const { type, content } = found;
  const mediaKey = content.mediaKey;
  if (!(mediaKey instanceof Uint8Array) || mediaKey.length !== 32) throw new MediaError('NO_MEDIA', `the ${type} has no 32-byte media key`);
  let blob: Uint8Array;
  try {
    blob = await fetchBlob(context, await downloadUrl(context, content));
  } catch (error) {
    // An expired URL (404/410): ask the phone for the current one once, when the message names its chat and id.
    const expired = error instanceof MediaError && (error.status === 404 || error.status === 410);
    if (!expired || refreshableKey(source) === undefined || context.state !== 'open') throw error;
    context.logger.info('media URL expired: refreshing it', { status: error.status });
    await refreshMediaUrl(context, source as MessageEvent | WebMessageInfo);
    blob = await fetchBlob(context, await downloadUrl(context, content));
  }
  const expected: ExpectedMedia = {};
  if (content.fileSha256 !== undefined) expected.fileSha256 = content.fileSha256;
  if (content.fileEncSha256 !== undefined) expected.fileEncSha256 = content.fileEncSha256;
  const fileLength = lengthOf(content.fileLength);
  if (fileLength !== undefined) expected.fileLength = fileLength;
  try {
    return decryptMedia(blob, mediaKey, type, expected);
  } catch (cause) {
    // A MAC or hash mismatch, and also a blob that is no ciphertext at all: either way the bytes
    // are not the file the message describes, and none of them are handed out.
    if (cause instanceof CryptoError) throw new MediaError('INTEGRITY', `the downloaded ${type} failed its checks: ${cause.message}`, { cause });
    throw cause;
  }
}

async function fetchBlob(context: ClientContext, url: string): Promise<Uint8Array> {
  try {
    const response = await context.fetch(url, { method: 'GET' });
    if (!response.ok) throw new MediaError('DOWNLOAD_FAILED', `the media host answered ${response.status}`, { status: response.status });
    return new Uint8Array(await response.arrayBuffer());
  } catch (cause) {
    if (cause instanceof MediaError) throw cause;
    throw new MediaError('DOWNLOAD_FAILED', `the media host could not be reached: ${(cause as Error)?.message ?? cause}`, { cause });
  }
}

/**
 * The media field of a message and its type (internal: shared with `media-refresh.ts`).
 * @example
 * ```ts
 * findMedia(event)?.content.directPath; // '/d/f/….enc'
 * ```
 */
export function findMedia(source: MediaSource): { type: MediaType; content: MediaContent } | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const message: Message | undefined = messageContent(
    'info' in source ? source.info.message : 'key' in source ? (source as WebMessageInfo).message : (source as Message),
  );
  if (typeof message !== 'object' || message === null) return undefined;
  for (const type of mediaTypes) {
    const content = message[fieldOf[type]] as MediaContent | undefined;
    if (typeof content === 'object' && content !== null) return { type, content };
  }
  return undefined;
}

function lengthOf(value: unknown): number | undefined {
  const length = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN;
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/** The caller's JPEG thumbnail: only image, video and document messages carry `jpegThumbnail`. */
function checkThumbnail(options: SendMediaOptions): Uint8Array | undefined {
  const thumbnail = options?.thumbnail;
  if (thumbnail === undefined) return undefined;
  if (!(thumbnail instanceof Uint8Array) || thumbnail.length === 0) throw new InvalidArgumentError('thumbnail must be a non-empty Uint8Array (JPEG bytes)');
  if (options.type !== 'image' && options.type !== 'video' && options.type !== 'document') throw new InvalidArgumentError(`thumbnail does not apply to ${options.type} messages`);
  return thumbnail;
}

function checkMediaOptions(options: SendMediaOptions): Partial<SendMediaOptions> {
  if (typeof options !== 'object' || options === null) throw new InvalidArgumentError('options must be { type, mimetype, … }');
  const { type } = options;
  if (!mediaTypes.includes(type)) throw new InvalidArgumentError(`type must be one of ${mediaTypes.join(', ')}`);
  if (typeof options.mimetype !== 'string' || !/^[\w.+-]+\/[\w.+-]+(\s*;.*)?$/.test(options.mimetype)) {
    throw new InvalidArgumentError('mimetype must be a MIME type such as image/jpeg');
  }
  const fields: Partial<SendMediaOptions> = {};
  for (const name of ['caption', 'fileName', 'seconds', 'ptt', 'width', 'height'] as const) {
    const value = options[name];
    if (value === undefined) continue;
    if (!allowed[type].includes(name)) throw new InvalidArgumentError(`${name} does not apply to ${type} messages`);
    const ok =
      name === 'caption' || name === 'fileName'
        ? typeof value === 'string' && value.length > 0
        : name === 'ptt'
          ? typeof value === 'boolean'
          : Number.isSafeInteger(value) && (value as number) >= 0;
    if (!ok) throw new InvalidArgumentError(`${name} is malformed`);
    (fields as Record<string, unknown>)[name] = value;
  }
  return fields;
}

/** The cached `media_conn`, or a fresh one; `cached` says which, so a refusal can retry once with a fresh one. */
async function getMediaConn(context: ClientContext, fresh = false): Promise<{ conn: CachedMediaConn; cached: boolean }> {
  const current = context.mediaConn;
  if (!fresh && current !== undefined && current.expiresAt > Date.now()) return { conn: current, cached: true };
  const reply = await requestJson(context, ['query', 'mediaConn']);
  const status = statusOf(reply);
  const body = (reply as { media_conn?: unknown } | null)?.media_conn as { auth?: unknown; ttl?: unknown; hosts?: unknown } | undefined;
  if (status !== 200 || typeof body !== 'object' || body === null) {
    throw new MediaError('MEDIA_CONN_FAILED', `mediaConn was answered with status ${status}`, status === undefined ? {} : { status });
  }
  const { auth, ttl, hosts } = body;
  const parsedHosts: CachedMediaConn['hosts'] = Array.isArray(hosts)
    ? hosts.flatMap((host: { hostname?: unknown; scheme?: unknown } | null): CachedMediaConn['hosts'] => {
        const hostname = host?.hostname;
        const scheme = host?.scheme ?? 'https';
        return typeof hostname === 'string' && HOSTNAME.test(hostname) && (scheme === 'http' || scheme === 'https') ? [{ hostname, scheme }] : [];
      })
    : [];
  if (typeof auth !== 'string' || auth === '' || typeof ttl !== 'number' || !(ttl > 0) || parsedHosts.length === 0) {
    throw new MediaError('MEDIA_CONN_FAILED', 'mediaConn did not give an auth, a ttl and a usable host', { status });
  }
  const conn: CachedMediaConn = { auth, hosts: parsedHosts, expiresAt: Date.now() + ttl * 1000 };
  context.mediaConn = conn;
  return { conn, cached: false };
}

async function upload(context: ClientContext, type: MediaType, encrypted: EncryptedMedia): Promise<{ url: string; directPath: string }> {
  const token = mediaToken(encrypted.fileEncSha256);
  let { conn, cached } = await getMediaConn(context);
  for (;;) {
    const answer = await uploadOnce(context, conn, type, token, encrypted.blob);
    if ('url' in answer) return answer;
    // A cached auth the server has forgotten (restart, early expiry): one retry with a fresh one.
    if (cached && (answer.status === 401 || answer.status === 403)) {
      ({ conn, cached } = await getMediaConn(context, true));
      continue;
    }
    if (answer.status === 401 || answer.status === 403) context.mediaConn = undefined;
    throw new MediaError('UPLOAD_FAILED', `the media host refused the upload with status ${answer.status}`, { status: answer.status });
  }
}

/** Tries each host in turn while they cannot be reached; an HTTP answer ends the attempt. */
async function uploadOnce(
  context: ClientContext,
  conn: CachedMediaConn,
  type: MediaType,
  token: string,
  blob: Uint8Array,
): Promise<{ url: string; directPath: string } | { status: number }> {
  let lastError: unknown;
  for (const host of conn.hosts) {
    const url = `${host.scheme}://${host.hostname}/mms/${type}/${token}?auth=${encodeURIComponent(conn.auth)}&token=${token}`;
    let response: Response;
    try {
      response = await context.fetch(url, { method: 'POST', body: blob as Uint8Array<ArrayBuffer> });
    } catch (cause) {
      lastError = cause;
      context.logger.warn('media host unreachable', { hostname: host.hostname });
      continue;
    }
    if (!response.ok) return { status: response.status };
    let body: { url?: unknown; direct_path?: unknown } | null;
    try {
      body = (await response.json()) as typeof body;
    } catch (cause) {
      throw new MediaError('UPLOAD_FAILED', 'the media host answered the upload with something else than JSON', { status: response.status, cause });
    }
    if (typeof body?.url !== 'string' || typeof body.direct_path !== 'string') {
      throw new MediaError('UPLOAD_FAILED', 'the media host did not answer with { url, direct_path }', { status: response.status });
    }
    return { url: body.url, directPath: body.direct_path };
  }
  throw new MediaError('UPLOAD_FAILED', `no media host could be reached: ${(lastError as Error)?.message ?? lastError}`, { cause: lastError });
}

/** The message's `url`, or its `directPath` on a media host of `mediaConn` (needs the session). */
async function downloadUrl(context: ClientContext, content: MediaContent): Promise<string> {
  if (typeof content.url === 'string' && /^https?:\/\//.test(content.url)) return content.url;
  if (typeof content.directPath === 'string' && content.directPath.startsWith('/')) {
    await whenRequestable(context);
    const host = (await getMediaConn(context)).conn.hosts[0]!;
    return `${host.scheme}://${host.hostname}${content.directPath}`;
  }
  throw new MediaError('NO_MEDIA', 'the media has neither a URL nor a direct path');
}
