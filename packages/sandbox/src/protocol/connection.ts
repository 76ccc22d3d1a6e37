import { decode, encode, nodeToString, type Node } from '@wa/binary-codec';
import { FrameAuthError, openFrame, sealFrame } from '@wa/crypto';
import { FrameError, parseFrame, serializeBinary, serializeJson, serializePong, type ParsedFrame } from '@wa/transport';
import type { SandboxContext, SessionRecord } from '../context.js';
import { Outbox, type DeliveryOptions } from '../delivery.js';
import { CloseCode, type SandboxSocket, type SocketHandler, type SocketLimit } from '../socket.js';
import { redactFrame } from '../redact.js';
import { messageSize, type SandboxStats } from '../stats.js';
import { handleBinaryNode } from './actions.js';
import { handleJsonCommand } from './commands.js';

/**
 * The server's own frames (answers, the keep-alive answer, Pong): a server latency after the
 * request, never before the frame queued before them. Requests in flight together are answered
 * together, as on a network.
 */
const serverDelivery: DeliveryOptions = Object.freeze({ source: 'server' });
/**
 * Login frames (`s1`, `s2`, the login status, refusals): each counted from the delivery of the
 * frame before, so a client that starts listening in a continuation of the previous frame finds
 * it (FACTS.md "Timing").
 */
export const loginDelivery: DeliveryOptions = Object.freeze({ source: 'server', chained: true });
/** What the phone supplies: messages, receipts, presence, answers to sealed queries and `action set`. */
export const phoneDelivery: DeliveryOptions = Object.freeze({ source: 'phone' });

/** The close code and the `stats` counter of each broken limit. */
const limitCloses: Readonly<Record<SocketLimit, { code: number; counter: keyof SandboxStats }>> = Object.freeze({
  'oversized-frame': { code: CloseCode.tooBig, counter: 'oversizedFrames' },
  'frame-timeout': { code: CloseCode.frameTimeout, counter: 'frameTimeouts' },
  backpressure: { code: CloseCode.backpressure, counter: 'backpressureCloses' },
  idle: { code: CloseCode.idle, counter: 'idleTimeouts' },
});

/**
 * Sealed nodes in logs: structure and sizes, no byte contents (messages carry media keys, and the
 * logs are no place for message bodies either; decode a capture for those).
 */
const loggedNode = Object.freeze({ maxBytes: 0 });

/**
 * A binary node waiting in the outbox, sealed only when its turn comes: the IV and the HMAC fault
 * are taken when it is queued (so seeded runs draw the same bytes in the same order), the AES and
 * HMAC work is done by the delivery loop, frame by frame, instead of all at once by a burst.
 */
interface NodeFrame {
  tag: string;
  plain: Uint8Array;
  iv: Uint8Array;
  corrupt: boolean;
  session: SessionRecord;
}

/** What the outbox of a connection holds: a serialised frame, a node to seal, or a close. */
type OutFrame = string | Uint8Array | NodeFrame | (() => void);

/** Where a connection is in its life. */
export type ConnectionState =
  /** Socket open, no `admin init` yet. */
  | 'new'
  /** `admin init` answered; waiting for a scan or an `admin login`. */
  | 'waiting'
  /** A restore was challenged; waiting for `admin challenge`. */
  | 'challenged'
  /** Logged in: sealed frames flow. */
  | 'open'
  | 'closed';

/**
 * One web-client socket: frames in, frames out, and the per-socket part of the protocol state.
 * Protocol decisions live in `commands.ts` (JSON), `actions.ts` (binary) and `login.ts`.
 */
export class WebConnection implements SocketHandler {
  readonly id: string;
  state: ConnectionState = 'new';
  /** The clientId from `admin init`. */
  clientId: string | undefined;
  /** The browser description from `admin init`. */
  browser: string[] = [];
  /** The ref this connection currently shows in its QR. */
  ref: string | undefined;
  /** New refs handed out by `admin Conn reref` so far. */
  rerefs = 0;
  /** The paired session once logged in (or while challenged). */
  session: SessionRecord | undefined;
  /** The challenge bytes awaiting an answer. */
  challenge: Uint8Array | undefined;
  /** Users whose presence this connection subscribed to. */
  readonly presenceSubscriptions = new Set<string>();

