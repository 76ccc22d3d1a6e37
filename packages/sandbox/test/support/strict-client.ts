/**
 * A client written the way widely used legacy clients were (FACTS.md "Timing"): it handles one
 * incoming frame per macrotask and hands it only to a listener that is registered at that moment;
 * it starts listening for the next frame in a promise continuation of the previous one, and it
 * can open sealed frames only once it has derived the keys from the `Conn`. A frame nobody
 * listens for is lost (kept in `unhandled`), a sealed frame before the keys is fatal, exactly the
 * failures a burst-writing server causes. Works over any link with send/onmessage.
 */
import { decode, type Node } from '@wa/binary-codec';
import { deriveSessionKeys, fromBase64, generateKeyPair, openFrame, signChallenge, toBase64 } from '@wa/crypto';
import { parseFrame, serializeJson, type ParsedFrame } from '@wa/transport';
import { BROWSER, VERSION, type ClientLink, type Credentials } from './mini-client.ts';

/** A frame as the strict client saw it. */
export type StrictFrame = { tag: string; json: unknown } | { tag: string; node: Node };

type Listener = (frame: StrictFrame) => void;

let tagCounter = 0;

export class StrictClient {
  /** Frames that arrived while nobody listened for their tag (and were no push the client knows). */
  readonly unhandled: StrictFrame[] = [];
  /** Sealed pushes received (decrypted). */
  readonly pushes: Array<{ tag: string; node: Node }> = [];
  /** JSON frames under tags the client never waited on (acks, presence …). */
  readonly jsonPushes: Array<{ tag: string; json: unknown }> = [];
  /** Set when a sealed frame came before the keys existed: the session is lost. */
  fatal: Error | undefined;
  /** How many frames were handed over in the same macrotask as the frame before. */
  sameTickFrames = 0;
  keys: { encKey: Uint8Array; macKey: Uint8Array } | undefined;
  readonly clientId: string;
  readonly #link: ClientLink;
  readonly #listeners = new Map<string, Listener>();
  readonly #queue: Array<string | Uint8Array> = [];
  #pumping = false;
  #tickMark = 0;
  #lastTickMark = -1;
  #pushWaiters: Array<() => void> = [];

