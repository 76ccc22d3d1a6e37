#!/usr/bin/env node
// check:packages: do the six packages work for someone who installs them and nothing else?
//
// Runs after the build (it builds nothing). It packs every package with `pnpm pack` into a temp
// dir, checks each tarball's contents (every export, subpath export, `imports` and `bin` target
// present with its .d.ts, no `workspace:` range left, no tests or tsconfigs, every source map
// pointing at a shipped file), installs the tarballs with plain `npm install` into a scratch
// project in os.tmpdir() (outside the workspace: registry dependencies come from npm, the
// @wa/* packages only from the tarballs), and there, with plain Node:
//   - resolves every entry point (`@wa/client/node`, `@wa/sandbox/core` …) and type-checks an
//     import of each with the workspace's TypeScript,
//   - runs `npx wa-sandbox --help`,
//   - runs the three uses of the README: (1) parse a captured frame with only the codec,
//     (2) a custom client from the primitives logging in to a sandbox by QR and reading the sealed
//     chat list, (3) a `@wa/client` bot that answers a contact's message.
// Exit code 0 when all of it holds; otherwise 1 with a message naming what failed (the scratch
// dir is then kept for inspection; WA_CHECK_PACKAGES_KEEP=1 keeps it in any case).
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM_VERSION = '10.34.8';
const PACKAGES = ['binary-codec', 'crypto', 'proto', 'transport', 'client', 'sandbox'];
const ENTRY_POINTS = ['@wa/binary-codec', '@wa/crypto', '@wa/proto', '@wa/transport', '@wa/client', '@wa/client/node', '@wa/sandbox', '@wa/sandbox/core'];
const VECTORS = resolve(repo, '..', 'shared', 'vectors', 'captured-frames.json');
const USE_TIMEOUT_MS = 30_000;
const INSTALL_TIMEOUT_MS = 240_000;