  readonly #socket: SandboxSocket;
  readonly #context: SandboxContext;
  readonly #outbox: Outbox<OutFrame>;
  #serverTag = 0;
  #pushTag = 0;
  #closing = false;
  #indexedAs: string | undefined;
  #idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(id: string, socket: SandboxSocket, context: SandboxContext) {
    this.id = id;
    this.#socket = socket;
    this.#context = context;
    this.#outbox = new Outbox<OutFrame>(
      context.latency,
      (error) => context.log('error', 'delivery-failed', (error as Error).message, id),
      (frame) => this.#write(frame),
    );
    this.#armIdleTimer();
  }

  /** The logged-in account, if any (none once the connection is closing). */
  get wid(): string | undefined {
    return this.state === 'open' && !this.#closing ? this.session?.wid : undefined;
  }

  receive(data: string | Uint8Array): void {
    // A closing connection (logged out, replaced, refused) takes nothing more.
    if (this.state === 'closed' || this.#closing) return;
    const context = this.#context;
    const size = messageSize(data);
    context.stats.framesIn += 1;
    context.stats.bytesIn += size;
    // Before anything is parsed: a frame over the limit costs the socket, not the process.
    const limit = this.state === 'open' ? context.settings.maxFrameBytes : context.settings.maxFrameBytesBeforeLogin;
    if (size > limit) {
      this.abort('oversized-frame', `a ${size}-byte frame, over the ${limit}-byte limit${this.state === 'open' ? '' : ' before login'}`);
      return;
    }
    this.#armIdleTimer();
    let frame: ParsedFrame;
    try {
      frame = parseFrame(data, { from: 'client' });
    } catch (error) {
      // When the tag could be read (bad JSON, a binary frame without its header bytes) the client
      // is waiting on it: answer 400 there, as for any other bad request, instead of leaving it hanging.
      const tag = error instanceof FrameError ? error.tag : undefined;
      this.reject('unparsable', `frame refused: ${(error as Error).message}`, tag === undefined ? undefined : { tag, status: 400 });
      return;
    }
    try {
      switch (frame.kind) {
        case 'ping':
          this.sendRaw(serializePong(context.clock.now()));
          return;
        case 'pong':
          this.reject('unexpected-pong', 'clients do not send pongs');
          return;
        case 'json':
          context.log('debug', 'frame-in', () => JSON.stringify(redactFrame(frame.json)) ?? '', this.id, { tag: frame.tag });
          handleJsonCommand(context, this, frame.tag, frame.json);
          return;
        case 'binary':
          this.#receiveBinary(frame.tag, frame.payload, frame.metric ?? 0, frame.flag ?? 0);
          return;
      }
    } catch (error) {
      // A bug met by one odd frame must cost that frame (a 500, as a server would answer), never
      // the process: the adapter calls this from a socket event, where a throw is uncaught.
      // (On a socket closed meanwhile, the reply is dropped by sendRaw.)
      this.reject('internal-error', `frame handling failed: ${(error as Error).message}`, { tag: frame.tag, status: 500 });
    }
  }

  /** Lists this connection under `wid` for `connectionsOf` (on login). */
  indexAs(wid: string): void {
    this.#unindex();
    const { loggedIn } = this.#context;
    let set = loggedIn.get(wid);
    if (set === undefined) loggedIn.set(wid, (set = new Set()));
    set.add(this);
    this.#indexedAs = wid;
  }

  #unindex(): void {
    if (this.#indexedAs === undefined) return;
    const set = this.#context.loggedIn.get(this.#indexedAs);
    set?.delete(this);
    if (set?.size === 0) this.#context.loggedIn.delete(this.#indexedAs);
    this.#indexedAs = undefined;
  }

  closed(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.#unindex();
    this.#outbox.close();
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    const context = this.#context;
    // Every ref this socket was handed (rerefs keep the replaced ones, for REF_EXPIRED), not just
    // the current one: else each closed socket would leave its old refs behind for good.
    forgetRefs(context, this);
    if (this.session?.connection === this) this.session.connection = undefined;
    context.connections.delete(this);
    context.log('info', 'close', 'socket closed', this.id);
    context.emit('connection', { connection: this.id, open: false });
  }

  /** Sends a JSON text frame under `tag`; by default an answer of the server's. */
  sendJson(tag: string, value: unknown, delivery: DeliveryOptions = serverDelivery): void {
    this.#context.log('debug', 'frame-out', () => JSON.stringify(redactFrame(value)) ?? '', this.id, { tag });
    this.sendRaw(serializeJson(tag, value), delivery);
  }

  /** Sends a JSON push under the next server tag `s1`, `s2`, … (login frames); returns the tag. */
  sendServerJson(value: unknown, delivery: DeliveryOptions = loginDelivery): string {
    this.#serverTag += 1;
    const tag = `s${this.#serverTag}`;
    this.sendJson(tag, value, delivery);
    return tag;
  }

  /**
   * Sends an unsolicited JSON push (acks, presence, Pong) under a `<seconds>-<n>` tag, a form no
   * client uses for its requests. By default it comes from the phone.
   */
  pushJson(value: unknown, delivery: DeliveryOptions = phoneDelivery): void {
    this.sendJson(this.#nextPushTag(), value, delivery);
  }

  /**
   * Seals and sends a binary node under `tag`; needs a session. By default it answers a sealed
   * query, which the phone does.
   */
  sendNode(tag: string, node: Node, delivery: DeliveryOptions = phoneDelivery): void {
    const session = this.session;
    if (!session) throw new Error(`connection ${this.id} has no session keys`);
    const context = this.#context;
    context.log('debug', 'frame-out', () => nodeToString(node, loggedNode), this.id, { tag, binary: true });
    const plain = encode(node);
    const iv = context.random.bytes(16);
    const corrupt = context.faults.takeHmacCorruption();
    if (corrupt) context.log('info', 'fault', 'corrupted the HMAC of a sealed frame', this.id, { tag });
    this.#queue({ tag, plain, iv, corrupt, session }, delivery);
  }

  /** Sends an unsolicited sealed node from the phone (`preempt-…` right after login, else `<seconds>-<n>`). */
  pushNode(node: Node, tag = this.#nextPushTag(), delivery: DeliveryOptions = phoneDelivery): void {
    this.sendNode(tag, node, delivery);
  }

  /** A `preempt-<seconds>-<n>` tag, used for the unasked pushes right after login. */
  preemptTag(): string {
    this.#pushTag += 1;
    return `preempt-${Math.floor(this.#context.clock.now() / 1000)}-${this.#pushTag}`;
  }

  /**
   * Queues an already serialised frame for delivery: in order, one per macrotask, after its
   * latency (and the frame-delay fault). Dropped once the connection is closing or closed.
   */
  sendRaw(frame: string | Uint8Array, delivery: DeliveryOptions = serverDelivery): void {
    this.#queue(frame, delivery);
  }

  #queue(frame: OutFrame, delivery: DeliveryOptions): void {
    if (this.state === 'closed' || this.#closing) return;
    const extraMs = this.#context.faults.frameDelayMs;
    const queued = this.#outbox.enqueue(frame, extraMs > 0 ? { ...delivery, extraMs } : delivery);
    if (!queued) {
      this.#context.stats.outboxOverflows += 1;
      this.#context.log('warn', 'outbox-full', 'too many frames waiting for delivery; frame dropped', this.id);
    }
  }

  /**
   * The session left this socket (taken over, unpaired): drops the frames queued and not
   * delivered yet (what was on its way belongs to the session's history now), sends `notice`
   * (a `Cmd disconnect`) and closes with `code`.
   */
  dismiss(notice: unknown, code: number, reason: string, delivery: DeliveryOptions = phoneDelivery): void {
    const dropped = this.#outbox.clear();
    if (dropped > 0) this.#context.log('info', 'discarded', `${dropped} undelivered frame(s) dropped`, this.id);
    this.pushJson(notice, delivery);
    this.close(code, reason);
  }

  /** Counts and logs a refused frame; answers `status` under `tag` when given. */
  reject(event: string, message: string, reply?: { tag: string; status: number }): void {
    this.#context.stats.rejectedFrames += 1;
    this.#context.log('warn', event, message, this.id, reply ? { tag: reply.tag } : undefined);
    if (reply) this.sendJson(reply.tag, { status: reply.status });
  }

  /**
   * Closes the socket once the frames already queued have gone out; nothing queued after this
   * call is sent. `immediate` closes at once and drops the queue (the sandbox shutting down).
   */
  close(code: number = CloseCode.normal, reason = '', options: { immediate?: boolean } = {}): void {
    if (this.state === 'closed' || (this.#closing && !options.immediate)) return;
    const finish = (): void => {
      if (this.state === 'closed') return;
      this.#outbox.close();
      try {
        this.#socket.close(code, reason);
      } catch (error) {
        this.#context.log('warn', 'close-failed', `socket close failed: ${(error as Error).message}`, this.id);
      }
      this.closed();
    };
    if (options.immediate) return finish();
    const extraMs = this.#context.faults.frameDelayMs;
    this.#outbox.enqueue(finish, { chained: true, instant: true, extraMs });
    this.#closing = true;
  }

  /** Drops the socket without a closing handshake (network failure); queued frames are lost. */
  drop(): void {
    if (this.state === 'closed') return;
    this.#outbox.close();
    if (this.#socket.terminate) this.#socket.terminate();
    else this.#socket.close(1006, 'dropped');
    this.closed();
  }

  /**
   * Closes the socket at once for a broken limit, counted in `stats` and logged; the session (if
   * any) stays valid, as after a network drop.
   */
  abort(limit: SocketLimit, detail = ''): void {
    if (this.state === 'closed') return;
    const { code: close, counter } = limitCloses[limit];
    this.#context.stats[counter] += 1;
    this.#context.log('warn', limit, `closing the socket (${close}): ${detail || limit}`, this.id);
    this.#outbox.close();
    try {
      this.#socket.close(close, limit);
    } catch {
      // Already going away: the close event follows.
    }
    if (limit !== 'idle' && this.#socket.terminate) this.#socket.terminate();
    this.closed();
  }

  #write(queued: OutFrame): void {
    if (typeof queued === 'function') return queued();
    if (this.state === 'closed') return;
    const frame = typeof queued === 'string' || queued instanceof Uint8Array ? queued : sealedFrame(queued);
    const stats = this.#context.stats;
    stats.framesOut += 1;
    stats.bytesOut += messageSize(frame);
    try {
      this.#socket.send(frame);
    } catch (error) {
      // A socket that went away between queueing and delivery: the close event follows.
      this.#context.log('warn', 'send-failed', `frame not sent: ${(error as Error).message}`, this.id);
      return;
    }
    const buffered = this.#socket.bufferedAmount ?? 0;
    const bound = this.#context.settings.maxBufferedBytes;
    if (buffered > bound) this.abort('backpressure', `${buffered} bytes unsent (the client does not read), over ${bound}`);
  }

  #nextPushTag(): string {
    this.#pushTag += 1;
    return `${Math.floor(this.#context.clock.now() / 1000)}-${this.#pushTag}`;
  }

  #receiveBinary(tag: string, payload: Uint8Array, metric: number, flag: number): void {
    const context = this.#context;
    const session = this.session;
    if (this.state !== 'open' || !session) {
      this.reject('not-logged-in', 'binary frame before login', { tag, status: 401 });
      return;
    }
    let node: Node;
    try {
      node = decode(openFrame(session, payload));
    } catch (error) {
      if (error instanceof FrameAuthError) {
        context.stats.badHmac += 1;
        this.reject('bad-hmac', 'client frame failed its HMAC check; dropped', { tag, status: 400 });
      } else {
        this.reject('undecodable', `client frame refused: ${(error as Error).message}`, { tag, status: 400 });
      }
      return;
    }
    context.log('debug', 'frame-in', () => nodeToString(node, loggedNode), this.id, { tag, metric, flag });
    handleBinaryNode(context, this, tag, node);
  }

  /**
   * (Re)starts the silence timer: `handshakeTimeoutMs` until the socket is logged in,
   * `idleTimeoutMs` after; 0 disables either.
   */
  #armIdleTimer(): void {
    if (this.#idleTimer !== undefined) clearTimeout(this.#idleTimer);
    this.#idleTimer = undefined;
    const { handshakeTimeoutMs, idleTimeoutMs } = this.#context.settings;
    const loggedIn = this.state === 'open';
    const idleMs = loggedIn ? idleTimeoutMs : handshakeTimeoutMs;
    if (idleMs <= 0) return;
    this.#idleTimer = setTimeout(() => {
      // A login that completed meanwhile (a QR scan needs no frame from the client) moves to the other timer.
      if (!loggedIn && this.state === 'open') return this.#armIdleTimer();
      this.abort('idle', loggedIn ? `no frame for ${idleMs} ms` : `not logged in and no frame for ${idleMs} ms`);
    }, idleMs);
  }
}

/**
 * Removes every ref issued to `connection` from the ref table.
 * @example
 * ```ts
 * forgetRefs(context, connection); // the socket closed or started over with admin init
 * ```
 */
export function forgetRefs(context: SandboxContext, connection: WebConnection): void {
  for (const [ref, record] of context.refs) if (record.connection === connection) context.refs.delete(ref);
}

/** The wire frame of a queued node: sealed with the IV drawn when it was queued. */
function sealedFrame(node: NodeFrame): Uint8Array {
  const sealed = sealFrame(node.session, node.plain, { iv: node.iv });
  if (node.corrupt) sealed[0] = sealed[0]! ^ 0xff;
  return serializeBinary(node.tag, sealed);
}
