/**
 * The controller: owns the WAClient, turns its events into screens (loading, QR, chats,
 * problems) and re-renders the DOM from the client's snapshots (`chats()`, `contacts()`,
 * `messages()`) whenever something changes.
 */
import {
  ClientClosedError,
  describeMessage,
  InvalidCredentialsError,
  isGroupJid,
  LocalStorageAuthStore,
  LoginError,
  mediaInfo,
  WAClient,
  type Chat,
  type Contact,
  type MediaType,
  type PresenceUpdate,
} from '@wa/client';
import { STORAGE_KEYS, type Backend } from './backend.ts';
import { h, icon } from './dom.ts';
import { authorOf, bodyOf, displayName, timestampOf } from './format.ts';
import { ICONS } from './icons.ts';
import type { TickStatus } from './ticks.ts';
import { avatar } from './views/avatar.ts';
import { chatList } from './views/chat-list.ts';
import { conversationHeader, introPanel, messageList } from './views/conversation.ts';
import { newGroupDialog, subjectDialog } from './views/dialogs.ts';
import type { ChatMenuAction, MediaView, MessageAction, OpenMenu, ViewMessage, ViewModel } from './views/model.ts';
import { systemText } from './system-text.ts';
import { qrScreen } from './views/qr-screen.ts';

type Screen = 'loading' | 'qr' | 'main' | 'problem';

interface Problem {
  title: string;
  text: string;
  /** The button's label; no button when absent (nothing on this page can fix it). */
  action?: string;
  /** A further hint, shown as code (a URL to use instead …). */
  hint?: string;
}

/**
 * Renders a problem that stops the page before any client exists (a `?url=` that is no
 * WebSocket URL): what is wrong and how to fix it, instead of "Loading…" forever.
 * @example
 * ```ts
 * showStartupProblem(root, { title: 'Invalid ?url=', text: error.message });
 * ```
 */
export function showStartupProblem(root: HTMLElement, problem: Problem): void {
  root.className = 'screen-problem';
  root.replaceChildren(problemCard(problem, () => location.reload()));
}

function problemCard(problem: Problem, onAction: () => void): HTMLElement {
  return h(
    'div',
    { class: 'landing' },
    h('div', { class: 'landing-band' }, h('div', { class: 'landing-logo' }, h('span', { class: 'logo-dot' }), 'WHATSAPP WEB')),
    h(
      'main',
      { class: 'landing-card problem', 'data-testid': 'problem' },
      h('h1', {}, problem.title),
      h('p', { 'data-testid': 'problem-text' }, problem.text),
      ...(problem.hint === undefined ? [] : [h('p', { class: 'command' }, h('code', { 'data-testid': 'problem-hint' }, problem.hint))]),
      ...(problem.action === undefined ? [] : [h('button', { class: 'primary-button', onclick: onAction }, problem.action)]),
    ),
  );
}

/** The main screen's long-lived elements (the search box and composer keep focus and text). */
interface Shell {
  root: HTMLElement;
  meAvatar: HTMLElement;
  meName: HTMLElement;
  banner: HTMLElement;
  list: HTMLElement;
  right: HTMLElement;
  /** Where an open dialog lives (built once, kept across renders). */
  dialogs: HTMLElement;
  conversation?: { jid: string; header: HTMLElement; scroller: HTMLElement; input: HTMLInputElement; composer: HTMLElement; left: HTMLElement; signature: string };
}

/** A media download of this session: its state and, once done, a blob URL of the file. */
interface MediaDownload {
  state: 'loading' | 'ready' | 'failed';
  url?: string;
  /** Save the file as soon as it is ready (a chip was clicked while it loaded). */
  save?: boolean;
}

const RANK: Record<TickStatus, number> = { ERROR: 0, PENDING: 1, SERVER_ACK: 2, DELIVERY_ACK: 3, READ: 4, PLAYED: 5 };
const COMPOSING_EVERY_MS = 4_000;
const PAUSED_AFTER_MS = 2_500;

/** The QR screen's notice after the client cleared stored credentials that cannot work again. */
function credentialsProblem(error: LoginError): string {
  return error.code === 'BAD_KEYS'
    ? 'The saved session\'s keys could not read anything the server sent (BAD_KEYS), so it was cleared; scan the code to log in again.'
    : `Your previous session ended (${error.code}); scan the code to log in again.`;
}

