import type { Node } from '@wa/binary-codec';
import { toBase64 } from '@wa/crypto';
import { decodeWebMessageInfo, type WebMessageInfo } from '@wa/proto';
import type { SandboxContext, SandboxEvents } from './context.js';
import { applyEphemeralSettingMessage } from './ephemeral.js';
import { relayRevoke } from './revoke.js';
import { SandboxError } from './errors.js';
import { groupSendRefusal } from './groups.js';
import { isBlockedBy, refuseBlockedRecipient } from './profile.js';
import { pushReadState } from './protocol/chat-actions.js';
import type { WebConnection } from './protocol/connection.js';
import { rememberInfoBytes, statusNumber, withStatus } from './protocol/info-bytes.js';
import { recordReceipt } from './protocol/queries.js';
import { hasNoMedia, messageNode, recipientCopy, recipientCopyBytes } from './protocol/nodes.js';
import { eachSession } from './session-pushes.js';
import { checkUserJid, isChatJid, isGroupJid, normalizeJid } from './world/jid.js';
import type { AccountData, MessageData, MessageStatus, PresenceType, UserData } from './world/types.js';

/** How far a message got: the `WebMessageInfo.Status` numbers rank the statuses. */
const statusRank = statusNumber;

/** Presence values that are chat states (sent to a chat), not online status. */
const chatStates: ReadonlySet<PresenceType> = /* @__PURE__ */ new Set<PresenceType>(['composing', 'recording', 'paused']);

/**
 * Everything that moves messages, receipts and presence between web clients, phones and
 * scripted contacts. Whatever reaches a web client from a phone waits while that phone is
 * unreachable, as it did in the legacy design where the phone relayed everything.
 */
export class Messenger {
  readonly #context: () => SandboxContext;

  constructor(context: () => SandboxContext) {
    this.#context = context;
  }

  /** A web client relayed a message (`action relay` → `message`). Answers 200 under `tag`. */
  fromWeb(connection: WebConnection, tag: string, infoBytes: Uint8Array): void {
    const context = this.#context();
    const account = context.world.requireAccount(connection.wid!);
    let info: ReturnType<typeof decodeWebMessageInfo>;
    try {
      info = decodeWebMessageInfo(infoBytes);
    } catch (error) {
      connection.reject('bad-message', `relayed message is not a WebMessageInfo: ${(error as Error).message}`, { tag, status: 400 });
      return;
    }
    const fields = info as unknown as Record<string, unknown> & {
      key?: { remoteJid?: string; id?: string };
      message?: { conversation?: string; extendedTextMessage?: { text?: string } };
      messageTimestamp?: string | number;
    };
    const chatJid = fields.key?.remoteJid === undefined ? '' : normalizeJid(fields.key.remoteJid);
    const id = fields.key?.id ?? '';
    if (chatJid === '' || id === '') {
      connection.reject('bad-message', 'relayed message lacks key.remoteJid or key.id', { tag, status: 400 });
      return;
    }
    // Otherwise a made-up chat id would become a chat of the account (and of its state file).
    if (!isChatJid(chatJid)) {
      connection.reject('bad-message', `relayed message to an invalid chat id ${chatJid.slice(0, 64)}`, { tag, status: 400 });
      return;
    }
    if (isGroupJid(chatJid) && !context.world.group(chatJid)) {
      connection.reject('bad-message', `relayed message to an unknown group ${chatJid}`, { tag, status: 404 });
      return;
    }
    // A group one left, or an announcement-only group of which one is no admin (groups.ts).
    const groupRefusal = groupSendRefusal(context, account.wid, chatJid);
    if (groupRefusal !== undefined) return connection.sendJson(tag, { status: groupRefusal });
    // A user this account blocked (profile.ts): 403, nothing stored or delivered.
    if (refuseBlockedRecipient(context, connection, tag, account, chatJid)) return;
    if (id !== tag) context.log('warn', 'tag-mismatch', `message id ${id} differs from its frame tag ${tag}`, connection.id);
    if (context.world.findMessage(account, id)) {
      // A retry of a message the server already has: acknowledge again, deliver once.
      connection.sendJson(tag, { status: 200 });
      return;
    }
    // Delete for everyone: the target becomes a stub everywhere; the revoke is relayed, not stored (revoke.ts).
    if (relayRevoke(context, connection, tag, account, chatJid, info)) return;
    // Disappearing messages of a 1:1 chat: the chat's timer (ephemeral.ts); the setting goes on like any message.
    applyEphemeralSettingMessage(context, account, chatJid, info);
    const text = fields.message?.conversation ?? fields.message?.extendedTextMessage?.text;
    const seconds = Number(fields.messageTimestamp);
    const message: MessageData = {
      id,
      fromMe: true,
      t: Number.isFinite(seconds) && seconds > 0 ? seconds : this.#seconds(),
      status: 'SERVER_ACK',
      raw: toBase64(infoBytes),
    };
    if (text !== undefined) message.text = text;
    context.world.appendMessage(account, chatJid, message);
    connection.sendJson(tag, { status: 200 });
    context.log('info', 'message', () => `${account.wid} → ${chatJid}: ${text ?? '(media)'}`, connection.id, { id });
    const event: SandboxEvents['web-message'] = { connection: connection.id, wid: account.wid, chat: chatJid, id };
    if (text !== undefined) event.text = text;
    context.emit('web-message', event);
    context.emit('state', {});
    // The account's other web clients see it too (most accounts have none: the node is only built for one).
    this.#pushToAccount(account.wid, () => ['action', { add: 'relay' }, [messageNode(message, chatJid, (path) => context.media.urlOf(path))]], connection);
    this.#deliver(account, chatJid, message, hasNoMedia(info.message) ? info : undefined);
  }

