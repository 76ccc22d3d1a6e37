/**
 * Small builders for the messages a client sends and a server emulation produces, so both write
 * them the same way the web client did. They only assemble objects; the encoder checks them.
 * @module
 */
import type { Int64Input } from './field-spec.js';
import type { Message, MessageInput, WebMessageInfoInput, WebMessageInfoStatus } from './generated/schema.js';

/** The message a text replies to (shown quoted above it). */
export interface QuotedMessage {
  /** Id of the quoted message (`key.id`). */
  id: string;
  /** JID of the quoted message's author. */
  participant: string;
  /** Content of the quoted message, shown in the quote. */
  message?: MessageInput;
  /** The quoted message's chat: set when quoting in a group (`contextInfo.remoteJid`), as the web client did. */
  remoteJid?: string;
}

/** What {@link textMessage} needs. */
export interface TextMessageOptions {
  /** Chat JID, e.g. `15551234567@s.whatsapp.net` or `<id>@g.us`. */
  remoteJid: string;
  fromMe: boolean;
  /** Message id, e.g. from {@link generateMessageId}. */
  id: string;
  text: string;
  /** Unix seconds. */
  timestamp: Int64Input;
  /** Usually `PENDING` for a message about to be sent. Left out when absent. */
  status?: WebMessageInfoStatus | number;
  /** Sender inside a group chat. */
  participant?: string;
  /** Makes the text a reply. */
  quoted?: QuotedMessage;
  /** JIDs mentioned in the text (the text itself holds `@<number>`). */
  mentions?: readonly string[];
}

/**
 * A text message as the web client sent it: plain `conversation` text, or an
 * `extendedTextMessage` with context info when it quotes or mentions.
 * @example
 * ```ts
 * const bytes = encodeWebMessageInfo(textMessage({
 *   remoteJid: '15551234567@s.whatsapp.net',
 *   fromMe: true,
 *   id: generateMessageId(),
 *   text: 'hello',
 *   timestamp: Math.floor(Date.now() / 1000),
 *   status: 'PENDING',
 * }));
 * ```
 */
export function textMessage(options: TextMessageOptions): WebMessageInfoInput {
  const { remoteJid, fromMe, id, text, timestamp, status, participant, quoted, mentions } = options;
  const hasMentions = mentions !== undefined && mentions.length > 0;
  let message: MessageInput;
  if (quoted || hasMentions) {
    message = {
      extendedTextMessage: {
        text,
        contextInfo: {
          ...(quoted && { stanzaId: quoted.id, participant: quoted.participant, quotedMessage: quoted.message }),
          ...(quoted?.remoteJid !== undefined && { remoteJid: quoted.remoteJid }),
          ...(hasMentions && { mentionedJid: mentions }),
        },
      },
    };
  } else {
    message = { conversation: text };
  }
  return {
    key: { remoteJid, fromMe, id },
    message,
    messageTimestamp: timestamp,
    ...(status !== undefined && { status }),
    ...(participant !== undefined && { participant }),
  };
}

/** What {@link revokeMessage} needs. */
export interface RevokeMessageOptions {
  /** Chat JID of both the revoke and the revoked message. */
  remoteJid: string;
  /** Id of the revoke message itself. */
  id: string;
  /** Id of the message to delete for everyone (one this account sent). */
  targetId: string;
  /** Unix seconds. */
  timestamp: Int64Input;
  status?: WebMessageInfoStatus | number;
}

/**
 * "Delete for everyone" as the sender transmits it: a protocol message of type `REVOKE` naming the
 * target. (Recipients then store the target as a stub with `messageStubType: 'REVOKE'`.)
 * @example
 * ```ts
 * encodeWebMessageInfo(revokeMessage({
 *   remoteJid: '15551234567@s.whatsapp.net', id: generateMessageId(),
 *   targetId: '3EB0C431E2A5F0A1B2C3', timestamp: 1584004500,
 * }));
 * ```
 */
export function revokeMessage(options: RevokeMessageOptions): WebMessageInfoInput {
  const { remoteJid, id, targetId, timestamp, status } = options;
  return {
    key: { remoteJid, fromMe: true, id },
    message: { protocolMessage: { key: { remoteJid, fromMe: true, id: targetId }, type: 'REVOKE' } },
    messageTimestamp: timestamp,
    ...(status !== undefined && { status }),
  };
}

/**
 * Random bytes for message ids, drawn 1 KiB at a time: one `getRandomValues` call per id cost
 * more than the rest of building it. Every byte is handed out once, then wiped.
 */
const idPool = /* @__PURE__ */ new Uint8Array(1024);
let idPoolOffset = idPool.length;
/** `00` … `FF`, upper case. */
const HEX_BYTES: readonly string[] = /* @__PURE__ */ Array.from({ length: 256 }, (_, byte) => byte.toString(16).toUpperCase().padStart(2, '0'));

/**
 * A message id in the form the web client used: `3EB0` and 16 upper-case hex digits
 * (8 random bytes from the platform's `crypto.getRandomValues`).
 * @example
 * ```ts
 * generateMessageId(); // e.g. '3EB0C431E2A5F0A1B2C3'
 * ```
 */
export function generateMessageId(): string {
  if (idPoolOffset + 8 > idPool.length) {
    crypto.getRandomValues(idPool);
    idPoolOffset = 0;
  }
  let hex = '3EB0';
  for (let i = idPoolOffset; i < idPoolOffset + 8; i++) {
    hex += HEX_BYTES[idPool[i]!];
    // Each random byte serves one id only.
    idPool[i] = 0;
  }
  idPoolOffset += 8;
  return hex;
}


/**
 * The text a message shows: plain text, extended text, the caption of an image or video, or
 * the title of a document; undefined for messages without text.
 * @example
 * ```ts
 * messageText({ conversation: 'hi' });                      // 'hi'
 * messageText({ imageMessage: { caption: 'look' } });        // 'look'
 * messageText({ protocolMessage: { type: 'REVOKE' } });      // undefined
 * messageText({ ephemeralMessage: { message: { conversation: 'gone soon' } } }); // 'gone soon'
 * ```
 */
export function messageText(message: Message): string | undefined {
  const text =
    message.conversation ??
    message.extendedTextMessage?.text ??
    message.imageMessage?.caption ??
    message.videoMessage?.caption ??
    message.documentMessage?.title;
  // A message in a chat with disappearing messages on: the text is inside the wrapper.
  const inner = message.ephemeralMessage?.message;
  return text ?? (inner === undefined ? undefined : messageText(inner));
}
