// A minimal legacy web client built on @wa/transport and @wa/crypto (no @wa/client): QR login
// (admin init, the QR text handed to `scan`, the Conn's secret → session keys), keep-alive, and
// sealed `action relay` sends. Incoming sealed frames are handed over unopened unless asked to,
// so thousands of them cost the benchmark little beside the sandbox it measures.
import { decode, encode } from '@wa/binary-codec';
import { deriveSessionKeys, fromBase64, generateKeyPair, openFrame, randomBytes, sealFrame, toBase64 } from '@wa/crypto';
import { decodeWebMessageInfo, encodeWebMessageInfo } from '@wa/proto';
import { Connection, Flag, Metric, serializeBinary, serializeJson } from '@wa/transport';

const pushKinds = new Set(['Conn', 'Stream', 'Props', 'Cmd', 'Msg', 'MsgInfo', 'Presence', 'Pong', 'Chat', 'Status', 'Blocklist', 'Battery']);
const isJsonAnswer = (frame) => frame.kind === 'json' && !(Array.isArray(frame.json) && pushKinds.has(frame.json[0]));
const toProtoJid = (jid) => jid.replace('@c.us', '@s.whatsapp.net');

/**
 * Logs in by QR on `url`; `scan(qrText)` is the phone (may be async).
 * `onMessage(info, receivedAt)`: relayed messages (`action add:relay`), opened and decoded; without
 * it sealed frames are only counted. `onSealed(frame)`: every sealed frame, unopened.
 * @returns {Promise<RawClient>}
 */
export async function rawLogin(url, scan, { onMessage, onSealed, keepAlive = true } = {}) {
  const conn = new Connection({ url, requestTimeoutMs: 30_000, connectTimeoutMs: 30_000 });
  const keyPair = generateKeyPair();
  const clientId = toBase64(randomBytes(16));
  let keys;
  let wid;
  let sealedIn = 0;
  let epoch = 0;
  let loggedIn;
  const opened = new Promise((resolve, reject) => (loggedIn = { resolve, reject }));
  conn.on('frame', (frame) => {
    if (frame.kind === 'json') {
      const body = frame.json;
      if (Array.isArray(body) && body[0] === 'Conn' && typeof body[1]?.secret === 'string') {
        try {
          keys = deriveSessionKeys({ secret: fromBase64(body[1].secret), privateKey: keyPair.privateKey });
          wid = body[1].wid;
          loggedIn.resolve();
        } catch (error) {
          loggedIn.reject(error);
        }
      }
    } else if (frame.kind === 'binary') {
      sealedIn += 1;
      onSealed?.(frame);
      if (onMessage === undefined || keys === undefined) return;
      const node = decode(openFrame(keys, frame.payload));
      if (node[0] !== 'action' || node[1]?.add !== 'relay' || !Array.isArray(node[2])) return;
      const now = performance.now();
      for (const child of node[2]) if (child[0] === 'message' && child[2] instanceof Uint8Array) onMessage(decodeWebMessageInfo(child[2]), now);
    }
  });
  conn.on('close', () => loggedIn.reject(new Error('closed before the login')));
  await conn.open();
  const init = await conn.request(serializeJson(conn.nextTag(), ['admin', 'init', [2, 2142, 12], ['Bench', 'Chrome', '1.0'], clientId, true]), { accept: isJsonAnswer });
  if (init.json?.status !== 200) throw new Error(`admin init answered ${JSON.stringify(init.json)}`);
  await scan(`${init.json.ref},${toBase64(keyPair.publicKey)},${clientId}`);
  await opened;
  if (keepAlive) conn.startKeepAlive();
  return {
    get wid() {
      return wid;
    },
    get sealedIn() {
      return sealedIn;
    },
    /** Sends a text to `to` (`…@c.us`) under `id`; resolves on the server ack. */
    async sendText(to, text, id) {
      const info = encodeWebMessageInfo({ key: { remoteJid: toProtoJid(to), fromMe: true, id }, message: { conversation: text }, messageTimestamp: Math.floor(Date.now() / 1000), status: 'PENDING' });
      epoch += 1;
      const node = ['action', { epoch: String(epoch), type: 'relay' }, [['message', null, info]]];
      const reply = await conn.request(serializeBinary(id, sealFrame(keys, encode(node)), { metric: Metric.message, flag: Flag.ignore }), { accept: isJsonAnswer });
      if (reply.json?.status !== 200) throw new Error(`message ${id} answered ${JSON.stringify(reply.json)}`);
    },
    close: () => conn.close(),
  };
}
