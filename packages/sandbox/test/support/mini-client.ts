/**
 * A deliberately small legacy web client written from the primitives (codec, crypto, proto,
 * transport framing), used to drive the sandbox in tests the way an independent client would.
 * It speaks over any link with send/close/onmessage (in-memory link or a real WebSocket).
 */
import { decode, encode, type Node } from '@wa/binary-codec';
import { deriveSessionKeys, fromBase64, generateKeyPair, openFrame, sealFrame, signChallenge, toBase64 } from '@wa/crypto';
import { decodeWebMessageInfo, encodeWebMessageInfo, generateMessageId, type MessageInput, type WebMessageInfo } from '@wa/proto';
import { parseFrame, serializeBinary, serializeJson } from '@wa/transport';

/** What the client needs from a socket. */
export interface ClientLink {
  send(data: string | Uint8Array): void;
  close(): void;
  onmessage: ((data: string | Uint8Array) => void) | null;
  onclose: ((info: { code: number; reason: string }) => void) | null;
}

/** One frame as the client saw it. */
export type Received =
  | { kind: 'json'; tag: string; json: unknown }
  | { kind: 'node'; tag: string; node: Node }
  | { kind: 'undecryptable'; tag: string; error: Error }
  | { kind: 'pong'; time: number };

/** Everything a restore needs. */
export interface Credentials {
  clientId: string;
  clientToken: string;
  serverToken: string;
  encKey: Uint8Array;
  macKey: Uint8Array;
  wid: string;
}

export const VERSION = [2, 2142, 12];
export const BROWSER = ['Mini Test Client', 'Mini', '1.0'];

let counter = 0;

export class MiniClient {
  readonly received: Received[] = [];
  /** Every message exactly as it came off the link. */
  readonly raw: Array<string | Uint8Array> = [];
  readonly #claimed = new Set<Received>();
  readonly #waiters: Array<() => void> = [];
  readonly link: ClientLink;
  closeInfo: { code: number; reason: string } | undefined;
  keys: { encKey: Uint8Array; macKey: Uint8Array } | undefined;
  keyPair = generateKeyPair();
  clientId: string;
  ref: string | undefined;
  conn: Record<string, unknown> | undefined;

  constructor(link: ClientLink, clientId = toBase64(crypto.getRandomValues(new Uint8Array(16)))) {
    this.link = link;
    this.clientId = clientId;
    link.onmessage = (data) => this.#receive(data);
    link.onclose = (info) => {
      this.closeInfo = info;
      this.#wake();
    };
  }

  /** A fresh request tag `<seconds>.--<n>`. */
  static tag(): string {
    counter += 1;
    return `${Math.floor(Date.now() / 1000)}.--${counter}`;
  }

  get closed(): boolean {
    return this.closeInfo !== undefined;
  }

  sendJson(tag: string, value: unknown): void {
    this.link.send(serializeJson(tag, value));
  }

  /** Sends JSON and waits for the JSON answer under the same tag. */
  async request(value: unknown, tag = MiniClient.tag()): Promise<unknown> {
    const reply = this.waitFor((frame) => frame.kind !== 'pong' && frame.tag === tag);
    this.sendJson(tag, value);
    const frame = await reply;
    if (frame.kind !== 'json') throw new Error(`expected JSON under ${tag}, got ${frame.kind}`);
    return frame.json;
  }

  /** Seals a node with the session keys and sends it with metric/flag header bytes. */
  sendNode(tag: string, node: Node, metric = 0, flag = 0x80): void {
    if (!this.keys) throw new Error('not logged in');
    this.link.send(serializeBinary(tag, sealFrame(this.keys, encode(node)), { metric, flag }));
  }

  /** Sends a sealed node and waits for whatever comes back under its tag. */
  async query(node: Node, metric = 0, flag = 0x80, tag = MiniClient.tag()): Promise<Received> {
    const reply = this.waitFor((frame) => frame.kind !== 'pong' && frame.tag === tag);
    this.sendNode(tag, node, metric, flag);
    return reply;
  }

  /** `admin init`; returns the reply and remembers the ref. */
  async init(): Promise<Record<string, unknown>> {
    const reply = (await this.request(['admin', 'init', VERSION, BROWSER, this.clientId, true])) as Record<string, unknown>;
    if (typeof reply.ref === 'string') this.ref = reply.ref;
    return reply;
  }

  /** The QR text for the current ref. */
  qr(): string {
    if (this.ref === undefined) throw new Error('no ref yet');
    return `${this.ref},${toBase64(this.keyPair.publicKey)},${this.clientId}`;
  }