class CheckError extends Error {}
const fail = (message) => {
  throw new CheckError(message);
};
const started = Date.now();
const progress = (message) => console.log(`[check:packages ${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);
const indent = (text) => text.trimEnd().replace(/^/gm, '    ');

/** Runs a command; resolves with its output, or fails with the output when it exits non-zero. */
function run(command, args, { cwd, env = process.env, timeoutMs = 120_000, what = `${command} ${args.join(' ')}` } = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new CheckError(`${what}: no exit within ${timeoutMs / 1000} s${stdout.includes('\nOK ') ? ' (it finished its work but something kept the process alive)' : ''}\n${indent(stdout + stderr)}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new CheckError(`${what}: cannot start ${command}: ${error.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise({ stdout, stderr });
      else reject(new CheckError(`${what} failed (${signal ?? `exit ${code}`}):\n${indent(stdout + stderr)}`));
    });
  });
}

/**
 * The environment for npm in the scratch project. A script run by pnpm or npm inherits
 * npm_config_* variables of the workspace (npm_config_local_prefix would point npm at the
 * workspace itself); only the ones that say how to reach the registry are kept.
 */
function scratchEnv() {
  const keep = /^npm_config_(registry|cache|userconfig|globalconfig|cafile|ca|strict_ssl|proxy|https_proxy|noproxy|fetch_.*|@.*:registry)$/i;
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) && !keep.test(key)) continue;
    env[key] = value;
  }
  return { ...env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };
}

/** pnpm: the one running this script if there is one, else the pinned version through npx. */
function pnpmCommand() {
  const execPath = process.env.npm_execpath ?? '';
  if (/pnpm/i.test(basename(execPath))) return [process.execPath, [execPath]];
  return ['npx', ['-y', `pnpm@${PNPM_VERSION}`]];
}

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));

function listFiles(dir, prefix = '') {
  const files = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(join(dir, entry.name), path));
    else files.push(path);
  }
  return files;
}

/** Every string target of an `exports`/`imports` value, with the conditions that lead to it. */
function targets(value, conditions = []) {
  if (typeof value === 'string') return [{ conditions, target: value }];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => targets(inner, [...conditions, key]));
}

// ---------------------------------------------------------------------------------------------
// 1. What a tarball must and must not hold.

const FORBIDDEN = [
  [/(^|\/)test\//, 'a test directory'],
  [/\.(test|spec|bench)\.[cm]?[jt]sx?$/, 'a test file'],
  [/(^|\/)tsconfig[^/]*\.json$/, 'a tsconfig'],
  [/\.tsbuildinfo$/, 'a tsbuildinfo'],
  [/(^|\/)vitest\.config\.[cm]?[jt]s$/, 'a vitest config'],
  [/(^|\/)node_modules\//, 'node_modules'],
  [/(^|\/)\.turbo\//, 'turbo cache'],
];

function inspectTarball(dir, workspaceManifest) {
  const problems = [];
  const files = new Set(listFiles(dir));
  const manifest = readJson(join(dir, 'package.json'));
  const has = (target) => files.has(target.replace(/^\.\//, ''));

  if (manifest.name !== workspaceManifest.name || manifest.version !== workspaceManifest.version) {
    problems.push(`packed as ${manifest.name}@${manifest.version}, the workspace has ${workspaceManifest.name}@${workspaceManifest.version}`);
  }
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|link|file|portal):/.test(range)) problems.push(`${field}.${name} is still "${range}" in the packed package.json`);
    }
  }
  for (const field of ['main', 'types']) {
    if (manifest[field] && !has(manifest[field])) problems.push(`"${field}": ${manifest[field]} is not in the tarball`);
  }
  const exportNames = Object.keys(manifest.exports ?? {});
  for (const [subpath, value] of Object.entries(manifest.exports ?? {})) {
    const list = targets(value);
    for (const { conditions, target } of list) {
      if (!has(target)) problems.push(`exports["${subpath}"] (${conditions.join('.') || 'default'}) → ${target} is not in the tarball`);
    }
    const code = list.filter(({ target }) => /\.[cm]?js$/.test(target));
    if (code.length > 0 && !list.some(({ conditions, target }) => conditions.includes('types') && has(target))) {
      problems.push(`exports["${subpath}"] has no "types" condition with a shipped .d.ts`);
    }
  }
  for (const [specifier, value] of Object.entries(manifest.imports ?? {})) {
    for (const { conditions, target } of targets(value)) {
      if (!has(target)) problems.push(`imports["${specifier}"] (${conditions.join('.')}) → ${target} is not in the tarball`);
    }
  }
  const bins = typeof manifest.bin === 'string' ? { [manifest.name]: manifest.bin } : (manifest.bin ?? {});
  for (const [name, target] of Object.entries(bins)) {
    if (!has(target)) problems.push(`bin ${name} → ${target} is not in the tarball`);
    else if (!readFileSync(join(dir, target), 'utf8').startsWith('#!')) problems.push(`bin ${name} → ${target} has no #! line`);
  }
  for (const file of files) {
    for (const [pattern, what] of FORBIDDEN) if (pattern.test(file)) problems.push(`${file} is ${what}`);
    if (/^dist\/.*\.js$/.test(file) && !files.has(file.replace(/\.js$/, '.d.ts'))) problems.push(`${file} has no ${basename(file, '.js')}.d.ts`);
    if (file.endsWith('.map')) {
      const map = readJson(join(dir, file));
      for (const source of map.sources ?? []) {
        const shipped = relative(dir, resolve(dir, dirname(file), map.sourceRoot ?? '', source)).split(sep).join('/');
        if (!files.has(shipped)) problems.push(`${file} points at ${source}, which is not in the tarball`);
      }
    }
  }
  if (!files.has('README.md')) problems.push('no README.md');
  if (!files.has('LICENSE')) problems.push('no LICENSE');
  return { problems, files, manifest, exportNames, bins: Object.keys(bins) };
}

// ---------------------------------------------------------------------------------------------
// 2. The three uses. Each function is written into the scratch project as its own .mjs file and
// run there with `node`, so it must be self-contained: no variable from this script, only its
// argument, dynamic imports (resolved from the scratch project's node_modules) and node: modules.
// Each prints "OK <summary>" as its last line.

