// The interactive part: a readline prompt for commands and messages, and the client's events
// printed as they arrive without tearing the line being typed.
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { clearLine, createInterface, cursorTo } from 'node:readline';
import { groupSentence, isGroupJid, mediaInfo, toChatJid } from '@wa/client';
import { CHAT_HELP, chatCommand } from './chat-commands.mjs';
import { clock, Directory, formatMessage, parseJid, statusWords, ticks } from './format.mjs';
import { GROUP_HELP, groupCommand } from './group-commands.mjs';
import { chatUpdateLine, historySystemLine, nameOf, systemLine } from './system-lines.mjs';

export const HELP = `Commands:
  /chats                       list the chats (numbered for /open)
  /open <n|jid|number|name>    open a chat: shows its last messages, follows its presence
  /history                     load older messages of the open chat
  /read                        mark the open chat as read (the sender sees blue ticks)
  /send <file>                 send a file to the open chat (photo, video, audio, sticker
                               or document, by its extension)
  /download [n]                save the nth media message of the open chat to the current
                               directory; without n, list them
  /presence <available|composing|unavailable>
                               set your presence (composing: "typing…" in the open chat)
  /whois <jid|number>          is it on WhatsApp, its status text, its profile picture
${CHAT_HELP}
${GROUP_HELP}
  /logout                      end the session for good (deletes the credentials) and quit
  /quit                        quit; the session stays valid and is restored next time
  /help                        this list
Anything else is sent as a message to the open chat.`;

/** Extension → [media type, MIME type]; anything else goes as a document. */
const mediaKinds = Object.freeze({
  '.jpg': ['image', 'image/jpeg'],
  '.jpeg': ['image', 'image/jpeg'],
  '.png': ['image', 'image/png'],
  '.gif': ['image', 'image/gif'],
  '.webp': ['sticker', 'image/webp'],
  '.mp4': ['video', 'video/mp4'],
  '.3gp': ['video', 'video/3gpp'],
  '.mov': ['video', 'video/quicktime'],
  '.ogg': ['audio', 'audio/ogg; codecs=opus'],
  '.opus': ['audio', 'audio/ogg; codecs=opus'],
  '.mp3': ['audio', 'audio/mpeg'],
  '.m4a': ['audio', 'audio/mp4'],
  '.aac': ['audio', 'audio/aac'],
  '.pdf': ['document', 'application/pdf'],
  '.txt': ['document', 'text/plain'],
  '.zip': ['document', 'application/zip'],
});
const extensions = Object.freeze({ 'image/jpeg': '.jpg', 'image/png': '.png', 'image/gif': '.gif', 'image/webp': '.webp', 'video/mp4': '.mp4', 'audio/ogg': '.ogg', 'audio/mpeg': '.mp3', 'application/pdf': '.pdf', 'text/plain': '.txt' });

/**
 * The media type and MIME type `/send` uses for a file name.
 * @example
 * ```js
 * mediaKindOf('photo.JPG'); // { type: 'image', mimetype: 'image/jpeg' }
 * ```
 */
export function mediaKindOf(path) {
  const [type, mimetype] = mediaKinds[extname(path).toLowerCase()] ?? ['document', 'application/octet-stream'];
  return { type, mimetype };
}

/**
 * The name `/download` saves a media message under: its own file name (without any directory
 * part, so a sender cannot choose where it lands), else `<type>-<id><ext>`.
 * @example
 * ```js
 * downloadName({ type: 'image', mimetype: 'image/jpeg' }, '3EB0…'); // 'image-3EB0….jpg'
 * ```
 */
export function downloadName(media, id) {
  const bare = media.fileName === undefined ? '' : basename(media.fileName.replace(/\\/g, '/')).replace(/^\.+/, '');
  const own = [...bare].filter((char) => char.charCodeAt(0) >= 0x20).join('');
  if (own !== '') return own;
  return `${media.type}-${id}${extensions[media.mimetype?.split(';')[0] ?? ''] ?? '.bin'}`;
}

const presenceWords = Object.freeze({
  composing: 'is typing…',
  recording: 'is recording audio…',
  paused: 'stopped typing',
  available: 'is online',
});

