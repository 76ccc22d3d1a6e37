/**
 * The words of the centred system lines of a conversation: group changes ("Alice added Bob",
 * "You changed the subject to "Readers"", "You left") from the group stubs the client stores,
 * and disappearing-message changes, in `@wa/client`'s sentences. A pure function of a stored
 * message and the names.
 */
import { describeMessage, disappearingSentence, groupSentence, groupUpdateFromStub, toChatJid, type MessageEvent } from '@wa/client';
import type { WebMessageInfo } from '@wa/proto';

/**
 * The system line a stored message stands for (a group stub, a disappearing-messages change),
 * or undefined for an ordinary message.
 * @example
 * ```ts
 * systemText(info, gid, meJid, name); // 'Alice added Bob'
 * ```
 */
export function systemText(info: WebMessageInfo, chat: string, meJid: string, name: (jid: string) => string): string | undefined {
  const details = describeMessage(info);
  if (details.kind !== 'stub' && details.kind !== 'ephemeralSetting') return undefined;
  const fromMe = info.key.fromMe === true;
  const participant = info.key.participant ?? info.participant;
  const sender = fromMe ? meJid : participant !== undefined ? toChatJid(participant) : chat;
  if (details.kind === 'ephemeralSetting') return disappearingSentence(name(sender), details.expiration);
  const event = { ...details, info, chat, id: info.key.id ?? '', fromMe, sender, timestamp: Number(info.messageTimestamp ?? 0), source: 'last' } as MessageEvent;
  const update = groupUpdateFromStub(event);
  return update === undefined ? undefined : groupSentence(update, name);
}
