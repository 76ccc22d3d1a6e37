// The interactive part: a readline prompt for commands and messages, and the client's events
// printed as they arrive without tearing the line being typed.
import { clearLine, createInterface, cursorTo } from 'node:readline';
import { isGroupJid } from '@wa/client';
import { Directory, formatMessage, parseJid, statusWords, ticks } from './format.mjs';

export const HELP = `Commands:
  /chats                       list the chats (numbered for /open)
  /open <n|jid|number|name>    open a chat: shows its last messages, follows its presence
  /history                     load older messages of the open chat
  /read                        mark the open chat as read (the sender sees blue ticks)
  /presence <available|composing|unavailable>
                               set your presence (composing: "typing…" in the open chat)
  /whois <jid|number>          is it on WhatsApp, its status text, its profile picture
  /logout                      end the session for good (deletes the credentials) and quit
  /quit                        quit; the session stays valid and is restored next time
  /help                        this list
Anything else is sent as a message to the open chat.`;

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

  /** Prints the chat list and remembers its numbering. */
  showChats() {
    const chats = this.#client.chats();
    this.#listed = chats.map((chat) => chat.jid);
    if (chats.length === 0) {
      this.print('No chats yet. /open <number> starts one.');
      return;
    }
    this.print(this.#style.bold('Chats:'));
    const width = String(chats.length).length;
    chats.forEach((chat, index) => {
      const unread = chat.unreadCount > 0 ? this.#style.yellow(` ${chat.unreadCount} unread`) : '';
      const name = this.#names.of(chat.jid).padEnd(16);
      this.print(`  ${String(index + 1).padStart(width)}. ${name} ${this.#style.dim(chat.jid)}${unread}`);
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
        this.print(`${style.bold('←')} ${formatMessage(event, { names: this.#names, style, showChat: !here })}`);
        if (!here && !event.fromMe) this.print(style.dim(`   (/open ${event.chat} to answer)`));
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
          const seen = lastSeen === undefined ? '' : ` (last seen ${new Date(lastSeen * 1000).toLocaleTimeString()})`;
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
      client.on('close', ({ reason }) => {
        const why = {
          replaced: 'another web client took the session over; the credentials are kept',
          unpaired: 'the phone logged this web session out; the credentials are deleted',
          'connection-lost': 'the connection was lost',
          'keep-alive-timeout': 'the server stopped answering',
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
      case '/presence':
        return this.#presence(argument);
      case '/whois':
        return this.#whois(argument);
      case '/logout':
        await this.#client.logout();
        return this.#finish(0, 'Logged out: the session is ended on the server and the credentials file is deleted.');
      case '/quit':
        return this.#finish(0, 'quit');
      case '/help':
        return this.print(HELP);
      default:
        this.print(`Unknown command ${command}. /help lists the commands.`);
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
    for (const event of page.messages) this.print(`  ${formatMessage(event, { names: this.#names, style: this.#style })}`);
    if (page.messages.length === 0 && !page.reachedStart) this.print(this.#style.dim('(no messages)'));
  }

  async #read() {
    const jid = this.#current?.jid;
    if (jid === undefined) {
      this.print('No chat is open.');
      return;
    }
    const last = this.#client.messages(jid).filter((info) => info.key?.fromMe !== true).at(-1);
    if (last?.key?.id === undefined) {
      this.print('Nothing to mark read.');
      return;
    }
    const unread = this.#client.chats().find((chat) => chat.jid === jid)?.unreadCount ?? 0;
    await this.#client.markRead(jid, last.key.id, { count: Math.max(unread, 1) });
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