  /**
   * A web client marked a chat read (`["read", {jid, index, owner, count}]`) or unread
   * (`count:"-2"`, or the older `type:"false"`). Marking unread reads nothing: the chat's
   * `count` becomes `-1` ("marked unread") and no read receipt goes out.
   */
  webRead(connection: WebConnection, attrs: Record<string, string>): void {
    const account = this.#context().world.requireAccount(connection.wid!);
    this.readChat(account, normalizeJid(attrs.jid ?? ''), attrs.count === '-2' || attrs.type === 'false', connection);
  }

  /**
   * The account read a chat (read receipts to the senders) or marked it unread (`unread`), on a
   * web session (`from`) or on the phone; the account's other sessions get the `read` push.
   * Returns whether the account has the chat.
   */
  readChat(account: AccountData, chatJid: string, unread: boolean, from?: WebConnection): boolean {
    const context = this.#context();
    const chat = context.world.chat(account, chatJid);
    if (!chat) return false;
    pushReadState(context, account.wid, chat.jid, unread, from);
    if (unread) {
      if (chat.unread === 0) chat.unread = -1;
      context.emit('state', {});
      return true;
    }
    chat.unread = 0;
    for (const message of chat.messages) {
      if (message.fromMe || statusRank[message.status] >= statusRank.READ) continue;
      message.status = 'READ';
      const sender = context.world.account(isGroupJid(chat.jid) ? (message.participant ?? '') : chat.jid);
      if (sender) {
        const senderChat = isGroupJid(chat.jid) ? chat.jid : account.wid;
        this.ack(sender, senderChat, message.id, 3, isGroupJid(chat.jid) ? account.wid : undefined);
      }
    }
    context.emit('state', {});
    return true;
  }

  /** A web client set its presence, or a chat state towards `to`. */
  webPresence(connection: WebConnection, attrs: Record<string, string>): void {
    const type = attrs.type as PresenceType;
    const wid = connection.wid!;
    if (attrs.to !== undefined && chatStates.has(type)) this.#chatState(wid, type, normalizeJid(attrs.to));
    else if (type === 'available' || type === 'unavailable') this.setPresence(wid, type);
  }

