import { lstatSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readStateFile, writeStateFile } from '../src/node/state-file.ts';
import { Sandbox } from '../src/sandbox.ts';

const state = (): ReturnType<Sandbox['exportState']> => {
  const sandbox = new Sandbox({ seed: 'file' });
  const exported = sandbox.exportState();
  sandbox.close();
  return exported;
};

describe('the state file is written privately and never through a link', () => {
  it('writes mode 0600 through a random temporary name, creating directories 0700', () => {
    const root = mkdtempSync(join(tmpdir(), 'wa-state-'));
    const path = join(root, 'nested', 'deeper', 'state.json');
    writeStateFile(path, state());
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'nested')).mode & 0o777).toBe(0o700);
    expect(statSync(join(root, 'nested', 'deeper')).mode & 0o777).toBe(0o700);
    expect(readStateFile(path)).toEqual(JSON.parse(readFileSync(path, 'utf8')));
    // No temporary file is left behind, and none had a predictable name.
    expect(readdirSync(join(root, 'nested', 'deeper'))).toEqual(['state.json']);
    writeStateFile(path, state());
    expect(readdirSync(join(root, 'nested', 'deeper'))).toEqual(['state.json']);
  });

  it('refuses a symlink at the target path and leaves its destination untouched', () => {
    const root = mkdtempSync(join(tmpdir(), 'wa-state-'));
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, 'keep me', { mode: 0o644 });
    const path = join(root, 'state.json');
    symlinkSync(victim, path);
    expect(() => writeStateFile(path, state())).toThrow(expect.objectContaining({ code: 'STATE_WRITE_FAILED' }));
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(lstatSync(path).isSymbolicLink()).toBe(true);
  });

  it('never opens a planted file at the old predictable temporary names', () => {
    const root = mkdtempSync(join(tmpdir(), 'wa-state-'));
    const victim = join(root, 'victim.txt');
    writeFileSync(victim, 'keep me');
    const path = join(root, 'state.json');
    // The names earlier versions used: <path>.<pid>.tmp.
    symlinkSync(victim, `${path}.${process.pid}.tmp`);
    writeStateFile(path, state());
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});
