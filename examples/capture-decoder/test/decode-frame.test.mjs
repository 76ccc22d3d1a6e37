import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sealFrame, toHex } from '@wa/crypto';
import { decodeFrame, parseHexInput } from '../src/decode-frame.mjs';

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
