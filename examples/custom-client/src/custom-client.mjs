#!/usr/bin/env node
// docs/guides/custom-client.md as a program: a legacy web client built from the primitives only
// (@wa/binary-codec, @wa/crypto, @wa/proto, @wa/transport; no @wa/client), run against the
// embedded sandbox. QR login, keys from Conn.secret, the sealed pushes, a text to the Echo Bot
// with its ack and echo, a history query, JSON queries, a restore (with a challenge) and a logout.
// Each numbered block below is the guide's section of the same number.
import { decode, DecodeError, encode, getAttribute, getBytes, getChildren } from '@wa/binary-codec';
import { deriveSessionKeys, FrameAuthError, fromBase64, generateKeyPair, openFrame, randomBytes, sealFrame, signChallenge, toBase64 } from '@wa/crypto';
import { decodeWebMessageInfo, encodeWebMessageInfo, generateMessageId, textMessage } from '@wa/proto';
import { startSandbox } from '@wa/sandbox';
import { Connection, Flag, Metric, serializeBinary, serializeJson } from '@wa/transport';

const ECHO = '15550100099@c.us';
const ALICE = '15550100002@c.us';
const BROWSER = ['My Client', 'Chrome', '1.0'];
const TIMEOUT_MS = 20_000;

const step = (number, title) => console.log(`\n${number}. ${title}`);
const say = (text) => console.log(`   ${text}`);

// ---- 0. Where to connect
const sandbox = await startSandbox({ seed: 'my-client' }); // ws://127.0.0.1:<port>/ws
const url = sandbox.url;

// ---- 1. One dispatcher for everything the server starts
let conn;
let clientId = toBase64(randomBytes(16)); // 16 bytes → 24 Base64 characters
const keyPair = generateKeyPair(); // fresh for every QR login
let keys;
let credentials;
let stored; // "your storage": here a variable
const connWaiters = [];
let chatListShown = 0; // the chats in detail once, the pushes of the restores as counts

// Every push the dispatcher handled, kept so that a step can wait for one that came before it asked.
const seen = [];
const eventWaiters = [];
function emit(event) {
  seen.push(event);
  for (const waiter of eventWaiters.splice(0)) {
    if (waiter.match(event)) waiter.resolve(event);
    else eventWaiters.push(waiter);
  }
}
/** The first event (already seen or still to come) that `match` accepts. */
function nextEvent(match, what) {
  const past = seen.find(match);
  if (past) return Promise.resolve(past);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), 10_000);
    eventWaiters.push({ match, resolve: (event) => (clearTimeout(timer), resolve(event)) });
  });
}

function connect() {
  seen.length = 0; // a new connection gets its own pushes
  conn = new Connection({ url });
  conn.on('frame', (frame) => {
    if (frame.kind === 'json') {
      const body = frame.json;
      if (Array.isArray(body) && body[0] === 'Conn') onConn(body[1]);
      else if (Array.isArray(body) && body[0] === 'Cmd' && body[1]?.type === 'challenge') void answerChallenge(body[1].challenge);
      else onPush(frame.tag, body); // Stream, Props, Msg/MsgInfo acks, Presence, Pong, Cmd disconnect
    } else if (frame.kind === 'binary') {
      if (!keys) return; // nothing sealed can be read before login
      try {
        onNode(frame.tag, decode(openFrame(keys, frame.payload)));
      } catch (error) {
        // A bad HMAC or an undecodable node costs this one frame, never the session.
        if (error instanceof FrameAuthError || error instanceof DecodeError) console.warn('dropped frame', frame.tag, error.code);
        else throw error;
      }
    }
  });
  return conn;
}

// ---- 2. The Conn: keys and tokens
function onConn(fields) {
  if (fields.secret !== undefined) {
    // QR login only: 144 bytes → encKey/macKey (HMAC-checked; throws SecretMismatchError if forged)
    keys = deriveSessionKeys({ secret: fromBase64(fields.secret), privateKey: keyPair.privateKey });
  }
  if (!keys) throw new Error('Conn without secret and no stored keys');
  // Every login rotates the tokens: persist them NOW, the previous ones are dead.
  credentials = { clientId, clientToken: fields.clientToken, serverToken: fields.serverToken, ...keys, wid: fields.wid };
  stored = credentials;
  for (const resolve of connWaiters.splice(0)) resolve(fields);
}
const nextConn = () => new Promise((resolve) => connWaiters.push(resolve));

// ---- 3. JSON requests
const pushKinds = new Set(['Conn', 'Stream', 'Props', 'Cmd', 'Msg', 'MsgInfo', 'Presence', 'Pong', 'Chat', 'Status', 'Blocklist', 'Battery']);
/** A JSON answer: anything but a push such as `["Presence",…]` (a push may carry a pending tag). */
const isJsonAnswer = (frame) => frame.kind === 'json' && !(Array.isArray(frame.json) && pushKinds.has(frame.json[0]));