  /** `["action","presence","subscribe",jid]`: remember the subscription and push the current presence. */
  subscribe(connection: WebConnection, jid: string): void {
    const context = this.#context();
    const user = context.world.user(jid);
    connection.presenceSubscriptions.add(normalizeJid(jid));
    if (user) connection.pushJson(['Presence', presencePayload(user)]);
  }

  /**
   * A user (scripted contact or account owner on their phone) sends a text, or a `Message`
   * protobuf (`content`, e.g. an `imageMessage`), to an account or a group. Returns the new message.
   */
  send(fromJid: string, body: string | { content: Uint8Array }, target: { to?: string; group?: string } = {}): MessageData {
    const context = this.#context();
    const { world } = context;
    const sender = world.requireUser(fromJid);
    if (typeof body !== 'string' && !(body?.content instanceof Uint8Array)) throw new SandboxError('INVALID_ARGUMENT', 'sendText needs a string');
    const message: MessageData = { id: world.newMessageId('phone'), fromMe: false, t: this.#seconds(), status: 'DELIVERY_ACK' };
    if (typeof body === 'string') message.text = body;
    else message.content = toBase64(body.content);
    if (target.group !== undefined) {
      const group = world.requireGroup(target.group);
      if (!group.participants.some((p) => p.jid === sender.jid)) {
        throw new SandboxError('INVALID_ARGUMENT', `${sender.jid} is not a participant of ${group.id}`);
      }
      if (groupSendRefusal(context, sender.jid, group.id) !== undefined) throw new SandboxError('INVALID_ARGUMENT', `only admins send to ${group.id}`);
      message.participant = sender.jid;
      for (const participant of group.participants) {
        const account = world.account(participant.jid);
        if (account) this.#receive(account, group.id, participant.jid === sender.jid ? { ...message, fromMe: true, participant: undefined } : message);
      }
      return message;
    }
    const account = target.to !== undefined ? world.requireAccount(target.to) : this.#accountKnowing(sender);
    if (account.wid === sender.jid) throw new SandboxError('INVALID_ARGUMENT', 'a user cannot message themself here');
    const senderAccount = world.account(sender.jid);
    if (senderAccount) this.#receive(senderAccount, account.wid, { ...message, fromMe: true });
    // Blocked by the account (profile.ts): the sender keeps its copy with one tick, nothing arrives.
    if (!isBlockedBy(world, account.wid, sender.jid)) this.#receive(account, sender.jid, message);
    return message;
  }

  /** `user` received the account's messages in chat `chatJid` (ack 2 for each not yet delivered). */
  received(user: UserData, account: AccountData, chatJid: string = user.jid): void {
    this.#advance(user, account, chatJid, 'DELIVERY_ACK');
  }

  /** `user` read the account's messages in chat `chatJid` (ack 3 for each not yet read). */
  read(user: UserData, account: AccountData, chatJid: string = user.jid): void {
    this.#advance(user, account, chatJid, 'READ');
  }

  /** Sets a user's presence and tells subscribed web clients (and chats, for chat states). */
  setPresence(jid: string, type: PresenceType, options: { chat?: string } = {}): void {
    const context = this.#context();
    const user = context.world.requireUser(jid);
    if (chatStates.has(type)) {
      this.#chatState(user.jid, type, options.chat);
      return;
    }
    user.presence = type;
    if (type === 'unavailable') user.lastSeen = this.#seconds();
    for (const connection of context.connections) {
      if (connection.wid === undefined || !connection.presenceSubscriptions.has(user.jid)) continue;
      context.whenPhoneReachable(connection.wid, () => connection.pushJson(['Presence', presencePayload(user)]));
    }
  }

  /** Pushes a `Msg`/`MsgInfo` ack of `level` for message `id` of `account`'s chat `chatJid`. */
  ack(account: AccountData, chatJid: string, id: string, level: 2 | 3, participant?: string): void {
    const context = this.#context();
    const chat = context.world.chat(account, chatJid);
    const message = chat?.messages.find((entry) => entry.id === id);
    if (!message) return;
    recordReceipt(message, level, participant ?? chatJid, this.#seconds());
    const status: MessageStatus = level === 2 ? 'DELIVERY_ACK' : 'READ';
    const isGroup = isGroupJid(chatJid);
    if (statusRank[message.status] >= statusRank[status] && !isGroup) return;
    if (statusRank[message.status] < statusRank[status]) message.status = status;
    const payload: Record<string, unknown> = { cmd: 'ack', ack: level, id, from: account.wid, to: chatJid, t: this.#seconds() };
    if (isGroup && participant !== undefined) payload.participant = participant;
    const frame = [isGroup ? 'MsgInfo' : 'Msg', payload];
    context.log('info', 'ack', `${id} ack ${level}`, undefined, { chat: chatJid });
    for (const connection of context.connectionsOf(account.wid)) {
      context.whenPhoneReachable(account.wid, () => connection.pushJson(frame));
    }
    context.emit('state', {});
  }

  #seconds(): number {
    return Math.floor(this.#context().clock.now() / 1000);
  }

  /** The account a contact talks to by default: the first that knows them, else the first. */
  #accountKnowing(user: UserData): AccountData {
    const { world } = this.#context();
    const accounts = world.accounts.filter((account) => account.wid !== user.jid);
    const knowing = accounts.find((account) => account.contacts.some((entry) => entry.jid === user.jid) || world.chat(account, user.jid));
    const chosen = knowing ?? accounts[0];
    if (!chosen) throw new SandboxError('NOT_FOUND', `no account for ${user.jid} to talk to`);
    return chosen;
  }

  /** Stores a message in an account's chat and relays it to its web clients. `bytes`: its `WebMessageInfo` bytes, when known. */
  #receive(account: AccountData, chatJid: string, message: MessageData, bytes?: Uint8Array): void {
    const context = this.#context();
    const copy: MessageData = { ...message };
    if (copy.participant === undefined) delete copy.participant;
    if (bytes !== undefined) rememberInfoBytes(copy, bytes);
    context.world.appendMessage(account, chatJid, copy);
    context.emit('state', {});
    this.#pushToAccount(account.wid, () => ['action', { add: 'relay' }, [messageNode(copy, chatJid, (path) => context.media.urlOf(path))]]);
  }

  /**
   * Sends a node to every web client of an account (except one), once its phone is reachable.
   * `build` runs once, and only when there is a client to send to: at once while the phone is
   * unreachable (the node shows the message as it is now), else when the push goes out.
   */
  #pushToAccount(wid: string, build: () => Node, except?: WebConnection): void {
    const context = this.#context();
    let node = context.world.account(wid)?.reachable === false ? build() : undefined;
    eachSession(
      context,
      wid,
      (connection) => {
        node ??= build();
        connection.pushNode(node);
      },
      except,
    );
  }

