// Runs the custom-client example as a user would and checks every step it prints and its exit code.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';

const script = fileURLToPath(new URL('../src/custom-client.mjs', import.meta.url));

test('the client from the primitives logs in by QR, chats, queries, restores with a challenge, logs out and exits 0', () => {
  const started = Date.now();
  const run = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 30_000 });
  const elapsed = Date.now() - started;
  assert.equal(run.status, 0, `exit ${run.status}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`);
  assert.equal(run.stderr, '');
  const out = run.stdout;
  const expectations = [
    /1\. Connecting to the embedded sandbox at ws:\/\/127\.0\.0\.1:\d+\/ws/,
    /admin init: 200/,
    /2\. QR login/,
    /QR: [^,\s]+,[A-Za-z0-9+/]{43}=,[A-Za-z0-9+/]{22}==/, // ref, Base64 public key, client id
    /the sandbox phone scans it/,
    /logged in as Sandy Sandbox \(15550100001@c\.us\)/,
    /keys derived from Conn\.secret: encKey 32 bytes, macKey 32 bytes/,
    /3\. The sealed pushes after login/,
    /✅ read [1-9]\d* chats, [1-9]\d* contacts, [1-9]\d* recent messages/,
    /4\. Sending a text to the Echo Bot 15550100099@c\.us/,
    /→ "hello" \(id 3EB0[0-9A-F]{16}\): server ack 200/,
    /✅ echo reply: "echo: hello"/,
    /5\. Sealed queries: contacts and history/,
    /👥 contacts query: [1-9]\d* contacts/,
    /📜 15550100002@c\.us: [1-9]\d* messages in the history page/,
    /6\. JSON queries/,
    /status of Alice: \{"status":"Hiking somewhere ⛰"\}/,
    /exist: \{"status":200,"jid":"15550100002@c\.us"\}/,
    /admin test \(phone reachable\): true/,
    /7\. Restoring the session/,
    /✅ restored as 15550100001@c\.us; tokens rotated and saved/,
    /challenge received/,
    /challenge answered: 200/,
    /✅ restored after the challenge as 15550100001@c\.us/,
    /8\. Logging out/,
    /👋 logged out: \{"status":200\}/,
    /a restore with the old tokens is refused: 401/,
    /Done\.$/m,
  ];
  let position = 0;
  for (const pattern of expectations) {
    const match = pattern.exec(out.slice(position));
    assert.ok(match, `expected ${pattern} after offset ${position} in:\n${out}`);
    position += match.index + match[0].length;
  }
  // The three pushes are read once per login: the QR login and the two restores.
  for (const push of [/💬 chat list \(preempt-/g, /👥 contacts \(preempt-/g, /📨 recent messages \(preempt-/g]) {
    assert.equal((out.match(push) ?? []).length, 3, `${push} in:\n${out}`);
  }
  assert.match(out, /chat 15550100099@c\.us unread \d+/);
  assert.match(out, /ack 3EB0[0-9A-F]{16} 2 \(delivered\)/);
  assert.doesNotMatch(out, /dropped frame/);
  assert.ok(elapsed < 30_000, `took ${elapsed} ms`);
});