  /** Waits for `s1` Conn after a scan (the keys were derived the moment it arrived). */
  async completeQrLogin(): Promise<Record<string, unknown>> {
    const frame = await this.waitFor((entry) => entry.kind === 'json' && entry.tag === 's1');
    const [kind, conn] = (frame as { json: [string, Record<string, unknown>] }).json;
    if (kind !== 'Conn' || !this.keys) throw new Error(`s1 was ${kind}, keys ${this.keys ? 'derived' : 'missing'}`);
    return conn;
  }

  /** Credentials for a later restore (tokens of the latest Conn). */
  credentials(): Credentials {
    if (!this.keys || !this.conn) throw new Error('not logged in');
    return {
      clientId: this.clientId,
      clientToken: this.conn.clientToken as string,
      serverToken: this.conn.serverToken as string,
      encKey: this.keys.encKey,
      macKey: this.keys.macKey,
      wid: this.conn.wid as string,
    };
  }

  /**
   * Restores a session: init, then `admin login`. Resolves with the login reply and, on
   * success, the Conn (answering a challenge when one comes).
   */
  async restore(
    credentials: Credentials,
    mode: 'takeover' | 'reconnect' = 'takeover',
  ): Promise<{ status: number; reply: Record<string, unknown>; challenged: boolean; conn?: Record<string, unknown> }> {
    this.clientId = credentials.clientId;
    // The pushes after the Conn are sealed with the stored keys: have them ready before asking.
    this.keys = { encKey: credentials.encKey, macKey: credentials.macKey };
    await this.init();
    const loginTag = MiniClient.tag();
    const args = ['admin', 'login', credentials.clientToken, credentials.serverToken, credentials.clientId, mode];
    if (mode === 'reconnect') args.push(credentials.wid);
    const replyPromise = this.waitFor((frame) => frame.kind === 'json' && frame.tag === loginTag);
    this.sendJson(loginTag, args);
    const reply = ((await replyPromise) as { json: Record<string, unknown> }).json;
    if (reply.status !== 200) return { status: reply.status as number, reply, challenged: false };
    const first = (await this.waitFor((frame) => frame.kind === 'json' && frame.tag === 's1')) as { json: [string, Record<string, unknown>] };
    let challenged = false;
    let connFrame = first.json;
    if (first.json[0] === 'Cmd' && first.json[1].type === 'challenge') {
      challenged = true;
      const answer = toBase64(signChallenge(credentials.macKey, fromBase64(first.json[1].challenge as string)));
      const challengeReply = (await this.request(['admin', 'challenge', answer, credentials.serverToken, credentials.clientId])) as Record<string, unknown>;
      if (challengeReply.status !== 200) return { status: challengeReply.status as number, reply: challengeReply, challenged };
      connFrame = ((await this.waitFor((frame) => frame.kind === 'json' && frame.tag === 's2')) as { json: [string, Record<string, unknown>] }).json;
    }
    if (connFrame[0] !== 'Conn') throw new Error(`expected Conn, got ${connFrame[0]}`);
    return { status: 200, reply, challenged, conn: connFrame[1] };
  }

  /** Sends a text message the way a web client does; resolves with the id and the server's reply. */
  async sendText(to: string, text: string, id = generateMessageId()): Promise<{ id: string; reply: Received }> {
    return this.sendMessage(to, { conversation: text }, id);
  }

  /** `["query","mediaConn"]`: the whole answer. */
  async mediaConn(): Promise<{ status: number; media_conn: { auth: string; ttl: number; hosts: Array<{ hostname: string; scheme?: string }> } }> {
    return (await this.request(['query', 'mediaConn'])) as never;
  }

  /** Relays any `Message` (e.g. an uploaded `imageMessage`) the way a web client does. */
  async sendMessage(to: string, message: MessageInput, id = generateMessageId()): Promise<{ id: string; reply: Received }> {
    const info = encodeWebMessageInfo({
      key: { remoteJid: to.replace('@c.us', '@s.whatsapp.net'), fromMe: true, id },
      message,
      messageTimestamp: Math.floor(Date.now() / 1000),
      status: 'PENDING',
    });
    const reply = await this.query(['action', { epoch: '1', type: 'relay' }, [['message', null, info]]], 16, 0x80, id);
    return { id, reply };
  }