async function useCodec({ vectorsFile }) {
  const { readFileSync } = await import('node:fs');
  const { decode, encode, hexToBytes, nodeFromJSON, nodeToJSON, nodeToString } = await import('@wa/binary-codec');
  const frames = JSON.parse(readFileSync(vectorsFile, 'utf8'));
  const frame = frames.find((entry) => entry.name === 'history-batch-4-messages') ?? frames[0];
  const bytes = hexToBytes(frame.hex);
  const node = decode(bytes);
  if (JSON.stringify(nodeToJSON(node)) !== JSON.stringify(frame.node)) {
    throw new Error(`decoded ${frame.name} differs from the vector:\n${JSON.stringify(nodeToJSON(node))}`);
  }
  const again = encode(nodeFromJSON(frame.node));
  if (again.length !== bytes.length || again.some((byte, i) => byte !== bytes[i])) throw new Error(`re-encoding ${frame.name} gives other bytes`);
  console.log(nodeToString(node).split('\n').slice(0, 3).join('\n'));
  console.log(`OK decoded "${frame.name}" (${bytes.length} bytes): <${node[0]}> with ${Array.isArray(node[2]) ? node[2].length : 0} children, equal to the vector, re-encodes byte for byte`);
}

async function useCustomClient() {
  const { decode, getAttribute, getBytes, getChildren } = await import('@wa/binary-codec');
  const { cryptoBackend, deriveSessionKeys, fromBase64, generateKeyPair, openFrame, randomBytes, toBase64 } = await import('@wa/crypto');
  const { decodeWebMessageInfo, messageText } = await import('@wa/proto');
  const { Connection, serializeJson } = await import('@wa/transport');
  const { startSandbox } = await import('@wa/sandbox');

  const within = (promise, what) =>
    Promise.race([promise, new Promise((_, reject) => setTimeout(() => reject(new Error(`no ${what} within 10 s`)), 10_000).unref())]);
  const sandbox = await startSandbox({ seed: 'check-packages-custom' });
  const conn = new Connection({ url: sandbox.url });
  try {
    const clientId = toBase64(randomBytes(16));
    const keyPair = generateKeyPair();
    let keys;
    let onConn;
    let onChats;
    let onHistory;
    const loggedIn = new Promise((resolve) => (onConn = resolve));
    const chatList = new Promise((resolve) => (onChats = resolve));
    const history = new Promise((resolve) => (onHistory = resolve));
    // One synchronous dispatcher: the sealed pushes follow the Conn at once, sealed with its keys.
    conn.on('frame', (frame) => {
      if (frame.kind === 'json' && Array.isArray(frame.json) && frame.json[0] === 'Conn') {
        keys = deriveSessionKeys({ secret: fromBase64(frame.json[1].secret), privateKey: keyPair.privateKey });
        onConn(frame.json[1]);
      } else if (frame.kind === 'binary' && keys) {
        const node = decode(openFrame(keys, frame.payload));
        if (node[0] === 'response' && getAttribute(node, 'type') === 'chat') onChats(getChildren(node));
        if (node[0] === 'action' && getAttribute(node, 'add') === 'last') onHistory(getChildren(node));
      }
    });
    await conn.open();
    const answer = await conn.request(serializeJson(conn.nextTag(), ['admin', 'init', [2, 2142, 12], ['check-packages', 'Chrome', '1.0'], clientId, true]), {
      timeoutMs: 10_000,
      accept: (frame) => frame.kind === 'json' && !Array.isArray(frame.json),
    });
    if (answer.json?.status !== 200) throw new Error(`admin init answered ${JSON.stringify(answer.json)}`);
    sandbox.phone.scan(`${answer.json.ref},${toBase64(keyPair.publicKey)},${clientId}`); // the phone scans the QR
    const me = await within(loggedIn, 'Conn after the scan');
    const chats = await within(chatList, 'sealed chat list');
    if (chats.length === 0) throw new Error('the sealed chat list is empty');
    for (const chat of chats.slice(0, 3)) console.log(`chat ${getAttribute(chat, 'jid')} (${getAttribute(chat, 'name') ?? 'no name'}), unread ${getAttribute(chat, 'count')}`);
    const messages = (await within(history, 'action add:last')).filter((child) => child[0] === 'message' && getBytes(child));
    const last = messages.length > 0 ? decodeWebMessageInfo(getBytes(messages[messages.length - 1])) : undefined;
    if (last) console.log(`newest message: ${last.key.remoteJid} ${last.key.fromMe ? '→' : '←'} ${JSON.stringify((last.message && messageText(last.message)) ?? null)}`);
    console.log(`OK logged in as ${me.wid} by QR (crypto on ${cryptoBackend}), opened the sealed chat list: ${chats.length} chats, ${messages.length} messages in add:last`);
  } finally {
    await conn.close();
    await sandbox.close();
  }
}

