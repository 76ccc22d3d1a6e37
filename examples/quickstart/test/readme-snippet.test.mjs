// The @wa/client snippet of the top README, run as written: it must print only the new message
// (not the history the login brings) and exit by itself.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const readme = readFileSync(join(here, '..', '..', '..', 'README.md'), 'utf8');

/** The fenced block that builds a WAClient against the sandbox, without its list indentation. */
function snippet() {
  const blocks = [...readme.matchAll(/^( *)```ts\n([\s\S]*?)^\1```/gm)].map(([, indent, body]) => body.replace(new RegExp(`^${indent}`, 'gm'), ''));
  const found = blocks.find((body) => body.includes('new WAClient({ url: sandbox.url })'));
  assert.ok(found, 'the README has the WAClient snippet');
  return found;
}

test('the README @wa/client snippet prints the new message only and exits', { timeout: 60_000 }, async () => {
  // Inside this package, so that @wa/client and @wa/sandbox resolve from the workspace.
  const file = join(here, '..', `.readme-snippet-${process.pid}.mjs`);
  writeFileSync(file, snippet());
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [file], { timeout: 30_000 });
    assert.equal(stdout, '15550100099@c.us: echo: hello\n', stderr);
  } finally {
    rmSync(file, { force: true });
  }
});
