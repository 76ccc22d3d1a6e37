/** The committed src/generated/ must be what scripts/generate.mjs makes from proto/WAMessage.proto. */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = resolve(import.meta.dirname, '..');
const script = join(packageDir, 'scripts', 'generate.mjs');
const scratch = mkdtempSync(join(tmpdir(), 'wa-proto-generated-'));

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('generated code', () => {
  it('is up to date with proto/WAMessage.proto', () => {
    const output = execFileSync(process.execPath, [script, '--check'], { cwd: packageDir, encoding: 'utf8' });
    expect(output).toContain('up to date');
  });

  it('the check notices a stale file', () => {
    const copy = join(scratch, 'stale');
    cpSync(join(packageDir, 'src', 'generated'), copy, { recursive: true });
    const schema = join(copy, 'schema.ts');
    writeFileSync(schema, readFileSync(schema, 'utf8').replace('messageTimestamp: { id: 3', 'messageTimestamp: { id: 4'));
    const run = spawnSync(process.execPath, [script, '--check', copy], { cwd: packageDir, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('schema.ts');
  });

  it('the check notices a missing file', () => {
    const copy = join(scratch, 'missing');
    cpSync(join(packageDir, 'src', 'generated'), copy, { recursive: true });
    rmSync(join(copy, 'wa-message.ts'));
    const run = spawnSync(process.execPath, [script, '--check', copy], { cwd: packageDir, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('wa-message.ts');
  });
});
