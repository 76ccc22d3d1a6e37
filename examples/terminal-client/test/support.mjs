// Helpers of the end-to-end tests: spawn the program with piped stdin, read its output line by
// line, wait for patterns. Every child is killed when the test file ends, passed or not.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

const program = fileURLToPath(new URL('../src/main.mjs', import.meta.url));
export const STEP_MS = 10_000;
const children = new Set();

after(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** Resolves once `condition()` holds (checked every 20 ms), or fails after `ms`. */
export async function waitUntil(condition, ms = STEP_MS) {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A first run that pairs by QR code (embedded sandbox), saves the session to `auth` and quits. */
export async function pairByQr(auth) {
  const first = run(['--auth', auth]);
  try {
    await first.waitFor(/paired by QR code/);
    await first.waitFor(/^\s+\d+\. Alice/m);
    first.send('/quit');
    assert.equal((await first.exited).code, 0, first.err);
  } finally {
    first.kill();
  }
}

/** Spawns the program; `waitFor(pattern)` resolves with the match once stdout shows it. */
export function run(args, { cwd } = {}) {
  const child = spawn(process.execPath, [program, ...args], { stdio: ['pipe', 'pipe', 'pipe'], cwd });
  children.add(child);
  let out = '';
  let err = '';
  const waiters = [];
  const check = () => {
    for (const waiter of [...waiters]) {
      const match = waiter.pattern.exec(out.slice(waiter.from));
      if (!match) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      clearTimeout(waiter.timer);
      waiter.resolve(match);
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    out += chunk;
    check();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    err += chunk;
  });
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
  });
  return {
    get out() {
      return out;
    },
    get err() {
      return err;
    },
    exited,
    send(line) {
      child.stdin.write(`${line}\n`);
    },
    /** Waits for `pattern` in the output written after offset `from` (default: anywhere). */
    waitFor(pattern, from = 0) {
      return new Promise((resolve, reject) => {
        const waiter = {
          pattern,
          from,
          resolve,
          timer: setTimeout(() => {
            waiters.splice(waiters.indexOf(waiter), 1);
            reject(new Error(`no ${pattern} within ${STEP_MS} ms; stdout:\n${out}\nstderr:\n${err}`));
          }, STEP_MS),
        };
        waiters.push(waiter);
        check();
      });
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
}

export async function withTempDir(fn) {
  const dir = await mkdtemp(join(tmpdir(), 'wa-terminal-test-'));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
