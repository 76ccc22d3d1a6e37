#!/usr/bin/env node
// An interactive legacy WhatsApp Web chat in the terminal, built on @wa/client.
//   node examples/terminal-client/src/main.mjs                 embedded sandbox, its phone scans the QR
//   node examples/terminal-client/src/main.mjs --url ws://…    a real scan of the printed QR code
// The session is kept in a FileAuthStore, so the next start restores it without a QR code.
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import QRCode from 'qrcode';
import { LoginError, WAClient } from '@wa/client';
import { FileAuthStore } from '@wa/client/node';
import { startSandbox } from '@wa/sandbox';
import { parseOptions, USAGE, UsageError } from './args.mjs';
import { createStyle } from './format.mjs';
import { TerminalChat } from './terminal.mjs';

const ECHO_BOT = '15550100099@c.us';
const style = createStyle(Boolean(process.stdout.isTTY));
const say = (line = '') => process.stdout.write(`${line}\n`);

async function printQr(text) {
  // Colours on a terminal; piped output gets plain block characters that survive a log file.
  const type = process.stdout.isTTY ? 'terminal' : 'utf8';
  say(await QRCode.toString(text, { type, small: true, errorCorrectionLevel: 'L' }));
}

/** Starts the embedded sandbox, with a little life: the Echo Bot "types" before it answers. */
async function startEmbeddedSandbox(statePath) {
  // The sandbox writes its state file but does not create the directory for it.
  await mkdir(dirname(statePath), { recursive: true });
  const sandbox = await startSandbox({ statePath });
  sandbox.on('web-message', ({ chat }) => {
    // The bot reads after ~120 ms and answers right away; "typing…" fits in between.
    if (chat !== ECHO_BOT) return;
    setTimeout(() => {
      try {
        sandbox.contact(ECHO_BOT).setPresence('composing');
      } catch {
        // The sandbox closed in the meantime (quit right after sending): nobody is watching.
      }
    }, 60).unref();
  });
  return sandbox;
}

function showQrWith(client, sandbox) {
  client.on('qr', ({ qr, ttlMs, attempt }) => {
    say(attempt === 0 ? style.bold('Scan this QR code with WhatsApp on your phone:') : style.bold('The QR code expired; here is a new one:'));
    printQr(qr)
      .then(() => {
        if (sandbox) {
          say('📱 The simulated phone of the embedded sandbox scans it …');
          sandbox.phone.scan(qr);
        } else {
          say(style.dim(`(valid ${Math.round(ttlMs / 1000)} s; for a wa-sandbox: wa-sandbox scan '${qr}' --port <port>)`));
        }
      })
      .catch((error) => say(style.red(`cannot show or scan the QR code: ${error.message}`)));
  });
}

/**
 * Resolves once the chat list arrived (or after `ms`) with `undefined`, or with the `LoginError`
 * of a session that ended meanwhile (stored keys that open none of the pushes: `BAD_KEYS`).
 */
function firstPushes(client, ms) {
  return new Promise((resolve) => {
    if (client.state !== 'open') return resolve(undefined);
    const done = (result) => {
      offChats();
      offClose();
      clearTimeout(timer);
      resolve(result);
    };
    const offChats = client.on('chats', () => done(undefined));
    const offClose = client.on('close', ({ error }) => done(error instanceof LoginError ? error : undefined));
    const timer = setTimeout(() => done(undefined), ms);
  });
}

/**
 * Logs in. Stored credentials that turn out useless are cleared by the client, so it tries once
 * more by QR: a refused restore rejects `connect()`, and wrong stored keys end the session right
 * behind the login, when the first pushes cannot be opened (`BAD_KEYS`).
 */
async function logIn(client) {
  let chats = client.chats();
  const offChats = client.on('chats', (list) => (chats = list));
  try {
    for (let attempt = 0; ; attempt += 1) {
      let failure;
      try {
        await client.connect();
        // The chat list is pushed right behind the login; give a slow server a moment.
        failure = chats.length > 0 ? undefined : await firstPushes(client, 8_000);
      } catch (error) {
        failure = error;
      }
      if (failure === undefined) return;
      if (!(failure instanceof LoginError && failure.credentialsCleared) || attempt > 0) throw failure;
      const why = failure.code === 'BAD_KEYS' ? ': its keys cannot read what the server sends' : '';
      say(style.yellow(`The saved session is no longer valid (${failure.code}${why}); logging in again with a QR code.`));
    }
  } finally {
    offChats();
  }
}

async function main() {
  let options;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    say(USAGE);
    return 0;
  }

  let sandbox;
  try {
    if (options.url === undefined) sandbox = await startEmbeddedSandbox(options.sandboxStatePath);
  } catch (error) {
    process.stderr.write(`${style.red(`terminal client: cannot start the embedded sandbox: ${error?.code ?? 'ERROR'}: ${error?.message ?? error}`)}\n`);
    return 1;
  }
  const url = options.url ?? sandbox.url;
  const client = new WAClient({
    url,
    auth: new FileAuthStore(options.authPath),
    browser: ['Terminal client', 'Chrome', '0.1'],
    reconnect: true,
  });
  // Until the chat takes over the events: what goes wrong while logging in is shown, not swallowed.
  const offLoginEvents = [
    client.on('frame-error', (error) => say(style.dim(`   (skipped a frame: ${error.code})`))),
    client.on('error', (error) => say(style.red(`⚠ ${error.code}: ${error.message}`))),
  ];
  try {
    say(sandbox ? `Embedded sandbox at ${url} (you are Sandy Sandbox; try the Echo Bot).` : `Connecting to ${url} …`);
    say(style.dim(`Session file: ${options.authPath}`));
    showQrWith(client, sandbox);
    await logIn(client);
    const me = client.me;
    const how = me.via === 'restore' ? `restored from ${options.authPath}, no QR code needed` : 'paired by QR code; credentials saved';
    say(style.green(`✅ Logged in as ${me.pushname ?? me.wid} (${me.wid}), ${how}.`));
    for (const off of offLoginEvents) off();

    const chat = new TerminalChat({ client, input: process.stdin, output: process.stdout, style });
    chat.showChats();
    say(style.dim('/open <n> opens a chat, /help lists the commands.'));
    return await chat.run();
  } catch (error) {
    process.stderr.write(`${style.red(`terminal client: ${error?.code ?? 'ERROR'}: ${error?.message ?? error}`)}\n`);
    // The client never deletes a file it cannot read: that is the user's call.
    if (error?.code === 'INVALID_CREDENTIALS') process.stderr.write(`Delete ${options.authPath} to log in again with a QR code.\n`);
    return 1;
  } finally {
    if (client.state !== 'closed' && client.state !== 'idle') await client.close();
    await sandbox?.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
    // Anything still holding the event loop (a half-closed socket) must not keep a finished chat alive.
    setTimeout(() => process.exit(code), 1_000).unref();
  },
  (error) => {
    process.stderr.write(`terminal client failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
