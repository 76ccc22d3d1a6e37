// Smoke test of the main demo: runs it as a user would and checks what it prints and its exit code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const script = fileURLToPath(new URL('../src/quickstart.mjs', import.meta.url));

test('the quickstart logs in by QR, chats, restores, logs out and exits 0', () => {
  const started = Date.now();
  const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
  const elapsed = Date.now() - started;
  assert.equal(run.status, 0, `exit ${run.status}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  assert.equal(run.stderr, '');
  const out = run.stdout;
  const expectations = [
    /Connecting to the embedded sandbox at ws:\/\/127\.0\.0\.1:\d+\/ws/,
    /Scan this QR code/,
    /[█▀▄]{7}/, // the QR code itself, drawn with block characters
    /The simulated phone scans the QR code/,
    /Logged in as Sandy Sandbox \(15550100001@c\.us\)/,
    /Chat list/,
    /← Alice: Hi! Did the quickstart work\?/,
    /→ You: "Yes, it did! 🎉" \(id 3EB0[0-9A-F]{16}\)/,
    /server ack \(SERVER_ACK\)/,
    /✓✓ delivered/,
    /✓✓ read \(blue ticks\)/,
    /Restored as 15550100001@c\.us via restore/,
    /Logged out: the server forgot the session and the credentials file is deleted/,
    /Done\.$/m,
  ];
  let position = 0;
  for (const pattern of expectations) {
    const match = pattern.exec(out.slice(position));
    assert.ok(match, `expected ${pattern} after offset ${position} in:\n${out}`);
    position += match.index + match[0].length;
  }
  // The chat list, in whatever order the chats' last activity gives.
  for (const line of [/💬 Weekend Trip\s+15550100001-1600000000@g\.us/, /💬 Alice\s+15550100002@c\.us/, /💬 Dave \(work\)\s+15550100005@c\.us/]) {
    assert.match(out, line);
  }
  assert.equal((out.match(/Scan this QR code/g) ?? []).length, 1, 'the restore must not show a QR code');
  // Skipped frames and background errors are printed (listeners attached before connect()): none here.
  assert.doesNotMatch(out, /⚠/);
  assert.ok(elapsed < 15_000, `took ${elapsed} ms`);
});
