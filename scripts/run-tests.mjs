// Runs every package's tests through turbo (Chromium prepared first), passes the output through,
// and ends with one line that totals the tests of all runners: "Total: N passed, N failed".
import { spawn } from 'node:child_process';

const extraArgs = process.argv.slice(2);
const child = spawn('turbo', ['run', 'test', '--concurrency=2', ...extraArgs], {
  stdio: ['ignore', 'pipe', 'pipe'],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: process.env.FORCE_COLOR ?? '0' },
});

let passed = 0;
let failed = 0;
let pending = '';
// Colour codes (ESC [ … m) are stripped before the summary lines are read.
const ansi = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

function count(line) {
  const plain = line.replace(ansi, '');
  const vitest = /\bTests\s+(?:(\d+) failed \| )?(\d+) passed/.exec(plain);
  if (vitest) {
    failed += Number(vitest[1] ?? 0);
    passed += Number(vitest[2]);
    return;
  }
  const vitestFailedOnly = /\bTests\s+(\d+) failed \((\d+)\)/.exec(plain);
  if (vitestFailedOnly) {
    failed += Number(vitestFailedOnly[1]);
    return;
  }
  const nodePass = /^(?:\S+:\s+)?# pass (\d+)$/.exec(plain.trim());
  if (nodePass) passed += Number(nodePass[1]);
  const nodeFail = /^(?:\S+:\s+)?# fail (\d+)$/.exec(plain.trim());
  if (nodeFail) failed += Number(nodeFail[1]);
}

function relay(stream, target) {
  stream.on('data', (chunk) => {
    target.write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    lines.forEach(count);
  });
}
relay(child.stdout, process.stdout);
relay(child.stderr, process.stderr);

child.on('close', (code) => {
  count(pending);
  const ok = code === 0 && failed === 0 && passed > 0;
  console.log(`\nTotal: ${passed} passed, ${failed} failed`);
  process.exit(ok ? 0 : code || 1);
});