  /** Waits for a decrypted node matching `predicate`. */
  async waitForNode(predicate: (node: Node, tag: string) => boolean, timeoutMs = 3000): Promise<{ tag: string; node: Node }> {
    const frame = await this.waitFor((entry) => entry.kind === 'node' && predicate(entry.node, entry.tag), timeoutMs);
    return frame as { tag: string; node: Node };
  }

  /** Waits for a JSON push whose array starts with `kind` and matches `predicate`. */
  async waitForJson(kind: string, predicate: (body: Record<string, unknown> | unknown) => boolean = () => true, timeoutMs = 3000): Promise<unknown[]> {
    const frame = await this.waitFor(
      (entry) => entry.kind === 'json' && Array.isArray(entry.json) && entry.json[0] === kind && predicate(entry.json[1]),
      timeoutMs,
    );
    return (frame as { json: unknown[] }).json;
  }

  /**
   * Resolves with the first received frame matching `predicate` that no earlier wait took.
   * Rejects after `timeoutMs` or when the link closes first.
   */
  waitFor(predicate: (frame: Received) => boolean, timeoutMs = 3000): Promise<Received> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const found = this.received.find((frame) => !this.#claimed.has(frame) && predicate(frame));
        if (found) {
          this.#claimed.add(found);
          clearTimeout(timer);
          resolve(found);
          return true;
        }
        if (this.closed) {
          clearTimeout(timer);
          reject(new Error(`link closed (${this.closeInfo?.code}) while waiting`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        const index = this.#waiters.indexOf(wake);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(new Error(`timed out after ${timeoutMs} ms; received: ${this.received.map(describe).join(' | ')}`));
      }, timeoutMs);
      const wake = (): void => {
        if (check()) {
          const index = this.#waiters.indexOf(wake);
          if (index >= 0) this.#waiters.splice(index, 1);
        }
      };
      if (!check()) this.#waiters.push(wake);
    });
  }

  /** Resolves once the link is closed. */
  waitForClose(timeoutMs = 3000): Promise<{ code: number; reason: string }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('link did not close')), timeoutMs);
      const wake = (): void => {
        if (!this.closeInfo) return;
        clearTimeout(timer);
        resolve(this.closeInfo);
      };
      this.#waiters.push(wake);
      wake();
    });
  }

  close(): void {
    this.link.close();
  }

  #receive(data: string | Uint8Array): void {
    this.raw.push(data);
    const frame = parseFrame(data, { from: 'server' });
    if (frame.kind === 'pong') this.received.push({ kind: 'pong', time: frame.time });
    else if (frame.kind === 'json') {
      this.received.push({ kind: 'json', tag: frame.tag, json: frame.json });
      // Like any web client: take the Conn (tokens, and keys from its secret) as soon as it arrives.
      if (Array.isArray(frame.json) && frame.json[0] === 'Conn') {
        const conn = frame.json[1] as Record<string, unknown>;
        if (typeof conn.secret === 'string') {
          this.keys = deriveSessionKeys({ secret: fromBase64(conn.secret), privateKey: this.keyPair.privateKey });
        }
        if (typeof conn.serverToken === 'string') this.conn = conn;
      }
    }
    else if (frame.kind === 'binary') {
      try {
        if (!this.keys) throw new Error('no keys');
        this.received.push({ kind: 'node', tag: frame.tag, node: decode(openFrame(this.keys, frame.payload)) });
      } catch (error) {
        this.received.push({ kind: 'undecryptable', tag: frame.tag, error: error as Error });
      }
    }
    this.#wake();
  }

  #wake(): void {
    for (const waiter of [...this.#waiters]) waiter();
  }
}

/** The WebMessageInfos inside a node's `message` children. */
export function messagesOf(node: Node): WebMessageInfo[] {
  const content = node[2];
  if (!Array.isArray(content)) return [];
  return content.filter((child) => child[0] === 'message' && child[2] instanceof Uint8Array).map((child) => decodeWebMessageInfo(child[2] as Uint8Array));
}

function describe(frame: Received): string {
  switch (frame.kind) {
    case 'json':
      return `${frame.tag},${JSON.stringify(frame.json).slice(0, 80)}`;
    case 'node':
      return `${frame.tag},<${frame.node[0]} ${JSON.stringify(frame.node[1])}>`;
    case 'undecryptable':
      return `${frame.tag},<undecryptable ${frame.error.message}>`;
    case 'pong':
      return `!${frame.time}`;
  }
}

/** `base64url(bytes)` without padding, as legacy clients put `fileEncSha256` into upload URLs. */
export function base64Url(bytes: Uint8Array): string {
  return toBase64(bytes).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '');
}
