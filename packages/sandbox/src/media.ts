import { constantTimeEqual, fromBase64, sha256, toBase64, toHex, utf8Encode } from '@wa/crypto';
import type { Clock } from './clock.js';
import { SandboxError } from './errors.js';
import type { RandomSource } from './random.js';

/**
 * The media server of the sandbox (the legacy `mmg.whatsapp.net` hosts): hands out upload
 * credentials for `["query","mediaConn"]`, takes encrypted blobs and serves them back. It keeps
 * blobs in memory; {@link MediaStore.exportBlobs} hands the newest of them to the persisted state
 * (bounded by `persistMaxBytes`) and {@link MediaStore.restoreBlobs} takes them back after a
 * restart. It has no transport of its own: the Node server maps HTTP onto
 * {@link MediaStore.upload} and {@link MediaStore.download}; in-process and in-browser tests call
 * them directly.
 */

/** Upload path segments: `/mms/<type>/<token>`, as legacy clients built them. */
export type MediaUploadType = 'image' | 'video' | 'audio' | 'document' | 'sticker';

const uploadTypes: ReadonlySet<string> = /* @__PURE__ */ new Set<MediaUploadType>(['image', 'video', 'audio', 'document', 'sticker']);

/** Where clients upload: the host entry of `media_conn.hosts`. */
export interface MediaHost {
  /** `host[:port]`, without scheme, exactly what legacy clients put after `https://`. */
  hostname: string;
  /** The scheme to use; `http` for the local Node server (legacy clients assumed `https`). */
  scheme: 'http' | 'https';
}

/** The `media_conn` object of the `mediaConn` answer. */
export interface MediaConn {
  /** Upload credential, sent back as `?auth=`. */
  auth: string;
  /** Seconds the credential stays valid. */
  ttl: number;
  hosts: Array<{ hostname: string; scheme: 'http' | 'https' }>;
}

/** An upload request as the HTTP route (or a test) sees it. */
export interface MediaUploadRequest {
  /** The request path, `/mms/<type>/<token>` (a query string is ignored; pass `auth`/`token`). */
  path: string;
  /** The `auth` query parameter. */
  auth?: string | null;
  /** The `token` query parameter; when given it must equal the path token. */
  token?: string | null;
  /** The encrypted blob. */
  body: Uint8Array;
}

/** The answer to an upload; `body` is what the HTTP route sends as JSON with `status`. */
export type MediaUploadResponse =
  | { status: 200; body: { url: string; direct_path: string } }
  | { status: 400 | 401 | 403 | 404 | 413; body: { error: string; message: string } };

/** A blob the store holds. */
export interface StoredMedia {
  /** `/d/f/<id>.enc`. */
  directPath: string;
  /** `<scheme>://<hostname>/d/f/<id>.enc`. */
  url: string;
  /** SHA-256 of the blob. */
  fileEncSha256: Uint8Array;
  size: number;
}

/** Limits of the media store. */
export interface MediaStoreLimits {
  /** Largest accepted blob in bytes. */
  maxBlobBytes: number;
  /** Total bytes kept; the oldest blobs are evicted beyond it. */
  maxTotalBytes: number;
  /** Lifetime of a `mediaConn` auth in seconds. */
  ttlSeconds: number;
  /**
   * Blob bytes written into the persisted state (`exportState()`, the `--state` file): the newest
   * blobs that fit are kept, older ones are left out (and gone after a restart). 0 keeps none.
   */
  persistMaxBytes: number;
}

/**
 * A blob as persisted in the sandbox state: its id (the `<id>` of `/d/f/<id>.enc`) and the
 * encrypted bytes in Base64. The URL is not stored: it is derived from the host of the run.
 */
export interface PersistedMedia {
  /** 32 lowercase hex digits. */
  id: string;
  /** Base64 of the encrypted blob. */
  blob: string;
}

/** At most this many live upload credentials; older ones are forgotten first. */
const MAX_AUTHS = 256;

/**
 * `base64url` without padding, as legacy clients wrote `fileEncSha256` into the upload URL.
 * @example
 * ```ts
 * const token = mediaToken(media.fileEncSha256); // "47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU"
 * ```
 */