async function command(value) {
  const reply = await conn.request(serializeJson(conn.nextTag(), value), { timeoutMs: 10_000, accept: isJsonAnswer });
  if (reply.kind !== 'json') throw new Error(`expected JSON, got ${reply.kind}`);
  return reply.json;
}

// ---- 5. Reading pushed nodes and messages
function onNode(tag, node) {
  const [description] = node;
  if (description === 'response' && getAttribute(node, 'type') === 'chat') {
    const chats = getChildren(node);
    say(`💬 chat list (${tag}): ${chats.length} chats`);
    if (chatListShown++ === 0) for (const chat of chats) say(`   chat ${getAttribute(chat, 'jid')} unread ${getAttribute(chat, 'count') ?? 0}`);
    emit({ kind: 'chats', count: chats.length });
  } else if (description === 'response' && getAttribute(node, 'type') === 'contacts') {
    const contacts = getChildren(node);
    say(`👥 contacts (${tag}): ${contacts.length} contacts`);
    emit({ kind: 'contacts', count: contacts.length });
  } else if (description === 'action') {
    // add: last | before | relay | update
    const add = getAttribute(node, 'add');
    const messages = [];
    for (const child of getChildren(node)) {
      const bytes = getBytes(child);
      if (child[0] !== 'message' || !bytes) continue;
      messages.push(decodeWebMessageInfo(bytes));
    }
    if (add === 'last') say(`📨 recent messages (${tag}): ${messages.length} messages`);
    for (const info of messages) {
      if (add === 'relay') say(`${info.key.remoteJid} ${info.key.fromMe ? '→' : '←'} ${info.message?.conversation}`);
      emit({ kind: 'message', add, info });
    }
    if (add === 'last') emit({ kind: 'recent', count: messages.length });
  }
}

function onPush(_tag, body) {
  if (!Array.isArray(body)) return;
  if (body[0] === 'Msg' || body[0] === 'MsgInfo') {
    say(`ack ${body[1].id} ${body[1].ack} (${body[1].ack >= 3 ? 'read' : 'delivered'})`); // 2 delivered, 3 read
    emit({ kind: 'ack', id: body[1].id, ack: body[1].ack });
  }
  if (body[0] === 'Pong') say(`phone reachable: ${body[1]}`);
  if (body[0] === 'Cmd' && body[1]?.type === 'disconnect') say(`session ended: ${body[1].kind ?? 'unpaired'}`); // do not auto-reconnect
}

// ---- 6. Sealed requests
function sendNode(tag, node, metric, flag) {
  const frame = serializeBinary(tag, sealFrame(keys, encode(node)), { metric, flag });
  return conn.request(frame, { timeoutMs: 10_000 });
}

async function query(attrs, metric) {
  const reply = await sendNode(conn.nextTag(), ['query', attrs, null], metric, Flag.ignore);
  if (reply.kind !== 'binary') throw new Error(`expected a sealed node, got ${JSON.stringify(reply)}`);
  return decode(openFrame(keys, reply.payload));
}

// ---- 7. Sending a text
async function sendText(jid, text) {
  const id = generateMessageId(); // 3EB0 + 16 hex
  const info = encodeWebMessageInfo(textMessage({
    remoteJid: jid.replace(/@c\.us$/, '@s.whatsapp.net'), // protobufs use s.whatsapp.net
    fromMe: true, id, text, timestamp: Math.floor(Date.now() / 1000), status: 'PENDING',
  }));
  const node = ['action', { type: 'relay', epoch: '1' }, [['message', null, info]]];
  const ack = await sendNode(id, node, Metric.message, Flag.ignore); // the tag IS the message id
  if (ack.kind !== 'json' || ack.json.status !== 200) throw new Error('not accepted');
  return id; // then Msg ack 2 (delivered) and 3 (read) arrive in onPush
}

// ---- 9. Restore
async function restore(saved, mode = 'takeover') {
  clientId = saved.clientId;
  keys = { encKey: saved.encKey, macKey: saved.macKey }; // the pushes after the Conn are sealed with these
  credentials = saved;
  connect(); // a new Connection, with the dispatcher of §1
  await conn.open();
  await command(['admin', 'init', [2, 2142, 12], BROWSER, saved.clientId, true]);
  const restored = nextConn(); // s1 (or s2 after a challenge) comes BEFORE the login's 200
  const login = ['admin', 'login', saved.clientToken, saved.serverToken, saved.clientId, mode];
  if (mode === 'reconnect') login.push(saved.wid);
  const reply = await command(login);
  if (reply.status !== 200) throw Object.assign(new Error(`restore refused: ${reply.status}`), { status: reply.status });
  const fields = await restored;
  conn.startKeepAlive();
  return fields;
}

async function answerChallenge(challenge) {
  say('🔐 challenge received: signing it with macKey');
  const answer = toBase64(signChallenge(credentials.macKey, fromBase64(challenge)));
  const reply = await command(['admin', 'challenge', answer, credentials.serverToken, credentials.clientId]);
  if (reply.status !== 200) console.warn('challenge refused', reply.status); // the server closes the socket
  else say('🔐 challenge answered: 200');
}