  /**
   * `handling: 'immediately'` (default) handles each frame in the event that delivered it, as
   * Baileys on `ws` 7 does: two frames delivered in one tick reach the second before any
   * continuation of the first ran. `'per-macrotask'` queues frames and handles one per
   * macrotask, which no TCP coalescing can defeat (for load tests over real sockets).
   */
  constructor(link: ClientLink, options: { clientId?: string; handling?: 'immediately' | 'per-macrotask' } = {}) {
    this.#link = link;
    this.clientId = options.clientId ?? toBase64(crypto.getRandomValues(new Uint8Array(16)));
    const perMacrotask = options.handling === 'per-macrotask';
    link.onmessage = (data) => {
      // Did this frame come in the same tick as the previous one? A microtask queued by the
      // previous delivery has run by now unless no task boundary lay in between.
      if (this.#lastTickMark === this.#tickMark) this.sameTickFrames += 1;
      this.#lastTickMark = this.#tickMark;
      queueMicrotask(() => (this.#tickMark += 1));
      if (!perMacrotask) return this.#handle(data);
      this.#queue.push(data);
      this.#pump();
    };
  }

  static tag(): string {
    tagCounter += 1;
    return `${Math.floor(Date.now() / 1000)}.--${tagCounter}`;
  }

  /** Resolves with the next frame under `tag` that arrives from now on. */
  once(tag: string, timeoutMs = 5000): Promise<StrictFrame> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(tag);
        reject(new Error(`no frame under ${tag} within ${timeoutMs} ms (unhandled: ${this.unhandled.map((f) => f.tag).join(' ')})`));
      }, timeoutMs);
      this.#listeners.set(tag, (frame) => {
        clearTimeout(timer);
        resolve(frame);
      });
    });
  }

  sendJson(tag: string, value: unknown): void {
    this.#link.send(serializeJson(tag, value));
  }

  /** Sends and waits for the answer; the listener exists before the send, as in `query()`. */
  async request(value: unknown, tag = StrictClient.tag()): Promise<StrictFrame> {
    const answer = this.once(tag);
    this.sendJson(tag, value);
    return answer;
  }

  /** Resolves once `count` sealed pushes have arrived. */
  async waitForPushes(count: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.pushes.length < count) {
      if (this.fatal) throw this.fatal;
      if (Date.now() > deadline) throw new Error(`${this.pushes.length} of ${count} sealed pushes within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        this.#pushWaiters.push(resolve);
        setTimeout(resolve, 20);
      });
    }
  }

  /** A QR login: init, then (in the continuation) the QR for `scan`, then `s1` and the keys. */
  async qrLogin(scan: (qr: string) => void): Promise<Credentials> {
    const keyPair = generateKeyPair();
    const init = (await this.request(['admin', 'init', VERSION, BROWSER, this.clientId, true])) as { json: { ref: string } };
    const s1 = this.once('s1', 10_000);
    scan(`${init.json.ref},${toBase64(keyPair.publicKey)},${this.clientId}`);
    const conn = ((await s1) as { json: [string, Record<string, string>] }).json[1];
    const derived = deriveSessionKeys({ privateKey: keyPair.privateKey, secret: fromBase64(conn.secret!) });
    this.keys = { encKey: derived.encKey, macKey: derived.macKey };
    return { clientId: this.clientId, clientToken: conn.clientToken!, serverToken: conn.serverToken!, wid: conn.wid!, ...this.keys };
  }

  /**
   * A restore as Baileys 3.5 does it: `admin init` and `admin login` back to back; only after
   * the init answer has been handled, listen for `s1` and the login tag; answer a challenge.
   * Returns the login status and the `Conn` (with its fresh tokens) when there is one.
   */
  async restore(credentials: Credentials, mode: 'takeover' | 'reconnect' = 'takeover'): Promise<{ status: number; conn?: Record<string, string> }> {
    const initTag = StrictClient.tag();
    const loginTag = StrictClient.tag();
    const initAnswer = this.once(initTag);
    this.sendJson(initTag, ['admin', 'init', VERSION, BROWSER, this.clientId, true]);
    const login = ['admin', 'login', credentials.clientToken, credentials.serverToken, this.clientId, mode];
    if (mode === 'reconnect') login.push(credentials.wid);
    this.sendJson(loginTag, login);
    await initAnswer;
    const loginAnswer = this.once(loginTag);
    const s1 = this.once('s1');
    const first = await Promise.race([s1, loginAnswer]);
    const status = (first as { json: { status?: number } }).json.status;
    if (typeof status === 'number') return { status };
    let [kind, body] = (first as { json: [string, Record<string, string>] }).json;
    this.keys = { encKey: credentials.encKey, macKey: credentials.macKey };
    const loginStatus = ((await loginAnswer) as { json: { status: number } }).json.status;
    if (kind === 'Cmd' && body.type === 'challenge') {
      const signed = toBase64(signChallenge(credentials.macKey, fromBase64(body.challenge!)));
      const answer = await this.request(['admin', 'challenge', signed, credentials.serverToken, this.clientId]);
      const challengeStatus = (answer as { json: { status: number } }).json.status;
      if (challengeStatus !== 200) return { status: challengeStatus };
      [kind, body] = ((await this.once('s2')) as { json: [string, Record<string, string>] }).json;
    }
    return { status: loginStatus, conn: body };
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    setTimeout(() => {
      this.#pumping = false;
      const data = this.#queue.shift();
      if (data !== undefined) this.#handle(data);
      if (this.#queue.length > 0) this.#pump();
    }, 0);
  }

  #handle(data: string | Uint8Array): void {
    let parsed: ParsedFrame;
    try {
      parsed = parseFrame(data, { from: 'server' });
    } catch (error) {
      this.fatal ??= error as Error;
      return;
    }
    if (parsed.kind === 'pong' || parsed.kind === 'ping') return;
    let frame: StrictFrame;
    if (parsed.kind === 'binary') {
      if (!this.keys) {
        this.fatal ??= new Error(`sealed frame ${parsed.tag} before the keys exist (encrypted buffer when auth creds unavailable)`);
        return;
      }
      frame = { tag: parsed.tag, node: decode(openFrame(this.keys, parsed.payload)) };
    } else {
      frame = { tag: parsed.tag, json: parsed.json };
    }
    const listener = this.#listeners.get(frame.tag);
    if (listener) {
      this.#listeners.delete(frame.tag);
      listener(frame);
      return;
    }
    if ('node' in frame) {
      this.pushes.push(frame);
      for (const wake of this.#pushWaiters.splice(0)) wake();
      return;
    }
    // Lost: an answer (a JSON object such as {"status":200}) or a login frame nobody waited for.
    const kind = Array.isArray(frame.json) ? frame.json[0] : undefined;
    if (kind === undefined || (/^s\d+$/.test(frame.tag) && (kind === 'Conn' || kind === 'Cmd'))) this.unhandled.push(frame);
    else this.jsonPushes.push(frame);
  }
}