/**
 * The web app. `start()` connects: a stored session is restored silently, otherwise the QR
 * screen appears.
 * @example
 * ```ts
 * new WebClientApp(document.getElementById('app')!, createBackend(new URL(location.href), localStorage), localStorage).start();
 * ```
 */
export class WebClientApp {
  readonly #root: HTMLElement;
  readonly #backend: Backend;
  readonly #storage: Storage;
  #client: WAClient | undefined;
  /** Bumped for every new client, so events of a replaced one are ignored. */
  #generation = 0;
  #screen: Screen = 'loading';
  #rendered: { screen: Screen; key: string } | undefined;
  #renderQueued = false;
  #qr: string | undefined;
  #qrExpired = false;
  #notice: string | undefined;
  #problem: Problem | undefined;
  #banner: string | undefined;
  #selected: string | undefined;
  #search = '';
  #presence = new Map<string, PresenceUpdate>();
  #receipts = new Map<string, TickStatus>();
  #pending: ViewMessage[] = [];
  #participants = new Map<string, string[]>();
  #subscribed = new Set<string>();
  #shell: Shell | undefined;
  #pendingCounter = 0;
  #lastComposing = 0;
  #pausedTimer: ReturnType<typeof setTimeout> | undefined;
  /** Media downloads by message id; the blob URLs are revoked when the session ends. */
  #downloads = new Map<string, MediaDownload>();
  /** The chat list shows the archived chats. */
  #showArchived = false;
  #menu: OpenMenu;

  constructor(root: HTMLElement, backend: Backend, storage: Storage) {
    this.#root = root;
    this.#backend = backend;
    this.#storage = storage;
  }