  /** Hands a web client's message to the recipients: other accounts directly, scripted users on their schedule. */
  #deliver(sender: AccountData, chatJid: string, message: MessageData, decoded?: WebMessageInfo): void {
    const { world } = this.#context();
    const recipients = isGroupJid(chatJid)
      ? (world.group(chatJid)?.participants.map((p) => p.jid).filter((jid) => jid !== sender.wid) ?? [])
      : [chatJid];
    for (const jid of recipients) {
      const account = world.account(jid);
      if (account) {
        this.#deliverToAccount(sender, account, chatJid, message, decoded);
        continue;
      }
      const user = world.user(jid);
      if (user) this.#scheduleScripted(user, sender, chatJid, message);
    }
  }

  /**
   * `decoded`: the message as the sender's client wrote it, decoded, when it has no media (its
   * copies then need no other decoding, and the bytes of the push are known: no URL to re-base).
   */
  #deliverToAccount(sender: AccountData, recipient: AccountData, chatJid: string, message: MessageData, decoded?: WebMessageInfo): void {
    const context = this.#context();
    const isGroup = isGroupJid(chatJid);
    // The recipient blocked the sender (profile.ts): answered 200 to the sender, never delivered.
    if (!isGroup && isBlockedBy(context.world, recipient.wid, sender.wid)) return;
    const recipientChat = isGroup ? chatJid : sender.wid;
    context.whenPhoneReachable(recipient.wid, () => {
      const copy: MessageData = { id: message.id, fromMe: false, t: message.t, status: 'DELIVERY_ACK' };
      if (message.text !== undefined) copy.text = message.text;
      if (isGroup) copy.participant = sender.wid;
      let bytes: Uint8Array | undefined;
      if (decoded !== undefined) {
        const raw = recipientCopyBytes(decoded, recipientChat, isGroup ? sender.wid : undefined);
        copy.raw = toBase64(raw);
        bytes = withStatus(raw, copy.status);
      } else if (message.raw !== undefined) copy.raw = recipientCopy(message.raw, recipientChat, isGroup ? sender.wid : undefined);
      this.#receive(recipient, recipientChat, copy, bytes);
      this.ack(sender, chatJid, message.id, 2, isGroup ? recipient.wid : undefined);
    });
  }

  #scheduleScripted(user: UserData, sender: AccountData, chatJid: string, message: MessageData): void {
    const context = this.#context();
    const { deliverAfterMs, readAfterMs, echo } = user.behaviour;
    if (deliverAfterMs === null) return;
    const participant = isGroupJid(chatJid) ? user.jid : undefined;
    const reply = (): void => {
      if (echo && !isGroupJid(chatJid) && message.text !== undefined) this.send(user.jid, `echo: ${message.text}`, { to: sender.wid });
    };
    context.schedule(deliverAfterMs, () => {
      this.ack(sender, chatJid, message.id, 2, participant);
      if (readAfterMs === null) return reply();
      context.schedule(readAfterMs, () => {
        this.ack(sender, chatJid, message.id, 3, participant);
        reply();
      });
    });
  }

  #advance(user: UserData, account: AccountData, chatJid: string, status: 'DELIVERY_ACK' | 'READ'): void {
    const { world } = this.#context();
    const chat = world.chat(account, isGroupJid(chatJid) ? chatJid : checkUserJid(chatJid));
    if (!chat) return;
    const participant = isGroupJid(chat.jid) ? user.jid : undefined;
    for (const message of chat.messages) {
      if (!message.fromMe) continue;
      if (!isGroupJid(chat.jid) && statusRank[message.status] >= statusRank[status]) continue;
      // Reading implies receiving: a message read before it was delivered gets both acks.
      if (status === 'READ' && statusRank[message.status] < statusRank.DELIVERY_ACK) this.ack(account, chat.jid, message.id, 2, participant);
      this.ack(account, chat.jid, message.id, status === 'READ' ? 3 : 2, participant);
    }
  }

  #chatState(fromJid: string, type: PresenceType, chat: string | undefined): void {
    const context = this.#context();
    const { world } = context;
    const t = this.#seconds();
    const targets: Array<{ account: AccountData; payload: Record<string, unknown> }> = [];
    if (chat !== undefined && isGroupJid(chat)) {
      for (const account of world.accountsInChat(chat, fromJid)) targets.push({ account, payload: { id: chat, participant: fromJid, type, t } });
    } else if (chat !== undefined) {
      const account = world.account(chat);
      if (account) targets.push({ account, payload: { id: fromJid, type, t } });
    } else {
      for (const account of world.accounts) {
        if (account.wid !== fromJid && world.chat(account, fromJid)) targets.push({ account, payload: { id: fromJid, type, t } });
      }
    }
    for (const { account, payload } of targets) {
      for (const connection of context.connectionsOf(account.wid)) {
        context.whenPhoneReachable(account.wid, () => connection.pushJson(['Presence', payload]));
      }
    }
  }
}

function presencePayload(user: UserData): Record<string, unknown> {
  return user.presence === 'unavailable' ? { id: user.jid, type: 'unavailable', t: user.lastSeen } : { id: user.jid, type: user.presence };
}