async function useBot() {
  const { join } = await import('node:path');
  const { WAClient } = await import('@wa/client');
  const { FileAuthStore } = await import('@wa/client/node');
  const { startSandbox } = await import('@wa/sandbox');
  const { Sandbox, defaultWorld } = await import('@wa/sandbox/core');
  if (typeof Sandbox !== 'function' || typeof defaultWorld !== 'function') throw new Error('@wa/sandbox/core lacks Sandbox/defaultWorld');

  const ALICE = '15550100002@c.us';
  const sandbox = await startSandbox({ seed: 'check-packages-bot' });
  const client = new WAClient({ url: sandbox.url, auth: new FileAuthStore(join(process.cwd(), 'bot-session.json')) });
  try {
    client.on('qr', ({ qr }) => sandbox.phone.scan(qr));
    // The bot: answer every new message from a contact (not the history the login brings).
    let replied;
    client.on('message', (message) => {
      if (message.source !== 'relay' || message.fromMe) return;
      replied = client.sendText(message.chat, `bot: you said "${message.text}"`);
    });
    await client.connect();
    console.log(`bot logged in as ${client.me.wid}`);
    const reply = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the bot did not reply within 10 s')), 10_000);
      sandbox.on('web-message', (event) => {
        if (event.chat !== ALICE) return;
        clearTimeout(timer);
        resolve(event);
      });
    });
    sandbox.contact(ALICE).sendText('ping from check-packages');
    const event = await reply;
    if (event.text !== 'bot: you said "ping from check-packages"') throw new Error(`unexpected reply ${JSON.stringify(event.text)}`);
    const sent = await replied; // resolves on the server's ack
    if (sent.id !== event.id) throw new Error(`the bot sent ${sent.id}, the sandbox got ${event.id}`);
    console.log(`Alice: ping from check-packages\nbot → Alice: ${event.text}`);
    console.log(`OK the @wa/client bot received Alice's message, its reply ${sent.id} was acked by the server and reached the sandbox`);
  } finally {
    await client.close();
    await sandbox.close();
  }
}

const TYPES_CHECK = `// Each entry point resolves to its .d.ts: without types, strict mode fails with TS7016.
import { decode, type Node } from '@wa/binary-codec';
import { cryptoBackend, type SessionKeys } from '@wa/crypto';
import { textMessage } from '@wa/proto';
import { Connection } from '@wa/transport';
import { WAClient, type WAClientOptions } from '@wa/client';
import { FileAuthStore } from '@wa/client/node';
import { startSandbox } from '@wa/sandbox';
import { Sandbox } from '@wa/sandbox/core';

const node: Node = decode(new Uint8Array([0xf8, 0x01, 0x0c]));
const description: string = node[0];
const backend: 'node:crypto' | 'noble' = cryptoBackend;
const keys: SessionKeys | undefined = undefined;
const options: WAClientOptions = { url: 'ws://127.0.0.1:1/ws', auth: new FileAuthStore('session.json') };
export const used = [description, backend, keys, options, textMessage, Connection, WAClient, startSandbox, Sandbox];
`;

// ---------------------------------------------------------------------------------------------