  /** Connects a new client: restore when credentials are stored, QR login otherwise. */
  async start(notice?: string): Promise<void> {
    const generation = ++this.#generation;
    const previous = this.#client;
    if (previous !== undefined && previous.state !== 'closed') previous.close().catch(() => undefined);
    const client = new WAClient({
      ...this.#backend.clientOptions,
      auth: new LocalStorageAuthStore(STORAGE_KEYS.credentials, this.#storage),
      browser: ['WhatsApp Web example', 'Chrome', '1.0'],
    });
    this.#client = client;
    this.#resetSession();
    this.#notice = notice;
    this.#show('loading');
    this.#wire(client, () => generation === this.#generation);
    // Until connect() settles: whatever ends the session shows, not only what rejects it.
    client.on('frame-error', (error) => {
      if (generation === this.#generation) console.warn(`skipped an incoming frame (${error.code}, tag ${error.tag ?? '?'})`);
    });
    client.on('error', (error) => {
      if (generation === this.#generation) console.warn(`background failure: ${error.code}: ${error.message}`);
    });
    try {
      await client.connect();
    } catch (error) {
      if (generation === this.#generation) this.#connectFailed(error);
    }
  }

  #resetSession(): void {
    this.#qr = undefined;
    this.#qrExpired = false;
    this.#problem = undefined;
    this.#banner = undefined;
    this.#selected = undefined;
    this.#search = '';
    this.#presence.clear();
    this.#receipts.clear();
    this.#pending = [];
    this.#participants.clear();
    this.#subscribed.clear();
    this.#shell = undefined;
    for (const download of this.#downloads.values()) if (download.url !== undefined) URL.revokeObjectURL(download.url);
    this.#downloads.clear();
    this.#showArchived = false;
    this.#menu = undefined;
  }

  #wire(client: WAClient, live: () => boolean): void {
    const on: WAClient['on'] = (event, listener) =>
      client.on(event, (payload) => {
        if (live()) listener(payload);
      });
    on('qr', ({ qr }) => {
      this.#qr = qr;
      this.#qrExpired = false;
      this.#show('qr');
    });
    // A restore shows the chats once the first push has been read with the stored keys: wrong
    // keys (BAD_KEYS) end the session right behind the login, and must not flash an empty list.
    let waitingForChats: ReturnType<typeof setTimeout> | undefined;
    const showMain = (): void => {
      clearTimeout(waitingForChats);
      waitingForChats = undefined;
      if (!live() || client.state !== 'open') return;
      this.#show('main');
      this.#subscribeAll();
    };
    on('open', ({ via }) => {
      this.#notice = undefined;
      this.#banner = client.phoneReachable ? undefined : 'Phone not connected. Make sure your phone has an active internet connection.';
      if (via === 'restore' && this.#screen === 'loading' && client.chats().length === 0) waitingForChats = setTimeout(showMain, 3_000);
      else showMain();
    });
    on('chats', () => {
      if (waitingForChats !== undefined) showMain();
      this.#subscribeAll();
      this.#invalidate();
    });
    on('contacts', () => this.#invalidate());
    on('receipt', (receipt) => {
      const known = this.#receipts.get(receipt.id);
      if (known === undefined || RANK[known] < RANK[receipt.status as TickStatus]) this.#receipts.set(receipt.id, receipt.status as TickStatus);
      this.#invalidate();
    });
    on('message', (message) => {
      if (!message.fromMe && message.source === 'relay') {
        // A message ends the sender's "typing…", as on the phone.
        const presence = this.#presence.get(message.chat);
        if (presence?.type === 'composing' || presence?.type === 'recording') this.#presence.set(message.chat, { ...presence, type: 'available' });
        if (message.chat === this.#selected && document.visibilityState === 'visible') this.#markRead(message.chat);
      }
      this.#invalidate();
    });
    on('presence', (presence) => {
      this.#presence.set(presence.jid, presence);
      this.#invalidate();
    });
    on('group-update', ({ gid }) => {
      // Who is in it changed (or its subject): the header's member line is read again.
      if (this.#participants.has(gid) || gid === this.#selected) this.#loadParticipants(gid);
      this.#invalidate();
    });
    on('chat-update', ({ jid, action }) => {
      if (action === 'delete' && jid === this.#selected) this.#selected = undefined;
      this.#invalidate();
    });
    on('message-update', () => this.#invalidate());
    on('contact-update', () => this.#invalidate());
    on('phone', ({ reachable }) => {
      this.#banner = reachable ? undefined : 'Phone not connected. Make sure your phone has an active internet connection.';
      this.#invalidate();
    });
    on('disconnected', ({ reconnecting }) => {
      if (reconnecting) {
        this.#banner = 'Connecting… the connection to the server was lost.';
        this.#invalidate();
      }
    });
    on('close', ({ reason, error }) => {
      clearTimeout(waitingForChats);
      waitingForChats = undefined;
      this.#closed(reason, error);
    });
  }

  #closed(reason: string, error?: Error): void {
    if (reason === 'closed') return;
    if (error instanceof LoginError && error.credentialsCleared) {
      // Stored keys that opened nothing (BAD_KEYS), or a session refused while reconnecting.
      void this.start(credentialsProblem(error));
      return;
    }
    if (reason === 'logged-out' || reason === 'unpaired') {
      void this.start(reason === 'unpaired' ? 'This computer was logged out from the phone.' : 'You were logged out.');
      return;
    }
    this.#problem =
      reason === 'replaced'
        ? { title: 'WhatsApp is open in another window', text: 'Click "Use here" to use WhatsApp in this window.', action: 'Use here' }
        : { title: 'Connection lost', text: `The connection to the server ended (${reason}).`, action: 'Reconnect' };
    this.#show('problem');
  }

  #connectFailed(error: unknown): void {
    if (error instanceof ClientClosedError) return;
    if (error instanceof LoginError && error.code === 'QR_REFS_EXHAUSTED') {
      this.#qrExpired = true;
      this.#show('qr');
      return;
    }
    if (error instanceof LoginError && error.credentialsCleared) {
      // The server no longer knows the stored session (logged out elsewhere, sandbox reset …).
      void this.start(credentialsProblem(error));
      return;
    }
    if (error instanceof InvalidCredentialsError) {
      // The client never deletes what it cannot read; this page owns the key, so it does. Any
      // other answer ("Retry") would read the same broken value again and fail the same way.
      this.#storage.removeItem(STORAGE_KEYS.credentials);
      void this.start('The saved session could not be read (it was damaged) and has been cleared; scan the code to log in again.');
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown } | null)?.code;
    this.#problem = { title: 'Could not connect', text: typeof code === 'string' ? `${message} (${code})` : message, action: 'Retry' };
    this.#show('problem');
  }

  #show(screen: Screen): void {
    this.#screen = screen;
    this.#invalidate();
  }

  /** Renders once per burst of events (the chat list and history arrive as several pushes). */
  #invalidate(): void {
    if (this.#renderQueued) return;
    this.#renderQueued = true;
    queueMicrotask(() => {
      this.#renderQueued = false;
      this.#render();
    });
  }

  #render(): void {
    const key =
      this.#screen === 'qr'
        ? `${this.#qr}|${this.#qrExpired}|${this.#notice}`
        : this.#screen === 'problem'
          ? JSON.stringify(this.#problem)
          : '';
    const same = this.#rendered?.screen === this.#screen && this.#rendered.key === key;
    this.#rendered = { screen: this.#screen, key };
    this.#root.className = `screen-${this.#screen}`;
    switch (this.#screen) {
      case 'loading':
        if (!same) this.#root.replaceChildren(this.#loadingScreen());
        return;
      case 'qr':
        if (!same) this.#root.replaceChildren(this.#qrScreen());
        return;
      case 'problem':
        if (!same) this.#root.replaceChildren(this.#problemScreen());
        return;
      case 'main':
        this.#renderMain();
        return;
    }
  }

  #loadingScreen(): HTMLElement {
    return h(
      'div',
      { class: 'loading', 'data-testid': 'loading' },
      h('div', { class: 'loading-logo' }, icon(ICONS.laptop, 'loading-icon')),
      h('div', { class: 'progress' }, h('div', { class: 'progress-bar' })),
      h('div', { class: 'loading-title' }, 'WhatsApp'),
      h('div', { class: 'loading-subtitle' }, icon(ICONS.lock, 'lock-icon'), 'End-to-end encrypted'),
    );
  }

  #qrScreen(): HTMLElement {
    return qrScreen({
      backend: this.#backend,
      qr: this.#qr,
      expired: this.#qrExpired,
      notice: this.#notice,
      onScan: () => this.#scan(),
      onReload: () => void this.start(),
      onReset: () => {
        this.#generation++;
        this.#backend.reset();
        location.reload();
      },
    });
  }

  #scan(): void {
    const qr = this.#qr;
    if (qr === undefined || this.#backend.scan === undefined) return;
    try {
      this.#backend.scan(qr);
      this.#notice = 'Scanned. Logging in…';
    } catch (error) {
      this.#notice = `The phone could not scan this code: ${error instanceof Error ? error.message : String(error)}`;
    }
    this.#invalidate();
  }

  #problemScreen(): HTMLElement {
    return problemCard(this.#problem ?? { title: 'Something went wrong', text: '', action: 'Retry' }, () => void this.start());
  }

  // ── main screen ────────────────────────────────────────────────────────────────────────────

  #model(): ViewModel {
    const client = this.#client!;
    const chats = client.chats();
    const chatMap = new Map<string, Chat>(chats.map((chat) => [chat.jid, chat]));
    const contactMap = new Map<string, Contact>(client.contacts().map((contact) => [contact.jid, contact]));
    const me = client.me;
    const meJid = me?.wid ?? '';
    const name = this.#namer(chatMap, contactMap);
    return {
      meJid,
      meName: me?.pushname ?? meJid,
      chats,
      chatMap,
      contactMap,
      selected: this.#selected,
      search: this.#search,
      presence: this.#presence,
      name,
      participants: (jid) => this.#participants.get(jid),
      messages: (jid) => this.#messages(jid, name),
      media: (message) => this.#media(message),
      saveMedia: (message) => this.#saveMedia(message),
      showArchived: this.#showArchived,
      menu: this.#menu,
      toggleMenu: (menu) => this.#toggleMenu(menu),
      messageAction: (message, action) => this.#messageAction(message, action),
      chatAction: (jid, action) => this.#chatAction(jid, action),
      toggleArchived: () => {
        this.#showArchived = !this.#showArchived;
        this.#menu = undefined;
        this.#invalidate();
      },
      editSubject: (jid) => this.#editSubject(jid),
    };
  }

  /** Names as the views show them: "You", a chat's or group's name, a contact's, else the number. */
  #namer(chatMap: ReadonlyMap<string, Chat>, contactMap: ReadonlyMap<string, Contact>): (jid: string) => string {
    const client = this.#client!;
    const meJid = client.me?.wid ?? '';
    return (jid) => {
      if (jid === meJid) return 'You';
      const subject = isGroupJid(jid) && chatMap.get(jid)?.name === undefined ? client.groups().find((group) => group.id === jid)?.subject : undefined;
      return subject ?? displayName(jid, chatMap, contactMap);
    };
  }

  #messages(jid: string, name: (jid: string) => string): ViewMessage[] {
    const client = this.#client!;
    const meJid = client.me?.wid ?? '';
    const stored = client.messages(jid).map((info): ViewMessage => {
      const id = info.key.id ?? '';
      const status = info.status as TickStatus | undefined;
      const received = this.#receipts.get(id);
      const best = received !== undefined && (status === undefined || RANK[received] > RANK[status]) ? received : status;
      const system = systemText(info, jid, meJid, name);
      const view: ViewMessage = { id, chat: jid, fromMe: info.key.fromMe === true, author: authorOf(info), text: system ?? bodyOf(info), timestamp: timestampOf(info), status: best, info };
      view.details = describeMessage(info);
      if (system !== undefined) view.system = system;
      if (info.messageStubType === 'REVOKE') view.deleted = true;
      return view;
    });
    return [...stored, ...this.#pending.filter((message) => message.chat === jid)];
  }

  #buildShell(): Shell {
    const search = h('input', {
      class: 'search-input',
      type: 'text',
      placeholder: 'Search or start new chat',
      'data-testid': 'search',
      oninput: (event) => {
        this.#search = (event.target as HTMLInputElement).value;
        this.#invalidate();
      },
    });
    const meAvatar = h('div', { class: 'me-avatar' });
    const meName = h('span', { class: 'me-name', 'data-testid': 'me-name' });
    const banner = h('div', { class: 'banner', 'data-testid': 'banner', hidden: true });
    const list = h('div', { class: 'chat-list', role: 'list', 'data-testid': 'chat-list' });
    const right = h('section', { class: 'main-pane' });
    const dialogs = h('div', { class: 'dialogs' });
    const root = h(
      'div',
      {
        class: 'app-frame',
        // A click anywhere else closes an open menu (the menus' own clicks do not get here).
        onclick: () => {
          if (this.#menu === undefined) return;
          this.#menu = undefined;
          this.#invalidate();
        },
      },
      h(
        'div',
        { class: 'app', 'data-testid': 'app' },
        h(
          'aside',
          { class: 'sidebar' },
          h(
            'header',
            { class: 'pane-header sidebar-header' },
            meAvatar,
            meName,
            h(
              'button',
              { class: 'icon-button', title: 'New group', 'aria-label': 'New group', 'data-testid': 'new-group', onclick: () => this.#openNewGroup() },
              icon(ICONS.newGroup),
            ),
            h(
              'button',
              { class: 'icon-button', title: 'Log out', 'aria-label': 'Log out', 'data-testid': 'logout', onclick: () => void this.#logout() },
              icon(ICONS.logout),
            ),
          ),
          banner,
          h('div', { class: 'search' }, h('label', { class: 'search-box' }, icon(ICONS.search, 'search-icon'), search)),
          list,
        ),
        right,
      ),
      dialogs,
    );
    return { root, meAvatar, meName, banner, list, right, dialogs };
  }

  #renderMain(): void {
    if (this.#shell === undefined || !this.#root.contains(this.#shell.root)) {
      this.#shell = this.#buildShell();
      this.#root.replaceChildren(this.#shell.root);
    }
    const shell = this.#shell;
    const model = this.#model();
    shell.meAvatar.replaceChildren(avatar(model.meJid, model.meName, 40));
    shell.meName.textContent = model.meName;
    shell.banner.hidden = this.#banner === undefined;
    shell.banner.textContent = this.#banner ?? '';
    const listScroll = shell.list.scrollTop;
    shell.list.replaceChildren(...chatList(model, (jid) => this.#open(jid)));
    shell.list.scrollTop = listScroll;
    this.#renderConversation(shell, model);
  }

  #renderConversation(shell: Shell, model: ViewModel): void {
    const jid = this.#selected;
    if (jid === undefined) {
      if (shell.conversation !== undefined || shell.right.childElementCount === 0) {
        shell.conversation = undefined;
        shell.right.replaceChildren(introPanel(this.#backend.description));
      }
      return;
    }
    if (shell.conversation?.jid !== jid) {
      const input = h('input', {
        class: 'composer-input',
        type: 'text',
        placeholder: 'Type a message',
        'data-testid': 'composer',
        oninput: () => this.#typing(jid),
        onkeydown: (event) => {
          if ((event as KeyboardEvent).key === 'Enter') this.#submit(jid, input);
        },
      });
      const fileInput = h('input', {
        class: 'file-input',
        type: 'file',
        'data-testid': 'file-input',
        onchange: () => {
          const file = fileInput.files?.[0];
          fileInput.value = '';
          if (file !== undefined) void this.#sendFile(jid, file);
        },
      });
      const header = h('div', { class: 'header-slot' });
      const left = h('div', { class: 'composer read-only-note', 'data-testid': 'read-only', hidden: true }, "You can't send messages to this group because you're no longer a participant.");
      const scroller = h('div', { class: 'messages', 'data-testid': 'messages' });
      const composer = h(
        'footer',
        { class: 'composer' },
        h(
          'button',
          { class: 'icon-button attach-button', title: 'Attach', 'aria-label': 'Attach', 'data-testid': 'attach', onclick: () => fileInput.click() },
          icon(ICONS.attach),
        ),
        fileInput,
        h('div', { class: 'composer-box' }, input),
        h('button', { class: 'icon-button send-button', title: 'Send', 'aria-label': 'Send', 'data-testid': 'send', onclick: () => this.#submit(jid, input) }, icon(ICONS.send)),
      );
      shell.right.replaceChildren(
        h(
          'div',
          { class: 'conversation', 'data-testid': 'conversation', 'data-jid': jid },
          header,
          scroller,
          composer,
          left,
        ),
      );
      shell.conversation = { jid, header, scroller, input, composer, left, signature: '' };
      input.focus();
    }
    const view = shell.conversation!;
    // A group one has left (or was removed from) is read-only: no composer, as on the phone.
    const readOnly = isGroupJid(jid) && model.chatMap.get(jid)?.readOnly === true;
    view.composer.hidden = readOnly;
    view.left.hidden = !readOnly;
    view.header.replaceChildren(conversationHeader(model, jid));
    const messages = model.messages(jid);
    const menu = this.#menu?.kind === 'message' ? this.#menu.id : '';
    const signature = messages
      .map((message) => `${message.id}:${message.status ?? ''}:${this.#downloads.get(message.id)?.state ?? ''}:${message.details?.starred ? '*' : ''}${message.deleted ? 'x' : ''}${message.id === menu ? 'm' : ''}:${message.system ?? ''}`)
      .join(',');
    if (signature !== view.signature) {
      const atBottom = view.signature === '' || view.scroller.scrollHeight - view.scroller.scrollTop - view.scroller.clientHeight < 80;
      view.signature = signature;
      view.scroller.replaceChildren(...messageList(model, jid));
      if (atBottom) view.scroller.scrollTop = view.scroller.scrollHeight;
    }
  }

  #open(jid: string): void {
    if (this.#selected !== jid) {
      this.#selected = jid;
      if (isGroupJid(jid) && !this.#participants.has(jid)) this.#loadParticipants(jid);
      this.#subscribe(jid);
    }
    this.#markRead(jid);
    this.#invalidate();
  }

  #loadParticipants(jid: string): void {
    const client = this.#client!;
    client
      .groupMetadata(jid)
      .then((metadata) => {
        const model = this.#model();
        const names = metadata.participants.map((participant) => model.name(participant.id)).sort((a, b) => (a === 'You' ? 1 : b === 'You' ? -1 : a.localeCompare(b)));
        this.#participants.set(jid, names);
        this.#invalidate();
      })
      .catch((error: unknown) => console.warn('group metadata:', error));
  }

  /** Presence pushes come only for subscribed contacts: subscribe to every 1:1 chat in the list. */
  #subscribeAll(): void {
    const client = this.#client;
    if (client?.state !== 'open') return;
    for (const chat of client.chats()) this.#subscribe(chat.jid);
  }

  #subscribe(jid: string): void {
    const client = this.#client;
    if (isGroupJid(jid) || this.#subscribed.has(jid) || client?.state !== 'open') return;
    this.#subscribed.add(jid);
    client.subscribePresence(jid).catch((error: unknown) => {
      this.#subscribed.delete(jid);
      console.warn('presence subscription:', error);
    });
  }

  #markRead(jid: string): void {
    const client = this.#client;
    const chat = client?.chats().find((entry) => entry.jid === jid);
    if (client === undefined || chat === undefined || chat.unreadCount === 0) return;
    const last = client
      .messages(jid)
      .filter((info) => info.key.fromMe !== true)
      .at(-1);
    if (last?.key.id === undefined) return;
    client.markRead(jid, last.key.id, { count: chat.unreadCount }).catch((error: unknown) => console.warn('markRead:', error));
  }

  #typing(jid: string): void {
    const client = this.#client;
    if (client?.state !== 'open') return;
    const now = Date.now();
    if (now - this.#lastComposing > COMPOSING_EVERY_MS) {
      this.#lastComposing = now;
      client.setPresence('composing', jid).catch(() => undefined);
    }
    clearTimeout(this.#pausedTimer);
    this.#pausedTimer = setTimeout(() => {
      this.#lastComposing = 0;
      if (client.state === 'open') client.setPresence('paused', jid).catch(() => undefined);
    }, PAUSED_AFTER_MS);
  }

  #submit(jid: string, input: HTMLInputElement): void {
    const text = input.value.trim();
    if (text === '') return;
    input.value = '';
    input.focus();
    clearTimeout(this.#pausedTimer);
    this.#lastComposing = 0;
    void this.#send(jid, text);
  }

  async #send(jid: string, text: string): Promise<void> {
    const client = this.#client!;
    const pending: ViewMessage = { id: `pending-${++this.#pendingCounter}`, chat: jid, fromMe: true, author: undefined, text, timestamp: Math.floor(Date.now() / 1000), status: 'PENDING' };
    this.#pending.push(pending);
    this.#invalidate();
    try {
      await client.sendText(jid, text);
      this.#pending = this.#pending.filter((message) => message !== pending);
    } catch (error) {
      console.warn('sendText:', error);
      pending.status = 'ERROR';
    }
    this.#invalidate();
  }

  /** Sends a picked file: images as photos (shown inline), everything else as a document. */
  async #sendFile(jid: string, file: File): Promise<void> {
    const client = this.#client!;
    const type: MediaType = /^image\/(jpeg|png|gif|webp)$/.test(file.type) ? 'image' : 'document';
    const mimetype = file.type || 'application/octet-stream';
    const pending: ViewMessage = { id: `pending-${++this.#pendingCounter}`, chat: jid, fromMe: true, author: undefined, text: `📎 ${file.name}`, timestamp: Math.floor(Date.now() / 1000), status: 'PENDING' };
    this.#pending.push(pending);
    this.#invalidate();
    try {
      const bytes = new Uint8Array(await file.arrayBuffer());
      await client.sendMedia(jid, bytes, type === 'image' ? { type, mimetype } : { type, mimetype, fileName: file.name || 'file' });
      this.#pending = this.#pending.filter((message) => message !== pending);
    } catch (error) {
      console.warn('sendMedia:', error);
      pending.status = 'ERROR';
    }
    this.#invalidate();
  }

  /** A message's media for the views; pictures start downloading the first time they are drawn. */
  #media(message: ViewMessage): MediaView | undefined {
    const info = message.info === undefined ? undefined : mediaInfo(message.info);
    if (info === undefined) return undefined;
    if ((info.type === 'image' || info.type === 'sticker') && !this.#downloads.has(message.id)) this.#download(message);
    const download = this.#downloads.get(message.id);
    const view: MediaView = { info, state: download?.state ?? 'idle' };
    if (download?.url !== undefined) view.url = download.url;
    return view;
  }

  #saveMedia(message: ViewMessage): void {
    const download = this.#downloads.get(message.id);
    if (download?.state === 'ready') return this.#save(message, download.url!);
    if (download?.state === 'loading') {
      download.save = true;
      return;
    }
    this.#download(message, true);
  }

