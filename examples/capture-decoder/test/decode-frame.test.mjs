import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sealFrame, toHex } from '@wa/crypto';
import { decodeFrame, parseHexInput, splitWireFrame } from '../src/decode-frame.mjs';

const vectorsUrl = new URL('../../../../shared/vectors/captured-frames.json', import.meta.url);
const [history] = JSON.parse(readFileSync(vectorsUrl, 'utf8'));
const cli = fileURLToPath(new URL('../src/cli.mjs', import.meta.url));

test('decodes the captured history frame and its four messages', () => {
  const result = decodeFrame(parseHexInput(history.hex));
  assert.deepEqual(result.node[0], 'action');
  assert.deepEqual(result.node[1], { last: 'true', add: 'before' });
  assert.equal(result.messages.length, 4);
  assert.deepEqual(
    result.messages.map((m) => m.key.id),
    history.webMessageInfo.map((m) => m.key.id),
  );
  assert.equal(result.messages[3].message.conversation, 'library');
});

test('opens a sealed frame with the session keys', () => {
  const keys = { encKey: new Uint8Array(32).fill(7), macKey: new Uint8Array(32).fill(9) };
  const sealed = sealFrame(keys, parseHexInput(history.hex));
  const result = decodeFrame(sealed, keys);
  assert.equal(result.messages.length, 4);
});

test('rejects malformed hex with a clear error', () => {
  assert.throws(() => parseHexInput('abc'), /even-length hex/);
  assert.throws(() => parseHexInput('zz'), /even-length hex/);
});

test('the CLI prints JSON and exits non-zero on a bad frame', () => {
  const out = execFileSync(process.execPath, [cli, history.hex], { encoding: 'utf8' });
  assert.equal(JSON.parse(out).messages.length, 4);
  let failed;
  try {
    execFileSync(process.execPath, [cli, 'f8ff'], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    failed = error;
  }
  assert.ok(failed, 'CLI must fail on a truncated frame');
  assert.equal(failed.status, 1);
  assert.match(failed.stderr, /DecodeError/);
  const keyed = execFileSync(
    process.execPath,
    [cli, '--enc-key', toHex(new Uint8Array(32)), '--mac-key', toHex(new Uint8Array(32)), toHex(sealFrame({ encKey: new Uint8Array(32), macKey: new Uint8Array(32) }, parseHexInput(history.hex)))],
    { encoding: 'utf8' },
  );
  assert.equal(JSON.parse(keyed).messages.length, 4);
});

test('takes a whole captured wire frame: tag, metric and flag (client) or tag (server), then the sealed bytes', () => {
  const keys = { encKey: new Uint8Array(32).fill(3), macKey: new Uint8Array(32).fill(4) };
  const sealed = sealFrame(keys, parseHexInput(history.hex));
  const fromClient = new Uint8Array([...new TextEncoder().encode('1600000000.--7,'), 16, 0x80, ...sealed]);
  const fromServer = new Uint8Array([...new TextEncoder().encode('1600000000-3,'), ...sealed]);
  const out = execFileSync(process.execPath, [cli, '--enc-key', toHex(keys.encKey), '--mac-key', toHex(keys.macKey), toHex(fromClient), toHex(fromServer)], { encoding: 'utf8' });
  const [client, server] = out.trim().split('\n').map((line) => JSON.parse(line));
  assert.equal(client.tag, '1600000000.--7');
  assert.equal(client.metric, 'message');
  assert.deepEqual(client.flags, ['ignore']);
  assert.equal(client.messages.length, 4);
  assert.equal(server.tag, '1600000000-3');
  assert.equal(server.metric, undefined);
  assert.equal(server.messages.length, 4);
});

test('bare sealed bytes that begin like a tag and a comma (a random HMAC can) are not taken for a wire frame', () => {
  const keys = { encKey: new Uint8Array(32).fill(3), macKey: new Uint8Array(32).fill(4) };
  const sealed = sealFrame(keys, parseHexInput(history.hex));
  // What an HMAC starting 64 2c ("d,") looks like: 48 + whole blocks, so 'd,' leaves 14 mod 16.
  const lookalike = new Uint8Array(sealed.length);
  lookalike.set(sealed);
  lookalike.set([0x64, 0x2c], 0);
  assert.equal(splitWireFrame(lookalike, true), undefined);
  // A real wire frame around the same bytes still splits.
  const wire = new Uint8Array([...new TextEncoder().encode('1600000000-3,'), ...sealed]);
  assert.deepEqual(splitWireFrame(wire, true)?.header, { tag: '1600000000-3', dir: 'receive' });
});

test('skips # comment lines in --file, and refuses bad key material with exit 2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wa-decode-'));
  const file = join(dir, 'frames.txt');
  writeFileSync(file, `# captured on Tuesday\n${history.hex}\n  # another comment\n\n`);
  const out = execFileSync(process.execPath, [cli, '--file', file], { encoding: 'utf8' });
  assert.equal(out.trim().split('\n').length, 1);
  for (const args of [
    ['--enc-key', 'abcd', '--mac-key', toHex(new Uint8Array(32)), history.hex],
    ['--enc-key', 'zz', '--mac-key', 'zz', history.hex],
    ['--secret', 'AAAA', '--private-key', toHex(new Uint8Array(32)), history.hex],
    ['--private-key', '00', '--har', file],
  ]) {
    let failed;
    try {
      execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      failed = error;
    }
    assert.equal(failed?.status, 2, `${args.join(' ')} → ${failed?.stderr}`);
    assert.match(failed.stderr, /bad key material/);
  }
});