export function mediaToken(fileEncSha256: Uint8Array): string {
  return toBase64(fileEncSha256).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The in-memory media server.
 * @example
 * ```ts
 * const conn = sandbox.media.conn();                       // what ["query","mediaConn"] answers
 * const answer = sandbox.media.upload({ path: `/mms/image/${mediaToken(m.fileEncSha256)}`,
 *   auth: conn.auth, body: m.blob });                        // { status: 200, body: { url, direct_path } }
 * const blob = sandbox.media.download(answer.body.direct_path);
 * ```
 */
export class MediaStore {
  readonly limits: Readonly<MediaStoreLimits>;
  readonly #clock: Clock;
  readonly #random: RandomSource;
  readonly #blobs = new Map<string, { blob: Uint8Array; fileEncSha256: Uint8Array }>();
  /**
   * The URL generation of blobs whose URLs {@link MediaStore.expire} retired: URLs carry `?v=<n>`
   * from generation 1 on, and a URL of an older generation is gone (404 or 410, as chosen) until a
   * refresh hands out the current one. Not persisted: a restart forgets expiries.
   */
  readonly #generations = new Map<string, number>();
  readonly #expiredStatus = new Map<string, 404 | 410>();
  readonly #auths = new Map<string, number>();
  #host: MediaHost = { hostname: 'media.sandbox.invalid', scheme: 'http' };
  #totalBytes = 0;

  constructor(clock: Clock, random: RandomSource, limits: MediaStoreLimits) {
    this.#clock = clock;
    this.#random = random;
    this.limits = Object.freeze({ ...limits });
  }

  /** Where blobs are said to live; the Node server sets its own `127.0.0.1:<port>` over `http`. */
  get host(): Readonly<MediaHost> {
    return this.#host;
  }

  /**
   * Sets the host announced in `media_conn` and used in download URLs.
   * @throws SandboxError INVALID_ARGUMENT for a hostname with a scheme, path or spaces
   */
  setHost(host: MediaHost): void {
    if (typeof host?.hostname !== 'string' || !/^[A-Za-z0-9.[\]:-]+$/.test(host.hostname) || (host.scheme !== 'http' && host.scheme !== 'https')) {
      throw new SandboxError('INVALID_ARGUMENT', 'media host must be { hostname: "host[:port]", scheme: "http" | "https" }');
    }
    this.#host = { hostname: host.hostname, scheme: host.scheme };
  }

  /** Total bytes held and the number of blobs. */
  get usage(): { blobs: number; bytes: number } {
    return { blobs: this.#blobs.size, bytes: this.#totalBytes };
  }

  /** Issues a fresh upload credential: the `media_conn` of a `mediaConn` answer. */
  conn(): MediaConn {
    const now = this.#clock.now();
    for (const [auth, expiresAt] of this.#auths) if (expiresAt <= now) this.#auths.delete(auth);
    while (this.#auths.size >= MAX_AUTHS) this.#auths.delete(this.#auths.keys().next().value!);
    // URL-safe (base64url): clients put it into upload URLs, some without encoding it.
    const auth = toBase64(this.#random.bytes(24)).replaceAll('+', '-').replaceAll('/', '_');
    this.#auths.set(authKey(auth), now + this.limits.ttlSeconds * 1000);
    return { auth, ttl: this.limits.ttlSeconds, hosts: [{ hostname: this.#host.hostname, scheme: this.#host.scheme }] };
  }

  /**
   * Handles `POST /mms/<type>/<token>?auth=…&token=…`. Checks, in order: the path (404), the
   * auth (401 missing, 403 unknown or expired), the size (413), the token against
   * base64url(SHA-256(body)) (400). Never throws for a bad request.
   */
  upload(request: MediaUploadRequest): MediaUploadResponse {
    const refuse = (status: 400 | 401 | 403 | 404 | 413, error: string, message: string): MediaUploadResponse => ({ status, body: { error, message } });
    const match = /^\/mms\/([a-z]+)\/([A-Za-z0-9_-]+)$/.exec(request.path.split('?')[0] ?? '');
    if (!match || !uploadTypes.has(match[1]!)) return refuse(404, 'NOT_FOUND', 'upload path is /mms/<image|video|audio|document|sticker>/<token>');
    const pathToken = match[2]!;
    const authStatus = this.authStatus(request.auth);
    if (authStatus === 401) return refuse(401, 'UNAUTHORIZED', 'missing auth; ask ["query","mediaConn"] first');
    if (authStatus === 403) return refuse(403, 'FORBIDDEN', 'unknown or expired media auth');
    if (!(request.body instanceof Uint8Array)) return refuse(400, 'BAD_REQUEST', 'the body must be the encrypted blob');
    if (request.body.length > this.limits.maxBlobBytes) return refuse(413, 'TOO_LARGE', `blob larger than ${this.limits.maxBlobBytes} bytes`);
    if (request.token !== undefined && request.token !== null && request.token !== pathToken) {
      return refuse(400, 'TOKEN_MISMATCH', 'the token parameter differs from the path token');
    }
    const hash = sha256(request.body);
    if (!constantTimeEqual(utf8Encode(mediaToken(hash)), utf8Encode(pathToken))) {
      return refuse(400, 'HASH_MISMATCH', 'token is not base64url(SHA-256(body)): the blob changed in transit');
    }
    const stored = this.#store(toHex(this.#random.bytes(16)), request.body.slice(), hash);
    return { status: 200, body: { url: stored.url, direct_path: stored.directPath } };
  }

  /**
   * Whether an upload `auth` is good: 200, 401 when missing, 403 when unknown or expired. The
   * HTTP route asks before reading a body it would refuse anyway.
   */
  authStatus(auth: string | null | undefined): 200 | 401 | 403 {
    if (typeof auth !== 'string' || auth === '') return 401;
    const expiresAt = this.#auths.get(authKey(auth));
    return expiresAt === undefined || expiresAt <= this.#clock.now() ? 403 : 200;
  }

  /**
   * Stores a blob without an upload credential (what scripted contacts send).
   * @throws SandboxError INVALID_ARGUMENT when it is not bytes or larger than `maxBlobBytes`
   */
  put(blob: Uint8Array): StoredMedia {
    if (!(blob instanceof Uint8Array)) throw new SandboxError('INVALID_ARGUMENT', 'a media blob must be a Uint8Array');
    if (blob.length > this.limits.maxBlobBytes) throw new SandboxError('INVALID_ARGUMENT', `blob larger than ${this.limits.maxBlobBytes} bytes`);
    return this.#store(toHex(this.#random.bytes(16)), blob.slice(), sha256(blob));
  }

  /**
   * The URL of a held blob on the current host, for a direct path or a URL from an earlier run
   * (another port): messages replayed after a restart point here. `undefined` when not held.
   * @example
   * ```ts
   * sandbox.media.urlOf('/d/f/0123456789abcdef0123456789abcdef.enc'); // "http://127.0.0.1:8080/d/f/….enc"
   * ```
   */
  urlOf(pathOrUrl: string): string | undefined {
    const id = blobId(pathOrUrl);
    return id !== undefined && this.#blobs.has(id) ? this.#url(id) : undefined;
  }

  /**
   * The blob at a direct path (`/d/f/<id>.enc`) or full URL; `undefined` when unknown or evicted.
   */
  download(pathOrUrl: string): Uint8Array | undefined {
    const id = blobId(pathOrUrl);
    if (id === undefined || this.expired(pathOrUrl) !== undefined) return undefined;
    return this.#blobs.get(id)?.blob.slice();
  }

  /**
   * Retires the URL of a held blob, as the real media hosts let old URLs lapse: downloads by it
   * (or by any URL or direct path of an earlier generation) answer `status` (404, what legacy
   * clients took as "refresh the URL", or 410 Gone) until a client asks for fresh ones
   * (`query type:media`, {@link MediaStore.refresh}). Returns whether the blob is held.
   * @throws SandboxError INVALID_ARGUMENT for another status than 404 or 410
   * @example
   * ```ts
   * sandbox.media.expire(image.url!, 410);    // the next download of image.url answers 410
   * sandbox.media.refresh(image.directPath!); // { url: "http://…/d/f/….enc?v=1", directPath: "/d/f/….enc?v=1" }
   * ```
   */
  expire(pathOrUrl: string, status: 404 | 410 = 404): boolean {
    if (status !== 404 && status !== 410) throw new SandboxError('INVALID_ARGUMENT', 'an expired media URL answers 404 or 410');
    const id = blobId(pathOrUrl);
    if (id === undefined || !this.#blobs.has(id)) return false;
    this.#generations.set(id, (this.#generations.get(id) ?? 0) + 1);
    this.#expiredStatus.set(id, status);
    return true;
  }

  /**
   * The status a download by `pathOrUrl` answers when it names a held blob by a URL generation
   * that {@link MediaStore.expire} retired (404 or 410); `undefined` when it is current or unknown.
   * @example
   * ```ts
   * sandbox.media.expired(image.url!); // 404 after sandbox.media.expire(image.url!)
   * ```
   */
  expired(pathOrUrl: string): 404 | 410 | undefined {
    const id = blobId(pathOrUrl);
    if (id === undefined || !this.#blobs.has(id)) return undefined;
    return generationOf(pathOrUrl) < (this.#generations.get(id) ?? 0) ? (this.#expiredStatus.get(id) ?? 404) : undefined;
  }

  /**
   * The current URL and direct path of a held blob (what the phone answers to a media URL
   * refresh), or `undefined` when the blob is not held (never stored, or evicted).
   * @example
   * ```ts
   * const fresh = sandbox.media.refresh(message.imageMessage.directPath); // { url, directPath }
   * ```
   */
  refresh(pathOrUrl: string): { url: string; directPath: string } | undefined {
    const id = blobId(pathOrUrl);
    if (id === undefined || !this.#blobs.has(id)) return undefined;
    return { url: this.#url(id), directPath: this.#path(id) };
  }

  /**
   * The newest blobs whose total size stays within `maxBytes` (default `limits.persistMaxBytes`),
   * oldest first, for the persisted state. A blob larger than what is left ends the list: older
   * ones are dropped rather than skipped, so the state always holds the most recent media.
   * @example
   * ```ts
   * const media = sandbox.media.exportBlobs(); // [{ id: "0123…", blob: "q83v…" }, …]
   * ```
   */
  exportBlobs(maxBytes: number = this.limits.persistMaxBytes): PersistedMedia[] {
    const kept: PersistedMedia[] = [];
    let budget = maxBytes;
    for (const [id, entry] of [...this.#blobs].reverse()) {
      if (entry.blob.length > budget) break;
      budget -= entry.blob.length;
      kept.push({ id, blob: toBase64(entry.blob) });
    }
    return kept.reverse();
  }

  /**
   * Puts persisted blobs back under their ids (so old `directPath`s and old
   * URLs keep working through {@link MediaStore.urlOf}), oldest first, subject to `maxTotalBytes`.
   * @throws SandboxError STATE_INVALID for an entry without a hex id or with a blob that is not Base64
   * @example
   * ```ts
   * sandbox.media.restoreBlobs(state.media ?? []);
   * ```
   */
  restoreBlobs(entries: readonly PersistedMedia[]): void {
    if (!Array.isArray(entries)) throw new SandboxError('STATE_INVALID', 'state media must be an array');
    const decoded = entries.map((entry, index) => {
      if (typeof entry?.id !== 'string' || !/^[0-9a-f]{32}$/.test(entry.id) || typeof entry.blob !== 'string') {
        throw new SandboxError('STATE_INVALID', `media entry ${index} of the sandbox state needs { id: 32 hex digits, blob: Base64 }`);
      }
      try {
        return { id: entry.id, blob: fromBase64(entry.blob) };
      } catch (cause) {
        throw new SandboxError('STATE_INVALID', `media entry ${index} of the sandbox state is not Base64`, { cause });
      }
    });
    for (const { id, blob } of decoded) {
      const previous = this.#blobs.get(id);
      if (previous) {
        this.#blobs.delete(id);
        this.#totalBytes -= previous.blob.length;
      }
      this.#store(id, blob, sha256(blob));
    }
  }

  #url(id: string): string {
    return `${this.#host.scheme}://${this.#host.hostname}${this.#path(id)}`;
  }

  #path(id: string): string {
    const generation = this.#generations.get(id) ?? 0;
    return generation === 0 ? `/d/f/${id}.enc` : `/d/f/${id}.enc?v=${generation}`;
  }

  #store(id: string, blob: Uint8Array, fileEncSha256: Uint8Array): StoredMedia {
    this.#blobs.set(id, { blob, fileEncSha256 });
    this.#totalBytes += blob.length;
    // Oldest first: Map keeps insertion order. The new blob itself always stays.
    for (const [oldId, entry] of this.#blobs) {
      if (this.#totalBytes <= this.limits.maxTotalBytes || oldId === id) break;
      this.#blobs.delete(oldId);
      this.#generations.delete(oldId);
      this.#expiredStatus.delete(oldId);
      this.#totalBytes -= entry.blob.length;
    }
    return { directPath: this.#path(id), url: this.#url(id), fileEncSha256, size: blob.length };
  }
}

/** The `<id>` of a `/d/f/<id>.enc` path or URL (any host, query ignored). */
function blobId(pathOrUrl: string): string | undefined {
  if (typeof pathOrUrl !== 'string') return undefined;
  return /\/d\/f\/([0-9a-f]+)\.enc(?:\?.*)?$/.exec(pathOrUrl)?.[1];
}

/** The `v` query parameter of a URL or direct path (0 without one): its URL generation. */
function generationOf(pathOrUrl: string): number {
  const found = /[?&]v=(\d{1,9})(?:&|$)/.exec(pathOrUrl);
  return found ? Number(found[1]) : 0;
}

/**
 * Upload credentials are kept by their SHA-256, never as given: looking one up then compares
 * digests, so the time a refusal takes tells nothing about how much of a guessed auth was right.
 */
function authKey(auth: string): string {
  return toHex(sha256(utf8Encode(auth)));
}