async function main() {
  // ---- 4. QR login
  step(1, `Connecting to the embedded sandbox at ${url}`);
  connect();
  await conn.open();
  const init = await command(['admin', 'init', [2, 2142, 12], BROWSER, clientId, true]);
  if (init.status !== 200) throw new Error(`admin init refused: ${init.status}`);
  say(`admin init: 200, ref valid ${init.ttl / 1000} s`);

  step(2, 'QR login');
  const qrText = (ref) => `${ref},${toBase64(keyPair.publicKey)},${clientId}`;
  const loggedIn = nextConn(); // register before anything can arrive
  const showQr = (text) => {
    say(`QR: ${text}`);
    say('📱 the sandbox phone scans it');
    sandbox.phone.scan(text);
  };
  showQr(qrText(init.ref));
  const reref = setInterval(async () => {
    const reply = await command(['admin', 'Conn', 'reref']).catch(() => undefined);
    if (reply?.status === 200 && reply.ref) showQr(qrText(reply.ref)); // new ref: redraw
    else if (reply?.status === 429) clearInterval(reref); // no more refs: reconnect and init again
  }, init.ttl);
  const me = await loggedIn;
  clearInterval(reref);
  conn.startKeepAlive();
  say(`✅ logged in as ${me.pushname} (${me.wid})`);
  say(`🔑 keys derived from Conn.secret: encKey ${keys.encKey.length} bytes, macKey ${keys.macKey.length} bytes`);

  step(3, 'The sealed pushes after login');
  const chats = await nextEvent((event) => event.kind === 'chats', 'the chat list');
  const contacts = await nextEvent((event) => event.kind === 'contacts', 'the contacts');
  const recent = await nextEvent((event) => event.kind === 'recent', 'the recent messages');
  say(`✅ read ${chats.count} chats, ${contacts.count} contacts, ${recent.count} recent messages`);

  step(4, `Sending a text to the Echo Bot ${ECHO}`);
  const echoJid = ECHO.replace(/@c\.us$/, '@s.whatsapp.net');
  const echoed = nextEvent( // registered before sending
    (event) => event.kind === 'message' && event.add === 'relay' && !event.info.key.fromMe && event.info.key.remoteJid === echoJid,
    'the echo',
  );
  const id = await sendText(ECHO, 'hello');
  say(`→ "hello" (id ${id}): server ack 200`);
  const echo = await echoed;
  say(`✅ echo reply: "${echo.info.message?.conversation}"`);

  step(5, 'Sealed queries: contacts and history');
  const contactList = await query({ type: 'contacts', epoch: '1' }, Metric.queryContacts);
  say(`👥 contacts query: ${getChildren(contactList).length} contacts`);
  const history = await query({ type: 'message', jid: ALICE, kind: 'before', count: '50', epoch: '1' }, Metric.queryMessages);
  const page = getChildren(history).filter((child) => child[0] === 'message' && getBytes(child));
  say(`📜 ${ALICE}: ${page.length} messages in the history page`);
  const last = page.at(-1);
  if (last) say(`   last: "${decodeWebMessageInfo(getBytes(last)).message?.conversation}"`);

  step(6, 'JSON queries');
  say(`status of Alice: ${JSON.stringify(await command(['query', 'Status', ALICE]))}`);
  say(`exist: ${JSON.stringify(await command(['query', 'exist', ALICE]))}`);
  say(`admin test (phone reachable): ${JSON.stringify(await command(['admin', 'test']))}`);

  step(7, 'Restoring the session on a new connection (admin login takeover)');
  await conn.close();
  const first = await restore(stored);
  say(`✅ restored as ${first.wid}; tokens rotated and saved`);
  await nextEvent((event) => event.kind === 'recent', 'the pushes after the restore');
  await conn.close();
  sandbox.faults.forceChallenge(); // the server challenges the next restore
  const second = await restore(stored);
  sandbox.faults.forceChallenge(false);
  say(`✅ restored after the challenge as ${second.wid}`);
  await nextEvent((event) => event.kind === 'recent', 'the pushes after the restore');

  step(8, 'Logging out');
  const bye = await command(['admin', 'Conn', 'disconnect']);
  await conn.close();
  const dead = stored;
  stored = undefined; // the tokens are invalid now
  say(`👋 logged out: ${JSON.stringify(bye)}`);
  const refused = await restore(dead).then(() => 200, (error) => error.status ?? error.message);
  await conn.close();
  say(`a restore with the old tokens is refused: ${refused}`);
  console.log('\nDone.');
}

const watchdog = setTimeout(() => {
  console.error(`custom-client: no result within ${TIMEOUT_MS / 1000} s`);
  process.exit(1);
}, TIMEOUT_MS);
watchdog.unref();
try {
  await main();
} catch (error) {
  console.error(`custom-client failed: ${error?.stack ?? error}`);
  process.exitCode = 1;
} finally {
  await conn?.close().catch(() => {});
  await sandbox.close();
  clearTimeout(watchdog);
}