/**
 * Runs the prompt for a logged-in client until `/quit`, `/logout`, the end of the input or the end
 * of the session; `run()` resolves with the process exit code.
 * @example
 * ```js
 * const code = await new TerminalChat({ client, input: process.stdin, output: process.stdout, style }).run();
 * ```
 */
export class TerminalChat {
  #client;
  #input;
  #output;
  #style;
  #names;
  #interactive;
  #rl;
  /** The chats as last listed, so `/open 2` means what the user saw. */
  #listed = [];
  /** The open chat: `{ jid, oldest?: { id, fromMe }, reachedStart }`. */
  #current;
  /** Texts of the messages sent in this run, by id, to label their receipts. */
  #sent = new Map();
  #subscribed = new Set();
  #queue = Promise.resolve();
  #finished = false;
  #resolveExit;
  #offs = [];

  constructor({ client, input, output, style }) {
    this.#client = client;
    this.#input = input;
    this.#output = output;
    this.#style = style;
    this.#names = new Directory(client);
    this.#interactive = Boolean(input.isTTY && output.isTTY);
  }

  /** Writes one line; on a terminal it goes above the prompt and keeps what is being typed. */
  print(line = '') {
    if (this.#rl && this.#interactive) {
      clearLine(this.#output, 0);
      cursorTo(this.#output, 0);
      this.#output.write(`${line}\n`);
      this.#rl.prompt(true);
    } else {
      this.#output.write(`${line}\n`);
    }
  }

  /**
   * Prints the chat list and remembers its numbering: pinned chats first (📌), archived ones
   * last under "Archived"; 🔕 muted, ⛔ blocked, "(left)" for a group one has left.
   */
  showChats() {
    const all = this.#client.chats();
    const pinned = all.filter((chat) => !chat.archived && chat.pinned).sort((a, b) => b.pinned - a.pinned);
    const chats = [...pinned, ...all.filter((chat) => !chat.archived && !chat.pinned), ...all.filter((chat) => chat.archived)];
    this.#listed = chats.map((chat) => chat.jid);
    if (chats.length === 0) {
      this.print('No chats yet. /open <number> starts one.');
      return;
    }
    this.print(this.#style.bold('Chats:'));
    const width = String(chats.length).length;
    const now = Date.now() / 1000;
    const blocked = new Set(this.#client.blocklist());
    chats.forEach((chat, index) => {
      if (chat.archived && (index === 0 || !chats[index - 1].archived)) this.print(this.#style.bold('Archived:'));
      const unread = chat.unreadCount > 0 ? this.#style.yellow(` ${chat.unreadCount} unread`) : chat.unreadCount < 0 ? this.#style.yellow(' marked unread') : '';
      const marks = [
        chat.pinned ? '📌' : undefined,
        chat.muteUntil > now ? '🔕' : undefined,
        chat.archived ? '📦' : undefined,
        blocked.has(chat.jid) ? '⛔' : undefined,
        chat.readOnly && isGroupJid(chat.jid) ? '(left)' : undefined,
      ].filter(Boolean);
      const name = this.#names.of(chat.jid).padEnd(16);
      this.print(`  ${String(index + 1).padStart(width)}. ${name} ${this.#style.dim(chat.jid)}${marks.length > 0 ? ` ${marks.join(' ')}` : ''}${unread}`);
    });
  }

  /** Starts the prompt; resolves with the exit code once the session is over. */
  run() {
    const exited = new Promise((resolve) => {
      this.#resolveExit = resolve;
    });
    this.#listen();
    this.#rl = createInterface({ input: this.#input, output: this.#output, terminal: this.#interactive });
    this.#updatePrompt();
    // Lines are handled one after another, in the order typed (or piped in).
    this.#rl.on('line', (line) => {
      this.#queue = this.#queue.then(() => this.#handle(line)).catch((error) => this.print(this.#describe(error)));
    });
    this.#rl.on('SIGINT', () => this.#enqueueQuit());
    this.#rl.on('close', () => this.#enqueueQuit());
    if (this.#interactive) this.#rl.prompt();
    return exited;
  }

  #enqueueQuit() {
    this.#queue = this.#queue.then(() => this.#finish(0, 'quit'));
  }

  #listen() {
    const client = this.#client;
    const style = this.#style;
    this.#offs.push(
      client.on('message', (event) => {
        // History arrives on /open and /history; only new messages are printed as they come.
        if (event.source !== 'relay') return;
        const here = event.chat === this.#current?.jid;
        // A revoke is told by its message-update, a group stub by its group-update.
        if (event.kind === 'revoke' || event.kind === 'protocol') return;
        const system = historySystemLine(event, { names: this.#names, style, showChat: !here });
        if (system !== undefined) {
          if (event.kind === 'ephemeralSetting') this.print(system);
          return;
        }
        this.print(`${style.bold('←')} ${formatMessage(event, { names: this.#names, style, showChat: !here })}`);
        if (!here && !event.fromMe) this.print(style.dim(`   (/open ${event.chat} to answer)`));
        // The open chat is being read, as in WhatsApp Web: the sender sees blue ticks.
        if (here && !event.fromMe) this.#queue = this.#queue.then(() => this.#markSeen(event.chat, event.id));
      }),
      client.on('group-update', (update) => {
        const here = update.gid === this.#current?.jid;
        this.print(systemLine(groupSentence(update, nameOf(this.#names)), { timestamp: update.timestamp, chat: update.gid, names: this.#names, style, showChat: !here }));
      }),
      client.on('message-update', (update) => this.#messageUpdate(update)),
      client.on('chat-update', (update) => {
        const line = chatUpdateLine(update, { names: this.#names, style });
        if (line !== undefined) this.print(line);
      }),
      client.on('blocklist', ({ added, removed }) => {
        for (const jid of added) this.print(style.dim(`   ⛔ Blocked ${this.#names.of(jid)}: neither of you gets the other's messages`));
        for (const jid of removed) this.print(style.dim(`   ✅ Unblocked ${this.#names.of(jid)}`));
      }),
      client.on('contact-update', (update) => {
        // The own changes were confirmed by /name and /about.
        if (update.jid === client.me?.wid) return;
        const who = this.#names.of(update.jid);
        if (update.notify !== undefined) this.print(style.dim(`   ${who} is now called "${update.notify}"`));
        if (update.status !== undefined) this.print(style.dim(`   ${who}'s about: ${update.status}`));
        if (update.pictureChanged) this.print(style.dim(`   ${who} changed ${isGroupJid(update.jid) ? "the group's icon" : 'their profile picture'}`));
      }),
      client.on('receipt', (receipt) => {
        if (receipt.ack < 2) return;
        const text = this.#sent.get(receipt.id);
        const what = text === undefined ? receipt.id : JSON.stringify(text);
        const who = receipt.participant === undefined ? '' : ` by ${this.#names.of(receipt.participant)}`;
        this.print(`   ${ticks(receipt.status, style)} ${statusWords[receipt.status] ?? receipt.status}${who}: ${what}`);
      }),
      client.on('presence', ({ jid, type, participant, lastSeen }) => {
        const who = this.#names.of(participant ?? jid);
        const where = participant === undefined ? '' : ` in ${this.#names.of(jid)}`;
        if (type === 'unavailable') {
          const seen = lastSeen === undefined ? '' : ` (last seen ${clock(lastSeen)})`;
          this.print(style.dim(`   ${who} is offline${seen}`));
        } else {
          this.print(style.dim(`   ${who}${where} ${presenceWords[type] ?? type}`));
        }
      }),
      client.on('phone', ({ reachable }) => {
        this.print(reachable ? style.green('📱 The phone is back online.') : style.yellow('📵 The phone is offline: messages wait until it is back.'));
      }),
      client.on('disconnected', ({ reason, reconnecting }) => {
        this.print(style.yellow(`⚠ Disconnected (${reason})${reconnecting ? ', reconnecting …' : ''}`));
      }),
      client.on('open', ({ via }) => {
        // Only reconnects: the first login was reported before the prompt started.
        if (this.#rl) this.print(style.green(`✅ Connected again (${via}).`));
      }),
      client.on('close', ({ reason, error }) => {
        const why = {
          replaced: 'another web client took the session over; the credentials are kept',
          unpaired: 'the phone logged this web session out; the credentials are deleted',
          'connection-lost': 'the connection was lost',
          'keep-alive-timeout': 'the server stopped answering',
          'login-refused': `the server refused to log this session in again (${error?.code ?? 'refused'}); start over with a QR code`,
          'reconnect-failed': `reconnecting did not succeed (${error?.message ?? 'gave up'}); the credentials are kept, start again later`,
        }[reason];
        if (why !== undefined) void this.#finish(1, `Session ended: ${why}.`);
      }),
      client.on('frame-error', (error) => this.print(style.dim(`   (skipped a frame: ${error.code})`))),
      client.on('error', (error) => this.print(style.red(`⚠ ${error.code}: ${error.message}`))),
    );
  }

  async #handle(raw) {
    const line = raw.trim();
    if (this.#finished || line === '') return;
    if (!line.startsWith('/')) return this.#send(line);
    const [command, ...rest] = line.split(/\s+/);
    const argument = rest.join(' ');
    switch (command) {
      case '/chats':
        return this.showChats();
      case '/open':
        return this.#open(argument);
      case '/history':
        return this.#history();
      case '/read':
        return this.#read();
      case '/send':
        return this.#sendFile(argument);
      case '/download':
        return this.#download(argument);
      case '/presence':
        return this.#presence(argument);
      case '/whois':
        return this.#whois(argument);
      case '/group':
        return groupCommand(this.#ui(), argument);
      case '/logout':
        await this.#client.logout();
        return this.#finish(0, 'Logged out: the session is ended on the server and the credentials file is deleted.');
      case '/quit':
        return this.#finish(0, 'quit');
      case '/help':
        return this.print(HELP);
      default:
        if (!(await chatCommand(this.#ui(), command, argument))) this.print(`Unknown command ${command}. /help lists the commands.`);
    }
  }

  /** What the command files (group-commands.mjs, chat-commands.mjs) work with. */
  #ui() {
    return {
      client: this.#client,
      names: this.#names,
      style: this.#style,
      print: (line) => this.print(line),
      current: () => this.#current?.jid,
      open: (jid) => this.#open(jid),
    };
  }

  /** A message deleted for everyone, starred, unstarred or deleted for this account. */
  #messageUpdate({ chat, update, info, fromMe }) {
    const style = this.#style;
    const where = chat === this.#current?.jid ? '' : `${style.cyan(`[${this.#names.of(chat)}]`)} `;
    const sender = fromMe ? this.#client.me?.wid : isGroupJid(chat) && info?.key?.participant !== undefined ? toChatJid(info.key.participant) : chat;
    const who = fromMe ? 'You' : this.#names.of(sender);
    const text = info?.message === undefined ? 'a message' : formatMessage({ info, chat, fromMe, sender, timestamp: Number(info.messageTimestamp ?? 0) }, { names: this.#names, style });
    switch (update) {
      case 'revoked':
        this.print(`   ${where}🚫 ${who}: This message was deleted`);
        return;
      case 'starred':
        this.print(style.dim(`   ${where}⭐ Starred: ${text}`));
        return;
      case 'unstarred':
        this.print(style.dim(`   ${where}☆ Unstarred: ${text}`));
        return;
      case 'deleted':
        this.print(style.dim(`   ${where}🗑 Deleted for you: ${text}`));
        return;
    }
  }

  async #send(text) {
    const chat = this.#current?.jid;
    if (chat === undefined) {
      this.print('No chat is open: /chats lists them, /open <n> opens one.');
      return;
    }
    const sent = await this.#client.sendText(chat, text);
    this.#sent.set(sent.id, text);
    this.print(`${this.#style.bold('→')} ${formatMessage({ ...sent, fromMe: true, sender: this.#client.me?.wid, text }, { names: this.#names, style: this.#style })} ${this.#style.dim(sent.id)}`);
  }

  async #sendFile(argument) {
    const chat = this.#current?.jid;
    if (chat === undefined) {
      this.print('No chat is open: /open one first.');
      return;
    }
    const path = argument.replace(/^(["'])(.*)\1$/, '$2');
    if (path === '') {
      this.print('Usage: /send <file>');
      return;
    }
    let file;
    try {
      file = new Uint8Array(await readFile(path));
    } catch (error) {
      this.print(this.#style.red(`⚠ cannot read ${path}: ${error.code ?? error.message}`));
      return;
    }
    const { type, mimetype } = mediaKindOf(path);
    const options = type === 'document' ? { type, mimetype, fileName: basename(path) } : { type, mimetype };
    const sent = await this.#client.sendMedia(chat, file, options);
    const label = `[${type} ${basename(path)}, ${file.length} bytes]`;
    this.#sent.set(sent.id, label);
    const line = formatMessage({ ...sent, fromMe: true, sender: this.#client.me?.wid }, { names: this.#names, style: this.#style, note: `(${file.length} bytes, ${sent.id})` });
    this.print(`${this.#style.bold('→')} ${line}`);
  }

  async #download(argument) {
    const jid = this.#current?.jid;
    if (jid === undefined) {
      this.print('No chat is open.');
      return;
    }
    const media = this.#client
      .messages(jid)
      .map((info) => ({ info, media: mediaInfo(info) }))
      .filter((entry) => entry.media !== undefined);
    if (argument === '') {
      if (media.length === 0) this.print('No media in this chat (of the messages seen so far).');
      media.forEach(({ info, media: about }, index) => {
        const from = info.key.fromMe ? 'You' : this.#names.of(jid);
        this.print(`  ${index + 1}. ${about.type} ${about.fileName ?? about.caption ?? ''} ${this.#style.dim(`${about.fileLength ?? '?'} bytes, from ${from}`)}`);
      });
      return;
    }
    const index = /^[0-9]{1,4}$/.test(argument) ? Number(argument) : NaN;
    const entry = media[index - 1];
    if (entry === undefined) {
      this.print(`There is no media message ${argument}; /download lists them.`);
      return;
    }
    const bytes = await this.#client.downloadMedia(entry.info);
    const name = downloadName(entry.media, entry.info.key.id ?? 'media');
    // Never overwrite: "name", "name (1)", "name (2)" …
    const extension = extname(name);
    const stem = name.slice(0, name.length - extension.length);
    for (let attempt = 0; ; attempt++) {
      const path = resolve(attempt === 0 ? name : `${stem} (${attempt})${extension}`);
      try {
        await writeFile(path, bytes, { flag: 'wx' });
        this.print(this.#style.green(`   saved ${path} (${bytes.length} bytes)`));
        return;
      } catch (error) {
        if (error.code !== 'EEXIST' || attempt >= 100) throw error;
      }
    }
  }

  async #open(argument) {
    if (argument === '') {
      this.print('Usage: /open <n|jid|number|name>');
      return;
    }
    const index = /^[0-9]{1,3}$/.test(argument) ? Number(argument) : undefined;
    const chats = this.#listed.length > 0 ? this.#listed : this.#client.chats().map((chat) => chat.jid);
    const jid = index !== undefined ? chats[index - 1] : (parseJid(argument) ?? this.#names.find(argument));
    if (jid === undefined) {
      this.print(index !== undefined ? `There is no chat ${index}; /chats lists them.` : `No chat or contact matches "${argument}".`);
      return;
    }
    this.#current = { jid, oldest: undefined, reachedStart: false };
    this.#updatePrompt();
    this.print(this.#style.bold(`── ${this.#names.of(jid)} (${jid}) ──`));
    await this.#loadPage(10);
    // Opening a chat reads it.
    const { lastId, unread } = this.#readState(jid);
    if (unread > 0 && lastId !== undefined) await this.#markSeen(jid, lastId, unread);
    if (!isGroupJid(jid) && !this.#subscribed.has(jid)) {
      // Presence comes only for subscribed users; the current state is pushed at once.
      this.#subscribed.add(jid);
      await this.#client.subscribePresence(jid);
    }
  }

  async #history() {
    if (this.#current === undefined) {
      this.print('No chat is open.');
      return;
    }
    if (this.#current.reachedStart) {
      this.print(this.#style.dim('(the start of the chat)'));
      return;
    }
    await this.#loadPage(20);
  }

  async #loadPage(count) {
    const current = this.#current;
    const options = { count };
    if (current.oldest !== undefined) {
      options.before = current.oldest.id;
      options.beforeFromMe = current.oldest.fromMe;
    }
    const page = await this.#client.loadMessages(current.jid, options);
    if (current !== this.#current) return;
    if (page.messages.length > 0) current.oldest = { id: page.messages[0].id, fromMe: page.messages[0].fromMe };
    current.reachedStart = page.reachedStart;
    if (page.reachedStart) this.print(this.#style.dim('(the start of the chat)'));
    for (const event of page.messages) {
      if (event.kind === 'revoke' || event.kind === 'protocol') continue;
      const system = historySystemLine(event, { names: this.#names, style: this.#style });
      this.print(`  ${system ?? formatMessage(event, { names: this.#names, style: this.#style })}`);
    }
    if (page.messages.length === 0 && !page.reachedStart) this.print(this.#style.dim('(no messages)'));
  }

  /** The newest message of a chat that is not one's own, and how many are unread there. */
  #readState(jid) {
    const last = this.#client.messages(jid).filter((info) => info.key?.fromMe !== true).at(-1);
    return { lastId: last?.key?.id, unread: this.#client.chats().find((chat) => chat.jid === jid)?.unreadCount ?? 0 };
  }

  /** Marks a chat read up to `id` without a word (the chat is open); a failure is shown. */
  async #markSeen(jid, id, count = 1) {
    try {
      await this.#client.markRead(jid, id, { count });
    } catch (error) {
      this.print(this.#style.yellow(`   (could not mark ${this.#names.of(jid)} read: ${error.message})`));
    }
  }

  async #read() {
    const jid = this.#current?.jid;
    if (jid === undefined) {
      this.print('No chat is open.');
      return;
    }
    const { lastId, unread } = this.#readState(jid);
    if (lastId === undefined) {
      this.print('Nothing to mark read.');
      return;
    }
    await this.#client.markRead(jid, lastId, { count: Math.max(unread, 1) });
    this.print(this.#style.dim(`   marked ${this.#names.of(jid)} as read`));
  }

  async #presence(argument) {
    const type = argument.toLowerCase();
    if (!['available', 'composing', 'unavailable', 'recording', 'paused'].includes(type)) {
      this.print('Usage: /presence <available|composing|unavailable>');
      return;
    }
    const chat = this.#current?.jid;
    if (type !== 'available' && type !== 'unavailable' && chat === undefined) {
      this.print(`/presence ${type} is shown in a chat: /open one first.`);
      return;
    }
    await this.#client.setPresence(type, type === 'available' || type === 'unavailable' ? undefined : chat);
    this.print(this.#style.dim(`   presence: ${type}${chat !== undefined && type !== 'available' && type !== 'unavailable' ? ` in ${this.#names.of(chat)}` : ''}`));
  }

  async #whois(argument) {
    const jid = parseJid(argument) ?? this.#names.find(argument);
    if (jid === undefined) {
      this.print('Usage: /whois <jid|number>');
      return;
    }
    const exists = await this.#client.exists(jid);
    this.print(`${this.#style.bold(this.#names.of(jid))} ${this.#style.dim(jid)}`);
    this.print(`   on WhatsApp: ${exists ? 'yes' : 'no'}`);
    if (!exists) return;
    const [status, picture] = await Promise.all([this.#client.status(jid), this.#client.profilePicture(jid)]);
    this.print(`   status: ${status ?? this.#style.dim('(none)')}`);
    this.print(`   picture: ${picture ?? this.#style.dim('(none)')}`);
  }

  #updatePrompt() {
    const name = this.#current === undefined ? '' : this.#names.of(this.#current.jid);
    this.#rl?.setPrompt(`${name}> `);
  }

  #describe(error) {
    const code = error?.code === undefined ? '' : `${error.code}: `;
    return this.#style.red(`⚠ ${code}${error?.message ?? error}`);
  }

  async #finish(code, message) {
    if (this.#finished) return;
    this.#finished = true;
    for (const off of this.#offs) off();
    if (message !== 'quit') this.print(message);
    this.#rl?.close();
    this.#resolveExit(code);
  }
}
