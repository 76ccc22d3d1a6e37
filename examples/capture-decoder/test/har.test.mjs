// Decodes a synthetic but complete session HAR: the server side is built with @wa/crypto's
// buildSecret (so the Conn secret really derives the keys), frames are sealed with sealFrame and
// framed with @wa/transport's serializers, and Chrome's HAR layout is reproduced around them.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { encode } from '@wa/binary-codec';
import { buildSecret, fromHex, generateKeyPair, sealFrame, toBase64, toHex } from '@wa/crypto';
import { encodeWebMessageInfo } from '@wa/proto';
import { Flag, Metric, serializeBinary, serializeJson, serializePing, serializePong } from '@wa/transport';
import { decodeSession, flagNames, HarError, metricName, readHarMessages } from '../src/har.mjs';

const vectorsUrl = new URL('../../../../shared/vectors/captured-frames.json', import.meta.url);
const [history] = JSON.parse(readFileSync(vectorsUrl, 'utf8'));
const cli = fileURLToPath(new URL('../src/cli.mjs', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'wa-har-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const client = generateKeyPair();
const built = buildSecret(client.publicKey);
const keys = { encKey: built.encKey, macKey: built.macKey };
const jid = '15551234567@s.whatsapp.net';
const sentInfo = { key: { remoteJid: jid, fromMe: true, id: '3EB0C0FFEE' }, message: { conversation: 'hello, sandbox' }, messageTimestamp: 1600000001, status: 1 };
const sentNode = ['action', { type: 'relay', epoch: '1' }, [['message', null, encodeWebMessageInfo(sentInfo)]]];
const presenceNode = ['action', { type: 'set', epoch: '2' }, [['presence', { type: 'composing', to: jid }, null]]];

/** A HAR message the way Chrome records it: text as is, binary as Base64. */
function text(type, data, time) {
  return { type, time, opcode: 1, data };
}
function binary(type, bytes, time) {
  return { type, time, opcode: 2, data: toBase64(bytes) };
}

function session(sealKeys = keys) {
  return [
    text('send', serializeJson('1600000000.--0', ['admin', 'init', [0, 3, 2390], ['Ubuntu', 'Chrome'], 'client-id', true]), 1.0),
    text('receive', serializeJson('1600000000.--0', { status: 200, ref: 'ref-1', ttl: 20000, time: 1600000000000 }), 1.1),
    text('receive', serializeJson('s1', ['Conn', { secret: toBase64(built.secret), wid: '15550000000@c.us', connected: true }]), 2.0),
    text('send', serializePing(), 2.5),
    text('receive', serializePong(1600000002000), 2.6),
    binary('receive', serializeBinary('s2', sealFrame(sealKeys, fromHex(history.hex))), 3.0),
    binary('send', serializeBinary('3EB0C0FFEE', sealFrame(sealKeys, encode(sentNode)), { metric: Metric.message, flag: Flag.ignore }), 4.0),
    text('receive', serializeJson('3EB0C0FFEE', { status: 200, t: 1600000001 }), 4.1),
    binary('send', serializeBinary('1600000000.--1', sealFrame(sealKeys, encode(presenceNode)), { metric: Metric.presence, flag: Flag.ignore | Flag.composing }), 5.0),
  ];
}

/** Chrome puts the socket's messages on its HAR entry; other entries (the page, scripts) have none. */
function harOf(messages) {
  return {
    log: {
      version: '1.2',
      creator: { name: 'WebInspector', version: '537.36' },
      entries: [
        { request: { method: 'GET', url: 'https://web.whatsapp.com/' }, response: { status: 200 } },
        { _resourceType: 'websocket', request: { method: 'GET', url: 'wss://web.whatsapp.com/ws' }, response: { status: 101 }, _webSocketMessages: messages },
      ],
    },
  };
}

function writeHar(name, messages) {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(harOf(messages)));
  return path;
}

function runCli(args) {
  const run = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function ndjson(stdout) {
  return stdout.trim().split('\n').map((line) => JSON.parse(line));
}

/** The checks every correctly keyed decode of session() must pass, whichever way the keys came. */
function assertFullSession(records) {
  assert.equal(records.length, 9);
  assert.deepEqual(records.map((r) => r.index), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(records.map((r) => r.dir), ['send', 'receive', 'receive', 'send', 'receive', 'receive', 'send', 'receive', 'send']);
  assert.deepEqual(records.map((r) => r.tag), ['1600000000.--0', '1600000000.--0', 's1', '?', '!', 's2', '3EB0C0FFEE', '3EB0C0FFEE', '1600000000.--1']);
  assert.deepEqual(records.map((r) => r.kind), ['json', 'json', 'json', 'ping', 'pong', 'binary', 'binary', 'json', 'binary']);
  assert.ok(records.every((r) => r.error === undefined), JSON.stringify(records.filter((r) => r.error)));
  assert.deepEqual(records[0].json, ['admin', 'init', [0, 3, 2390], ['Ubuntu', 'Chrome'], 'client-id', true]);
  assert.equal(records[1].json.status, 200);
  assert.equal(records[2].json[0], 'Conn');
  assert.equal(records[4].time, 1600000002000);
  // The server's history frame: the captured node, its four messages with the captured ids.
  const historyFrame = records[5];
  assert.equal(historyFrame.metric, undefined, 'server frames have no metric byte');
  assert.equal(historyFrame.node[0], 'action');
  assert.deepEqual(historyFrame.node[1], { last: 'true', add: 'before' });
  assert.deepEqual(historyFrame.messages.map((m) => m.key.id), history.webMessageInfo.map((m) => m.key.id));
  assert.equal(historyFrame.messages[3].message.conversation, 'library');
  // The client's message frame: header bytes by name, node and WebMessageInfo decoded.
  const sent = records[6];
  assert.equal(sent.metric, 'message');
  assert.deepEqual(sent.flags, ['ignore']);
  assert.deepEqual(sent.node.slice(0, 2), ['action', { type: 'relay', epoch: '1' }]);
  assert.equal(sent.node[2][0][0], 'message');
  assert.deepEqual(sent.messages, [
    { key: { remoteJid: jid, fromMe: true, id: '3EB0C0FFEE' }, message: { conversation: 'hello, sandbox' }, messageTimestamp: '1600000001', status: 'PENDING' },
  ]);
  assert.deepEqual(records[7].json, { status: 200, t: 1600000001 });
  const presence = records[8];
  assert.equal(presence.metric, 'presence');
  assert.deepEqual(presence.flags, ['ignore', 'composing']);
  // The codec writes the jid as a JID pair and reads it back with the pair's c.us server name.
  assert.deepEqual(presence.node, ['action', { type: 'set', epoch: '2' }, [['presence', { type: 'composing', to: '15551234567@c.us' }, null]]]);
  assert.deepEqual(presence.messages, []);
}

describe('decodeSession', () => {
  test('derives the keys from the Conn frame and decodes every frame in order', () => {
    const records = [...decodeSession(readHarMessages(harOf(session())), { privateKey: client.privateKey })];
    assertFullSession(records);
    assert.equal(records[2].derivedKeys, true);
  });

  test('a corrupted frame fails alone; the frames around it still decode', () => {
    const messages = session();
    const bytes = Buffer.from(messages[6].data, 'base64');
    bytes[bytes.length - 1] ^= 1; // one ciphertext bit: the HMAC no longer matches
    messages[6] = { ...messages[6], data: bytes.toString('base64') };
    messages[8] = { ...messages[8], data: toBase64(serializeBinary('1600000000.--1', new Uint8Array(0))) };
    const records = [...decodeSession(readHarMessages(harOf(messages)), { keys })];
    assert.deepEqual(records[6].error.code, 'FRAME_AUTH');
    assert.equal(records[6].tag, '3EB0C0FFEE');
    assert.equal(records[6].metric, 'message');
    assert.equal(records[8].error.code, 'TRUNCATED', 'a client frame without metric and flag bytes');
    assert.deepEqual(records.filter((r) => r.error).map((r) => r.index), [7, 9]);
    assert.equal(records[5].messages.length, 4);
  });

  test('the wrong private key fails the Conn with SECRET_MISMATCH, then binary frames have no keys', () => {
    const records = [...decodeSession(readHarMessages(harOf(session())), { privateKey: generateKeyPair().privateKey })];
    assert.equal(records[2].error.code, 'SECRET_MISMATCH');
    assert.deepEqual(records.filter((r) => r.error).map((r) => [r.index, r.error.code]), [
      [3, 'SECRET_MISMATCH'],
      [6, 'NO_KEYS'],
      [7, 'NO_KEYS'],
      [9, 'NO_KEYS'],
    ]);
  });

  test('rejects what is not a HAR with WebSocket messages', () => {
    assert.throws(() => readHarMessages({}), (error) => error instanceof HarError && error.code === 'BAD_HAR');
    assert.throws(() => readHarMessages({ log: { entries: [{}] } }), (error) => error.code === 'NO_WEBSOCKET');
    const [record] = decodeSession(readHarMessages(harOf([{ type: 'receive', time: 1, opcode: 9, data: '' }])));
    assert.equal(record.error.code, 'BAD_HAR');
  });
});

describe('metric and flag names', () => {
  test('name the header bytes from the protocol tables', () => {
    assert.equal(metricName(16), 'message');
    assert.equal(metricName(8), 'presence');
    assert.equal(metricName(99), 99);
    assert.deepEqual(flagNames(0xc0, 16), ['ignore', 'ackRequest']);
    assert.deepEqual(flagNames(0x84, 8), ['ignore', 'composing']);
    assert.deepEqual(flagNames(0x04, 16), ['skipOffline']);
    assert.deepEqual(flagNames(0x33, 16), ['available', 'unavailable', '0x03']);
    assert.deepEqual(flagNames(0, 16), []);
  });
});

describe('wa-decode --har', () => {
  const harPath = writeHar('session.har', session());

  test('--private-key alone: keys from the Conn frame, NDJSON output, exit 0', () => {
    const run = runCli(['--har', harPath, '--private-key', toHex(client.privateKey)]);
    assert.equal(run.status, 0, run.stderr);
    assertFullSession(ndjson(run.stdout));
  });

  test('--enc-key/--mac-key and --secret/--private-key decode the same session', () => {
    const byKeys = runCli(['--har', harPath, '--enc-key', toHex(keys.encKey), '--mac-key', toHex(keys.macKey)]);
    assert.equal(byKeys.status, 0, byKeys.stderr);
    assertFullSession(ndjson(byKeys.stdout));
    const bySecret = runCli(['--har', harPath, '--secret', toBase64(built.secret), '--private-key', toHex(client.privateKey)]);
    assert.equal(bySecret.status, 0, bySecret.stderr);
    assertFullSession(ndjson(bySecret.stdout));
  });

  test('wrong keys: each sealed frame reports FRAME_AUTH with its index, the rest decode, exit 1', () => {
    const wrong = new Uint8Array(32).fill(1);
    const run = runCli(['--har', harPath, '--enc-key', toHex(wrong), '--mac-key', toHex(wrong)]);
    assert.equal(run.status, 1);
    const records = ndjson(run.stdout);
    assert.equal(records.length, 9);
    assert.deepEqual(records.filter((r) => r.error).map((r) => [r.index, r.tag, r.error.code]), [
      [6, 's2', 'FRAME_AUTH'],
      [7, '3EB0C0FFEE', 'FRAME_AUTH'],
      [9, '1600000000.--1', 'FRAME_AUTH'],
    ]);
    assert.deepEqual(records[0].json[1], 'init');
    assert.match(run.stderr, /frame 6: FrameAuthError \[FRAME_AUTH\]/);
    assert.match(run.stderr, /frame 9: FrameAuthError \[FRAME_AUTH\]/);
  });

  test('--format text shows arrows, tags, header names and the nodes', () => {
    const run = runCli(['--har', harPath, '--private-key', toHex(client.privateKey), '--format', 'text']);
    assert.equal(run.status, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.equal(lines[0], '#1 → 1600000000.--0 ["admin","init",[0,3,2390],["Ubuntu","Chrome"],"client-id",true]');
    assert.ok(lines.includes('#4 → ? (keep-alive ping)'));
    assert.ok(lines.includes('#7 → 3EB0C0FFEE [message ignore]'));
    assert.ok(lines.includes('#9 → 1600000000.--1 [presence ignore composing]'));
    assert.ok(lines.includes('  <action type="set" epoch="2">'));
    assert.ok(lines.includes('    <presence type="composing" to="15551234567@c.us"/>'), run.stdout);
    assert.match(run.stdout, /#6 ← s2\n {2}<action last="true" add="before">/);
    assert.match(run.stdout, / {2}WebMessageInfo \{"key":\{"remoteJid":"15551234567@s\.whatsapp\.net","fromMe":true,"id":"3EB0C0FFEE"\}/);
  });

  test('without keys the sealed frames fail with NO_KEYS; bad options exit 2', () => {
    const run = runCli(['--har', harPath]);
    assert.equal(run.status, 1);
    assert.deepEqual(ndjson(run.stdout).filter((r) => r.error).map((r) => r.error.code), ['NO_KEYS', 'NO_KEYS', 'NO_KEYS']);
    assert.equal(runCli(['--har', harPath, '--format', 'xml']).status, 2);
    assert.equal(runCli(['--har', harPath, '--secret', toBase64(built.secret)]).status, 2);
    assert.equal(runCli(['--har', harPath, '--enc-key', 'zz', '--mac-key', 'zz']).status, 2);
    const notHar = join(dir, 'not.har');
    writeFileSync(notHar, '{"log":{}}');
    const bad = runCli(['--har', notHar]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /BAD_HAR/);
  });
});