async function main() {
  progress(`repository ${repo}`);
  const workspaceManifests = {};
  for (const name of PACKAGES) {
    const dir = join(repo, 'packages', name);
    workspaceManifests[name] = readJson(join(dir, 'package.json'));
    if (!existsSync(join(dir, 'dist', 'index.js'))) fail(`packages/${name}/dist/index.js is missing: build first (npx -y pnpm@${PNPM_VERSION} build)`);
  }
  if (!existsSync(VECTORS)) fail(`the vectors are missing: ${VECTORS} (../shared/vectors beside the repository)`);

  const scratch = await mkdtemp(join(tmpdir(), 'wa-check-packages-'));
  if (!relative(realpathSync(repo), realpathSync(scratch)).startsWith('..')) fail(`the scratch dir ${scratch} is inside the workspace; set TMPDIR elsewhere`);
  const tarballDir = join(scratch, 'tarballs');
  const project = join(scratch, 'project');
  await mkdir(tarballDir);
  await mkdir(project);
  let ok = false;
  try {
    // Pack.
    progress(`packing ${PACKAGES.length} packages with pnpm pack into ${tarballDir}…`);
    const [pnpm, pnpmArgs] = pnpmCommand();
    await run(pnpm, [...pnpmArgs, '--filter', './packages/*', 'pack', '--pack-destination', tarballDir], { cwd: repo, what: 'pnpm pack' });
    const tarballs = [];
    for (const name of PACKAGES) {
      const manifest = workspaceManifests[name];
      const file = join(tarballDir, `${manifest.name.replace(/^@/, '').replace('/', '-')}-${manifest.version}.tgz`);
      if (!existsSync(file)) fail(`pnpm pack made no ${basename(file)} (found: ${readdirSync(tarballDir).join(', ') || 'nothing'})`);
      tarballs.push(file);
    }

    // Inspect.
    progress('checking what each tarball holds…');
    const problems = [];
    for (const [index, name] of PACKAGES.entries()) {
      const dir = join(scratch, 'inspect', name);
      await mkdir(dir, { recursive: true });
      await run('tar', ['-xzf', tarballs[index], '-C', dir, '--strip-components=1'], { what: `tar -xzf ${basename(tarballs[index])}` });
      const report = inspectTarball(dir, workspaceManifests[name]);
      const size = (statSync(tarballs[index]).size / 1024).toFixed(0);
      const extra = [...report.files].filter((file) => !/^(dist|src)\//.test(file)).sort();
      console.log(`    ${report.manifest.name}@${report.manifest.version}: ${report.files.size} files, ${size} kB; exports ${report.exportNames.join(' ')}` +
        `${report.manifest.imports ? `; imports ${Object.keys(report.manifest.imports).join(' ')}` : ''}${report.bins.length ? `; bin ${report.bins.join(' ')}` : ''}; besides dist/ and src/: ${extra.join(' ')}`);
      problems.push(...report.problems.map((problem) => `${report.manifest.name}: ${problem}`));
    }
    if (problems.length > 0) fail(`the tarballs are not right:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);

    // Install.
    await writeFile(join(project, 'package.json'), `${JSON.stringify({ name: 'wa-packages-scratch', version: '0.0.0', private: true, type: 'module' }, null, 2)}\n`);
    progress(`installing ${tarballs.length} tarballs (and their registry dependencies) with npm into ${project}…`);
    const env = scratchEnv();
    await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], { cwd: project, env, timeoutMs: INSTALL_TIMEOUT_MS, what: 'npm install of the tarballs' });
    const lock = readJson(join(project, 'package-lock.json'));
    for (const [path, entry] of Object.entries(lock.packages ?? {})) {
      if (!/(^|\/)node_modules\/@wa\//.test(path)) continue;
      if (!String(entry.resolved ?? '').startsWith('file:')) fail(`npm took ${path} from ${entry.resolved ?? 'somewhere other than the tarballs'}, not from the tarballs`);
      if (path !== path.replace(/^.*node_modules\/@wa\//, 'node_modules/@wa/')) fail(`npm installed a second copy of ${path}: a dependency range does not match the packed version`);
    }
    const registryPackages = Object.keys(lock.packages ?? {}).filter((path) => path && !path.includes('node_modules/@wa/'));
    console.log(`    installed ${PACKAGES.length} tarballs and ${registryPackages.length} packages from the registry: ${registryPackages.map((path) => path.replace(/^.*node_modules\//, '')).join(', ')}`);

    // Resolve every entry point from the scratch project, and type-check an import of each.
    progress(`resolving ${ENTRY_POINTS.length} entry points from the scratch project…`);
    const resolveScript = `const out = {};
for (const specifier of ${JSON.stringify(ENTRY_POINTS)}) { out[specifier] = import.meta.resolve(specifier); await import(specifier); }
const { cryptoBackend } = await import('@wa/crypto');
console.log(JSON.stringify({ out, cryptoBackend }));`;
    await writeFile(join(project, 'resolve.mjs'), resolveScript);
    const resolved = JSON.parse((await run(process.execPath, ['resolve.mjs'], { cwd: project, env, what: 'importing the entry points' })).stdout);
    for (const [specifier, url] of Object.entries(resolved.out)) {
      const file = realpathSync(fileURLToPath(url));
      if (!file.startsWith(realpathSync(join(project, 'node_modules')) + sep)) fail(`${specifier} resolves to ${file}, outside the scratch project's node_modules`);
      console.log(`    ${specifier.padEnd(18)} → ${relative(project, file)}`);
    }
    if (resolved.cryptoBackend !== 'node:crypto') fail(`@wa/crypto's #backend import gave ${resolved.cryptoBackend} in Node, expected node:crypto`);
    console.log(`    @wa/crypto #backend → node:crypto`);
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    if (!existsSync(tsc)) fail(`no TypeScript in the workspace (${tsc}); install the workspace first`);
    await writeFile(join(project, 'types-check.ts'), TYPES_CHECK);
    const tsconfig = {
      compilerOptions: {
        module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', lib: ['ES2022', 'DOM'], strict: true, noEmit: true,
        skipLibCheck: true, types: ['node'], typeRoots: [join(repo, 'node_modules', '@types')],
      },
      files: ['types-check.ts'],
    };
    await writeFile(join(project, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    await run(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: project, env, what: 'type-checking imports of every entry point (tsc)' });
    console.log(`    tsc: every entry point has its types`);

    // The bin.
    progress('npx wa-sandbox --help in the scratch project…');
    // `--no`: never fetch a package named wa-sandbox from the registry; `--`: --help is the bin's.
    const help = await run('npx', ['--no', '--', 'wa-sandbox', '--help'], { cwd: project, env, timeoutMs: 30_000, what: 'npx wa-sandbox --help' });
    if (!help.stdout.startsWith('wa-sandbox:') || !/\bwa-sandbox scan\b/.test(help.stdout)) {
      fail(`npx wa-sandbox --help did not print the wa-sandbox usage:\n${indent(help.stdout + help.stderr)}`);
    }
    console.log(indent(help.stdout.split('\n').slice(0, 3).join('\n')));

    // The three uses.
    const uses = [
      ['1. parse a captured frame with only @wa/binary-codec', 'use-codec.mjs', useCodec, { vectorsFile: VECTORS }],
      ['2. a custom client from codec + crypto + proto + transport, QR login to @wa/sandbox', 'use-custom-client.mjs', useCustomClient, {}],
      ['3. a @wa/client bot against @wa/sandbox: receive a message, reply', 'use-bot.mjs', useBot, {}],
    ];
    for (const [title, file, use, argument] of uses) {
      progress(`${title}…`);
      const source = `// Written by scripts/check-packages.mjs; run with plain node in the scratch project.\n` +
        `(${use.toString()})(${JSON.stringify(argument)}).catch((error) => {\n  console.error(error?.stack ?? error);\n  process.exitCode = 1;\n});\n`;
      await writeFile(join(project, file), source);
      const { stdout, stderr } = await run(process.execPath, [file], { cwd: project, env, timeoutMs: USE_TIMEOUT_MS, what: `${title} (node ${file})` });
      if (!/^OK /m.test(stdout)) fail(`${title}: node ${file} exited 0 without reporting OK:\n${indent(stdout + stderr)}`);
      console.log(indent(stdout));
      if (stderr.trim()) console.log(indent(`(stderr)\n${stderr}`));
    }
    ok = true;
    progress('all packages pack, install from their tarballs outside the workspace and work there');
  } finally {
    if (ok && !process.env.WA_CHECK_PACKAGES_KEEP) await rm(scratch, { recursive: true, force: true });
    else console.error(`check:packages: the scratch dir is kept for inspection: ${scratch}`);
  }
}

main().catch((error) => {
  console.error(`\ncheck:packages FAILED: ${error instanceof CheckError ? error.message : error?.stack ?? error}`);
  process.exit(1);
});