  #download(message: ViewMessage, save = false): void {
    const client = this.#client;
    if (client === undefined || message.info === undefined) return;
    const download: MediaDownload = { state: 'loading', save };
    this.#downloads.set(message.id, download);
    this.#invalidate();
    const mimetype = mediaInfo(message.info)?.mimetype?.split(';')[0] ?? 'application/octet-stream';
    client
      .downloadMedia(message.info)
      .then((bytes) => {
        if (this.#downloads.get(message.id) !== download) return; // the session ended meanwhile
        download.url = URL.createObjectURL(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: mimetype }));
        download.state = 'ready';
        if (download.save) this.#save(message, download.url);
      })
      .catch((error: unknown) => {
        console.warn('downloadMedia:', error);
        download.state = 'failed';
      })
      .finally(() => this.#invalidate());
  }

  #save(message: ViewMessage, url: string): void {
    const info = message.info === undefined ? undefined : mediaInfo(message.info);
    const link = h('a', { href: url, download: info?.fileName ?? `${info?.type ?? 'file'}-${message.id}` });
    document.body.append(link);
    link.click();
    link.remove();
  }

  // ── menus, chat and message actions, groups ─────────────────────────────────────────────────

  #toggleMenu(menu: OpenMenu): void {
    const same = JSON.stringify(menu) === JSON.stringify(this.#menu);
    this.#menu = same ? undefined : menu;
    this.#invalidate();
  }

  /** Runs a client call of a menu; what it changes comes back as an event (the store has changed). */
  #act(what: string, call: () => Promise<unknown>): void {
    this.#menu = undefined;
    this.#invalidate();
    call().catch((error: unknown) => {
      console.warn(`${what}:`, error);
      this.#banner = `Could not ${what}: ${error instanceof Error ? error.message : String(error)}`;
      this.#invalidate();
    });
  }

  #messageAction(message: ViewMessage, action: MessageAction): void {
    const client = this.#client!;
    const options = { fromMe: message.fromMe };
    switch (action) {
      case 'star':
      case 'unstar':
        return this.#act(`${action} the message`, () => client.starMessage(message.chat, message.id, action === 'star', options));
      case 'delete-for-me':
        return this.#act('delete the message', () => client.deleteMessage(message.chat, message.id, options));
      case 'delete-for-everyone':
        return this.#act('delete the message for everyone', () => client.deleteMessage(message.chat, message.id, { ...options, forEveryone: true }));
    }
  }

  #chatAction(jid: string, action: ChatMenuAction): void {
    const client = this.#client!;
    const calls: Record<ChatMenuAction, () => Promise<void>> = {
      archive: () => client.archiveChat(jid),
      unarchive: () => client.unarchiveChat(jid),
      pin: () => client.pinChat(jid),
      unpin: () => client.unpinChat(jid),
      mute: () => client.muteChat(jid, Date.now() + 8 * 3_600_000),
      unmute: () => client.muteChat(jid, null),
      leave: () => client.groupLeave(jid),
    };
    if (action === 'archive' && jid === this.#selected) this.#selected = undefined;
    this.#act(`${action} the chat`, calls[action]);
  }

  #showDialog(dialog: HTMLElement): void {
    this.#menu = undefined;
    this.#shell?.dialogs.replaceChildren(dialog);
  }

  #closeDialog(): void {
    this.#shell?.dialogs.replaceChildren();
  }

  #openNewGroup(): void {
    const client = this.#client!;
    const me = client.me?.wid;
    const model = this.#model();
    // The contacts, and the people of 1:1 chats (the contact list may still be on its way).
    const jids = new Set([...client.contacts().map((contact) => contact.jid), ...client.chats().map((chat) => chat.jid)]);
    const contacts = [...jids]
      .filter((jid) => jid !== me && !isGroupJid(jid))
      .map((jid) => ({ jid, name: model.name(jid) }))
      .sort((a, b) => a.name.localeCompare(b.name));
    this.#showDialog(
      newGroupDialog({
        contacts,
        onCreate: async (subject, jids) => {
          const { gid } = await client.groupCreate(subject, jids);
          this.#closeDialog();
          this.#showArchived = false;
          this.#open(gid);
        },
        onClose: () => this.#closeDialog(),
      }),
    );
  }

  #editSubject(jid: string): void {
    const client = this.#client!;
    this.#showDialog(
      subjectDialog({
        subject: this.#model().name(jid),
        onSave: async (subject) => {
          await client.groupUpdateSubject(jid, subject);
          this.#closeDialog();
          this.#invalidate();
        },
        onClose: () => this.#closeDialog(),
      }),
    );
  }

  async #logout(): Promise<void> {
    const client = this.#client;
    if (client === undefined) return;
    this.#generation++; // its close event is expected: start() below shows the QR
    try {
      await client.logout();
    } catch (error) {
      console.warn('logout:', error);
    }
    await this.start();
  }
}
