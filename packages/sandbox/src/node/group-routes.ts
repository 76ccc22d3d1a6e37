import { SandboxError } from '../errors.js';
import type { ParticipantOutcome } from '../groups.js';
import type { ContactHandle } from '../scripting.js';

/** What `POST /contacts/{jid}/groups` can make a scripted contact do (`action` of the body). */
export const CONTACT_GROUP_ACTIONS = ['create', 'add', 'remove', 'promote', 'demote', 'subject', 'description', 'leave'] as const;

/** One of {@link CONTACT_GROUP_ACTIONS}. */
export type ContactGroupAction = (typeof CONTACT_GROUP_ACTIONS)[number];

function text(body: Record<string, unknown>, name: string): string {
  const value = body[name];
  if (typeof value !== 'string') throw new SandboxError('INVALID_ARGUMENT', `${name} must be a string`);
  return value;
}

function jids(body: Record<string, unknown>): string[] {
  const value = body.participants;
  if (!Array.isArray(value) || value.length === 0 || value.some((jid) => typeof jid !== 'string')) {
    throw new SandboxError('INVALID_ARGUMENT', 'participants must be a non-empty list of user ids');
  }
  return value as string[];
}

/**
 * The control plane's `POST /contacts/{jid}/groups` body `{action, gid?, subject?, text?,
 * participants?}` as a call of the contact's group methods (scripting.ts → groups.ts). Answers
 * `{gid}` (create, subject, description, leave) or `{gid, participants:[{jid,code}]}`.
 * @throws SandboxError INVALID_ARGUMENT (bad body or a refusal), NOT_FOUND (no such group)
 * @example
 * ```ts
 * contactGroupAction(sandbox.contact(bob), { action: 'create', subject: 'Party', participants: [wid] }); // { gid }
 * ```
 */
export function contactGroupAction(contact: ContactHandle, body: Record<string, unknown>): { gid: string; participants?: ParticipantOutcome[] } {
  const action = body.action;
  if (typeof action !== 'string' || !(CONTACT_GROUP_ACTIONS as readonly string[]).includes(action)) {
    throw new SandboxError('INVALID_ARGUMENT', `action must be one of ${CONTACT_GROUP_ACTIONS.join(', ')}`);
  }
  if (action === 'create') return { gid: contact.createGroup(text(body, 'subject'), jids(body)) };
  const gid = text(body, 'gid');
  switch (action as ContactGroupAction) {
    case 'add':
      return { gid, participants: contact.addToGroup(gid, jids(body)) };
    case 'remove':
      return { gid, participants: contact.removeFromGroup(gid, jids(body)) };
    case 'promote':
      return { gid, participants: contact.promote(gid, jids(body)) };
    case 'demote':
      return { gid, participants: contact.demote(gid, jids(body)) };
    case 'subject':
      contact.setGroupSubject(gid, text(body, 'subject'));
      break;
    case 'description':
      contact.setGroupDescription(gid, text(body, 'text'));
      break;
    default:
      contact.leaveGroup(gid);
  }
  return { gid };
}
