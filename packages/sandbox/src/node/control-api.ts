/**
 * The control plane: everything a test outside the process needs, as JSON over HTTP on the
 * sandbox's port. A small table of routes (the OpenAPI document in `openapi.ts` describes exactly
 * these), a bearer token when one is set, and typed errors `{ error, message }`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fromBase64 } from '@wa/crypto';
import { decodeMessage, decodeWebMessageInfo } from '@wa/proto';
import { SandboxError, type SandboxErrorCode } from '../errors.js';
import { contactGroupAction } from './group-routes.js';
import type { MediaUploadType } from '../media.js';
import type { Sandbox } from '../sandbox.js';
import type { ChatTarget, LocationSendOptions, MediaSendOptions } from '../scripting.js';
import type { ForcedLoginStatus } from '../faults.js';
import { isGroupJid } from '../world/jid.js';
import type { AccountData, ChatData, ContactBehaviour, MessageData, PresenceType, UserData } from '../world/types.js';
import { readBytes, sendJson } from './http-io.js';
import { controlOpenApi } from './openapi.js';

/** Bodies of control requests are small JSON objects. */
export const CONTROL_BODY_LIMIT = 64 * 1024;
/** `POST /contacts/{jid}/messages` carries media as Base64: up to 16 MiB of JSON (about 12 MiB of file). */
export const MESSAGE_BODY_LIMIT = 16 * 1024 * 1024;
/** Messages listed by `GET /chats/{jid}/messages` unless `limit` says otherwise. */
const DEFAULT_MESSAGE_LIMIT = 100;
const MAX_MESSAGE_LIMIT = 1000;

/** HTTP methods of the control routes. */
export type ControlMethod = 'GET' | 'POST';

/** A control route as the OpenAPI document names it (`/contacts/{jid}/messages`). */
export interface ControlRoute {
  method: ControlMethod;
  path: string;
}

/** Routes of the media server on the same port (handled before the control plane, open to any Origin). */
export const MEDIA_ROUTES: readonly ControlRoute[] = [
  { method: 'POST', path: '/mms/{type}/{token}' },
  { method: 'GET', path: '/d/f/{file}' },
  { method: 'GET', path: '/pp/{file}' },
];

/** An error the control plane answers with `status` and `{ error: code, message }`. */
export class ControlError extends Error {
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ControlError';
    this.status = status;
    this.code = code;
  }
}

/** HTTP statuses of the sandbox's own errors. */
const errorStatus: Partial<Record<SandboxErrorCode, number>> = {
  QR_MALFORMED: 400,
  BAD_PUBLIC_KEY: 400,
  INVALID_ARGUMENT: 400,
  STATE_INVALID: 400,
  REF_UNKNOWN: 404,
  NOT_FOUND: 404,
  CLIENT_ID_MISMATCH: 409,
  REF_EXPIRED: 410,
  CLOSED: 503,
};

interface Call {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON object of a POST (`{}` when the body is empty). */
  body: Record<string, unknown>;
  /** The body as text (routes with `rawBody`). */
  raw: string;
  httpUrl: string;
}

interface Reply {
  status?: number;
  body: unknown;
}

interface Route extends ControlRoute {
  /** The handler reads the body itself (`POST /scan` takes QR text or JSON). */
  rawBody?: boolean;
  bodyLimit?: number;
  /** The `error` of a 413 (`POST /scan` keeps its original `INVALID_ARGUMENT`). */
  tooLargeCode?: string;
  handle(sandbox: Sandbox, call: Call): Reply;
}

/** How the control plane is protected: the token every request must carry, if any. */
export interface ControlOptions {
  httpUrl: string;
  token?: string | undefined;
}

// ---------------------------------------------------------------------------------------------
// Arguments

function field(body: Record<string, unknown>, name: string, type: 'string' | 'number' | 'boolean'): unknown {
  const value = body[name];
  if (value !== undefined && typeof value !== type) throw new ControlError(400, 'INVALID_ARGUMENT', `${name} must be a ${type}`);
  return value;
}

function optionalString(body: Record<string, unknown>, name: string): string | undefined {
  return field(body, name, 'string') as string | undefined;
}

function chatTarget(body: Record<string, unknown>): ChatTarget {
  const target: ChatTarget = {};
  const to = optionalString(body, 'to');
  const group = optionalString(body, 'group');
  if (to !== undefined) target.to = to;
  if (group !== undefined) {
    if (!isGroupJid(group)) throw new ControlError(400, 'INVALID_ARGUMENT', `group must be a group id (…@g.us), got ${group}`);
    target.group = group;
  }
  return target;
}

/** The account named by `account` (query or body), default the first account. */
function accountOf(sandbox: Sandbox, wid: string | undefined): AccountData {
  return sandbox.world.requireAccount(wid ?? sandbox.phone.wid);
}

function object(value: unknown, name: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ControlError(400, 'INVALID_ARGUMENT', `${name} must be a JSON object`);
  return value as Record<string, unknown>;
}

function delay(body: Record<string, unknown>, name: 'deliverAfterMs' | 'readAfterMs'): number | null | undefined {
  const value = body[name];
  if (value === undefined || value === null) return value;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ControlError(400, 'INVALID_ARGUMENT', `${name} must be a number ≥ 0 or null (never)`);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Views: what the routes answer (described in openapi.ts)

/** A stored message as the control plane shows it. */
export interface MessageView {
  id: string;
  fromMe: boolean;
  participant?: string;
  t: number;
  status: MessageData['status'];
  /** `text`, `image`, `video`, `audio`, `document`, `sticker`, `location` or `other`. */
  kind: string;
  text?: string;
  caption?: string;
  mimetype?: string;
  fileName?: string;
  location?: { latitude: number; longitude: number; name?: string; address?: string };
}

const mediaKinds: Readonly<Record<string, string>> = {
  imageMessage: 'image',
  videoMessage: 'video',
  audioMessage: 'audio',
  documentMessage: 'document',
  stickerMessage: 'sticker',
};

function messageView(message: MessageData): MessageView {
  const view: MessageView = { id: message.id, fromMe: message.fromMe, t: message.t, status: message.status, kind: 'other' };
  if (message.participant !== undefined) view.participant = message.participant;
  if (message.text !== undefined) {
    view.kind = 'text';
    view.text = message.text;
    return view;
  }
  let content: Record<string, unknown> | undefined;
  try {
    if (message.content !== undefined) content = decodeMessage(fromBase64(message.content)) as Record<string, unknown>;
    else if (message.raw !== undefined) content = decodeWebMessageInfo(fromBase64(message.raw)).message as Record<string, unknown> | undefined;
  } catch {
    return view;
  }
  if (!content) return view;
  for (const [key, kind] of Object.entries(mediaKinds)) {
    const media = content[key] as { caption?: string; mimetype?: string; fileName?: string } | undefined;
    if (!media) continue;
    view.kind = kind;
    if (typeof media.caption === 'string') view.caption = media.caption;
    if (typeof media.mimetype === 'string') view.mimetype = media.mimetype;
    if (typeof media.fileName === 'string') view.fileName = media.fileName;
    return view;
  }
  const pin = content.locationMessage as { degreesLatitude?: number; degreesLongitude?: number; name?: string; address?: string } | undefined;
  if (pin) {
    view.kind = 'location';
    const location: NonNullable<MessageView['location']> = { latitude: pin.degreesLatitude ?? 0, longitude: pin.degreesLongitude ?? 0 };
    if (typeof pin.name === 'string') location.name = pin.name;
    if (typeof pin.address === 'string') location.address = pin.address;
    view.location = location;
  }
  return view;
}

function contactView(sandbox: Sandbox, user: UserData): Record<string, unknown> {
  return {
    jid: user.jid,
    name: user.name,
    status: user.status,
    presence: user.presence,
    lastSeen: user.lastSeen,
    hasPicture: user.pictureUrl !== undefined || user.picture !== undefined,
    isAccount: sandbox.world.account(user.jid) !== undefined,
    behaviour: { ...user.behaviour },
  };
}

function chatView(sandbox: Sandbox, account: AccountData, chat: ChatData): Record<string, unknown> {
  const view: Record<string, unknown> = {
    jid: chat.jid,
    isGroup: isGroupJid(chat.jid),
    unread: chat.unread,
    t: chat.t,
    mute: chat.mute,
    archived: chat.archived,
    messageCount: chat.messages.length,
  };
  const name = sandbox.world.displayName(account, chat.jid);
  if (name !== undefined) view.name = name;
  if (chat.pin !== undefined) view.pin = chat.pin;
  return view;
}

function faultsView(sandbox: Sandbox): Record<string, unknown> {
  const { faults } = sandbox;
  return { frameDelayMs: faults.frameDelayMs, refusingRefs: faults.refusingRefs, challengeForced: faults.challengeForced, loginStatus: faults.loginStatus ?? null };
}

// ---------------------------------------------------------------------------------------------
// Routes

function scan(sandbox: Sandbox, call: Call): Reply {
  let qr = call.raw.trim();
  let wid: string | undefined;
  if (qr.startsWith('{')) {
    try {
      const parsed = JSON.parse(qr) as { qr?: unknown; wid?: unknown };
      qr = typeof parsed.qr === 'string' ? parsed.qr : '';
      wid = typeof parsed.wid === 'string' ? parsed.wid : undefined;
    } catch {
      throw new ControlError(400, 'QR_MALFORMED', 'body is neither QR text nor JSON {"qr": …}');
    }
  }
  const phone = wid === undefined ? sandbox.phone : sandbox.phoneOf(wid);
  return { body: { ok: true, ...phone.scan(qr) } };
}

function sendMessage(sandbox: Sandbox, call: Call): Reply {
  const contact = sandbox.contact(call.params.jid!);
  const body = call.body;
  const target = chatTarget(body);
  const kinds = (['text', 'media', 'location'] as const).filter((name) => body[name] !== undefined);
  if (kinds.length !== 1) throw new ControlError(400, 'INVALID_ARGUMENT', 'give exactly one of text, media, location');
  let message: MessageData;
  if (kinds[0] === 'text') {
    const text = optionalString(body, 'text')!;
    message = contact.sendText(text, target);
  } else if (kinds[0] === 'media') {
    const media = object(body.media, 'media');
    const type = optionalString(media, 'type');
    const data = optionalString(media, 'data');
    if (type === undefined || data === undefined) throw new ControlError(400, 'INVALID_ARGUMENT', 'media needs type and data (Base64)');
    let bytes: Uint8Array;
    try {
      bytes = fromBase64(data);
    } catch {
      throw new ControlError(400, 'INVALID_ARGUMENT', 'media.data must be standard Base64');
    }
    const options: MediaSendOptions = { ...target };
    for (const name of ['mimetype', 'caption', 'fileName'] as const) {
      const value = optionalString(media, name);
      if (value !== undefined) options[name] = value;
    }
    const seconds = field(media, 'seconds', 'number') as number | undefined;
    if (seconds !== undefined) options.seconds = seconds;
    const ptt = field(media, 'ptt', 'boolean') as boolean | undefined;
    if (ptt !== undefined) options.ptt = ptt;
    message = contact.sendMedia(type as MediaUploadType, bytes, options);
  } else {
    const location = object(body.location, 'location');
    const pin: LocationSendOptions = { latitude: field(location, 'latitude', 'number') as number, longitude: field(location, 'longitude', 'number') as number };
    for (const name of ['name', 'address', 'url'] as const) {
      const value = optionalString(location, name);
      if (value !== undefined) pin[name] = value;
    }
    message = contact.sendLocation(pin, target);
  }
  return { status: 201, body: { message: messageView(message) } };
}

function setBehaviour(sandbox: Sandbox, call: Call): Reply {
  const contact = sandbox.contact(call.params.jid!);
  const change: Partial<ContactBehaviour> = {};
  const deliver = delay(call.body, 'deliverAfterMs');
  const read = delay(call.body, 'readAfterMs');
  const echo = field(call.body, 'echo', 'boolean') as boolean | undefined;
  if (deliver !== undefined) change.deliverAfterMs = deliver;
  if (read !== undefined) change.readAfterMs = read;
  if (echo !== undefined) change.echo = echo;
  contact.configure(change);
  return { body: { behaviour: { ...contact.info.behaviour } } };
}

function toggle(body: Record<string, unknown>): boolean {
  return (field(body, 'on', 'boolean') as boolean | undefined) ?? true;
}

const ok: Reply = { body: { ok: true } };

/** What `POST /phone/chats/{jid}/{action}` can make the phone do (phone-actions.ts). */
const PHONE_CHAT_ACTIONS = ['read', 'unread', 'archive', 'unarchive', 'pin', 'unpin', 'mute', 'unmute', 'delete', 'clear'] as const;

function phoneChatRoute(sandbox: Sandbox, call: Call): Reply {
  const action = call.params.action!;
  const jid = call.params.jid!;
  const account = accountOf(sandbox, optionalString(call.body, 'account'));
  const phone = sandbox.phoneOf(account.wid);
  switch (action as (typeof PHONE_CHAT_ACTIONS)[number]) {
    case 'read':
      phone.readChat(jid);
      break;
    case 'unread':
      phone.markUnread(jid);
      break;
    case 'archive':
      phone.archiveChat(jid);
      break;
    case 'unarchive':
      phone.unarchiveChat(jid);
      break;
    case 'pin':
      phone.pinChat(jid);
      break;
    case 'unpin':
      phone.unpinChat(jid);
      break;
    case 'mute': {
      const untilMs = field(call.body, 'untilMs', 'number') as number | undefined;
      if (untilMs === undefined) throw new ControlError(400, 'INVALID_ARGUMENT', 'untilMs (ms since the epoch, in the future) is required');
      phone.muteChat(jid, untilMs);
      break;
    }
    case 'unmute':
      phone.muteChat(jid, null);
      break;
    case 'delete':
      phone.deleteChat(jid);
      break;
    case 'clear':
      phone.clearChat(jid, { keepStarred: (field(call.body, 'keepStarred', 'boolean') as boolean | undefined) === true });
      break;
    default:
      throw new ControlError(404, 'NOT_FOUND', `no phone chat action ${action.slice(0, 32)}; one of ${PHONE_CHAT_ACTIONS.join(', ')}`);
  }
  return { body: { account: account.wid, chat: jid, action } };
}

function phoneBatteryRoute(sandbox: Sandbox, call: Call): Reply {
  const value = field(call.body, 'value', 'number') as number | undefined;
  if (value === undefined) throw new ControlError(400, 'INVALID_ARGUMENT', 'value (0–100) is required');
  const account = accountOf(sandbox, optionalString(call.body, 'account'));
  const options: { plugged?: boolean; powersave?: boolean } = {};
  const plugged = field(call.body, 'plugged', 'boolean') as boolean | undefined;
  const powersave = field(call.body, 'powersave', 'boolean') as boolean | undefined;
  if (plugged !== undefined) options.plugged = plugged;
  if (powersave !== undefined) options.powersave = powersave;
  sandbox.phoneOf(account.wid).setBattery(value, options);
  const updated = sandbox.world.requireAccount(account.wid);
  return { body: { account: account.wid, battery: updated.battery, plugged: updated.plugged, powersave: updated.powersave === true } };
}

const routes: readonly Route[] = [
  { method: 'GET', path: '/', handle: (sandbox) => ({ body: { waiting: sandbox.waitingRefs(), sessions: sandbox.sessions(), stats: sandbox.stats } }) },
  { method: 'GET', path: '/status', handle: (sandbox) => ({ body: { waiting: sandbox.waitingRefs(), sessions: sandbox.sessions(), stats: sandbox.stats } }) },
  { method: 'GET', path: '/openapi.json', handle: (_sandbox, call) => ({ body: controlOpenApi(call.httpUrl) }) },
  { method: 'POST', path: '/scan', rawBody: true, tooLargeCode: 'INVALID_ARGUMENT', handle: scan },
  {
    method: 'GET',
    path: '/accounts',
    handle: (sandbox) => ({
      body: {
        accounts: sandbox.world.accounts.map((account) => ({
          wid: account.wid,
          name: sandbox.world.requireUser(account.wid).name,
          reachable: account.reachable,
          platform: account.platform,
          battery: account.battery,
          contacts: account.contacts.map((entry) => ({ ...entry })),
          sessions: sandbox.phoneOf(account.wid).sessions(),
        })),
      },
    }),
  },
  { method: 'GET', path: '/contacts', handle: (sandbox) => ({ body: { contacts: sandbox.world.users.map((user) => contactView(sandbox, user)) } }) },
  { method: 'GET', path: '/contacts/{jid}', handle: (sandbox, call) => ({ body: contactView(sandbox, sandbox.world.requireUser(call.params.jid!)) }) },
  { method: 'POST', path: '/contacts/{jid}/messages', bodyLimit: MESSAGE_BODY_LIMIT, handle: sendMessage },
  {
    method: 'POST',
    path: '/contacts/{jid}/read',
    handle: (sandbox, call) => {
      sandbox.contact(call.params.jid!).readMessages(chatTarget(call.body));
      return ok;
    },
  },
  {
    method: 'POST',
    path: '/contacts/{jid}/receive',
    handle: (sandbox, call) => {
      sandbox.contact(call.params.jid!).receiveMessages(chatTarget(call.body));
      return ok;
    },
  },
  {
    method: 'POST',
    path: '/contacts/{jid}/presence',
    handle: (sandbox, call) => {
      const contact = sandbox.contact(call.params.jid!);
      const type = optionalString(call.body, 'type');
      if (type === undefined) throw new ControlError(400, 'INVALID_ARGUMENT', 'type is required: available, unavailable, composing, recording or paused');
      contact.setPresence(type as PresenceType, chatTarget(call.body));
      return ok;
    },
  },
  {
    method: 'POST',
    path: '/contacts/{jid}/status',
    handle: (sandbox, call) => {
      const contact = sandbox.contact(call.params.jid!);
      const text = optionalString(call.body, 'text');
      if (text === undefined) throw new ControlError(400, 'INVALID_ARGUMENT', 'text is required');
      contact.setStatus(text);
      return ok;
    },
  },
  {
    method: 'POST',
    path: '/contacts/{jid}/name',
    handle: (sandbox, call) => {
      const name = optionalString(call.body, 'name');
      if (name === undefined) throw new ControlError(400, 'INVALID_ARGUMENT', 'name is required');
      sandbox.contact(call.params.jid!).setName(name);
      return ok;
    },
  },
  { method: 'POST', path: '/contacts/{jid}/behaviour', handle: setBehaviour },
  { method: 'POST', path: '/contacts/{jid}/groups', handle: (sandbox, call) => ({ body: contactGroupAction(sandbox.contact(call.params.jid!), call.body) }) },
  { method: 'GET', path: '/groups', handle: (sandbox) => ({ body: { groups: sandbox.world.groups.map((group) => structuredClone(group)) } }) },
  {
    method: 'GET',
    path: '/chats',
    handle: (sandbox, call) => {
      const account = accountOf(sandbox, call.query.get('account') ?? undefined);
      return { body: { account: account.wid, chats: sandbox.world.chatsOf(account).map((chat) => chatView(sandbox, account, chat)) } };
    },
  },
  {
    method: 'GET',
    path: '/chats/{jid}/messages',
    handle: (sandbox, call) => {
      const account = accountOf(sandbox, call.query.get('account') ?? undefined);
      const chat = sandbox.world.chat(account, call.params.jid!);
      if (!chat) throw new ControlError(404, 'NOT_FOUND', `${account.wid} has no chat ${call.params.jid}`);
      const text = call.query.get('limit');
      const limit = text === null ? DEFAULT_MESSAGE_LIMIT : Number(text);
      if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_MESSAGE_LIMIT) throw new ControlError(400, 'INVALID_ARGUMENT', `limit must be 1..${MAX_MESSAGE_LIMIT}`);
      return { body: { account: account.wid, chat: chat.jid, messages: chat.messages.slice(-limit).map(messageView) } };
    },
  },
  { method: 'GET', path: '/sessions', handle: (sandbox) => ({ body: { sessions: sandbox.sessions() } }) },
  {
    method: 'POST',
    path: '/phone/reachable',
    handle: (sandbox, call) => {
      const reachable = field(call.body, 'reachable', 'boolean') as boolean | undefined;
      if (reachable === undefined) throw new ControlError(400, 'INVALID_ARGUMENT', 'reachable (true or false) is required');
      const account = accountOf(sandbox, optionalString(call.body, 'account'));
      sandbox.phoneOf(account.wid).setReachable(reachable);
      return { body: { account: account.wid, reachable } };
    },
  },
  {
    method: 'POST',
    path: '/phone/unpair',
    handle: (sandbox, call) => {
      const account = accountOf(sandbox, optionalString(call.body, 'account'));
      return { body: { account: account.wid, unpaired: sandbox.phoneOf(account.wid).unpair(optionalString(call.body, 'clientId')) } };
    },
  },
  ...(['block', 'unblock'] as const).map((action) => ({
    method: 'POST' as const,
    path: `/phone/${action}`,
    handle: (sandbox: Sandbox, call: { body: Record<string, unknown> }): Reply => {
      const jid = optionalString(call.body, 'jid');
      if (jid === undefined) throw new ControlError(400, 'INVALID_ARGUMENT', 'jid is required');
      const phone = sandbox.phoneOf(accountOf(sandbox, optionalString(call.body, 'account')).wid);
      phone[action](jid);
      return { body: { account: phone.wid, blocklist: phone.blocklist() } };
    },
  })),
  { method: 'POST', path: '/phone/chats/{jid}/{action}', handle: phoneChatRoute },
  { method: 'POST', path: '/phone/battery', handle: phoneBatteryRoute },
  { method: 'GET', path: '/faults', handle: (sandbox) => ({ body: faultsView(sandbox) }) },
  {
    method: 'POST',
    path: '/faults/drop-socket',
    handle: (sandbox, call) => {
      const target: { wid?: string; clientId?: string } = {};
      const account = optionalString(call.body, 'account');
      const clientId = optionalString(call.body, 'clientId');
      if (account !== undefined) target.wid = sandbox.world.requireAccount(account).wid;
      if (clientId !== undefined) target.clientId = clientId;
      return { body: { dropped: sandbox.faults.dropSocket(target) } };
    },
  },
  {
    method: 'POST',
    path: '/faults/delay-frames',
    handle: (sandbox, call) => {
      const ms = field(call.body, 'ms', 'number') as number | undefined;
      if (ms === undefined) throw new ControlError(400, 'INVALID_ARGUMENT', 'ms is required (0 turns the delay off)');
      sandbox.faults.delayFrames(ms);
      return { body: faultsView(sandbox) };
    },
  },
  {
    method: 'POST',
    path: '/faults/corrupt-hmac',
    handle: (sandbox, call) => {
      sandbox.faults.corruptHmac((field(call.body, 'count', 'number') as number | undefined) ?? 1);
      return { body: faultsView(sandbox) };
    },
  },
  {
    method: 'POST',
    path: '/faults/refuse-refs',
    handle: (sandbox, call) => {
      sandbox.faults.refuseRefs(toggle(call.body));
      return { body: faultsView(sandbox) };
    },
  },
  {
    method: 'POST',
    path: '/faults/force-challenge',
    handle: (sandbox, call) => {
      sandbox.faults.forceChallenge(toggle(call.body));
      return { body: faultsView(sandbox) };
    },
  },
  {
    method: 'POST',
    path: '/faults/login-status',
    handle: (sandbox, call) => {
      const status = call.body.status;
      if (status !== null && typeof status !== 'number') throw new ControlError(400, 'INVALID_ARGUMENT', 'status must be 401, 403, 405, 409, 419 or null (off)');
      const tos = field(call.body, 'tos', 'number') as number | undefined;
      const mode = optionalString(call.body, 'mode');
      if (mode !== undefined && mode !== 'takeover' && mode !== 'reconnect') throw new ControlError(400, 'INVALID_ARGUMENT', 'mode must be takeover or reconnect');
      const options: { tos?: number; mode?: 'takeover' | 'reconnect' } = {};
      if (tos !== undefined) options.tos = tos;
      if (mode !== undefined) options.mode = mode;
      sandbox.faults.forceLoginStatus(status as ForcedLoginStatus | null, options);
      return { body: faultsView(sandbox) };
    },
  },
  { method: 'POST', path: '/faults/expire-refs', handle: (sandbox) => ({ body: { expired: sandbox.faults.expireRefs() } }) },
  {
    method: 'POST',
    path: '/faults/reset',
    handle: (sandbox) => {
      sandbox.faults.reset();
      return { body: faultsView(sandbox) };
    },
  },
  { method: 'GET', path: '/state', handle: (sandbox) => ({ body: sandbox.exportState() }) },
];

/** Every control route (method and path template), in the order they are matched. */
export const CONTROL_ROUTES: readonly ControlRoute[] = routes.map(({ method, path }) => ({ method, path }));

function match(template: string, pathname: string): Record<string, string> | undefined {
  const want = template.split('/');
  const got = pathname.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let index = 0; index < want.length; index += 1) {
    const part = want[index]!;
    const actual = got[index]!;
    if (part.startsWith('{') && part.endsWith('}')) {
      if (actual === '') return undefined;
      try {
        params[part.slice(1, -1)] = decodeURIComponent(actual);
      } catch {
        throw new ControlError(400, 'INVALID_ARGUMENT', `path segment ${actual.slice(0, 64)} is not valid percent-encoding`);
      }
    } else if (part !== actual) return undefined;
  }
  return params;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** Whether the request carries `Authorization: Bearer <token>`, compared in constant time. */
function authorized(request: IncomingMessage, token: string): boolean {
  const header = request.headers.authorization;
  const given = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
  // Digests have one length whatever was sent, so the comparison takes the same time for any guess.
  return timingSafeEqual(digest(given), digest(token)) && given !== '';
}

function fail(response: ServerResponse, error: ControlError, headers: Record<string, string> = {}): void {
  sendJson(response, error.status, { error: error.code, message: error.message }, headers);
}

/**
 * Answers one control request: Origin check (web pages may not drive the phone), bearer token,
 * route, body, handler, typed errors.
 */
export async function handleControl(sandbox: Sandbox, request: IncomingMessage, response: ServerResponse, url: URL, options: ControlOptions): Promise<void> {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== options.httpUrl) return fail(response, new ControlError(403, 'FORBIDDEN', 'cross-origin requests are refused'));
  if (options.token !== undefined && !authorized(request, options.token)) {
    return fail(response, new ControlError(401, 'UNAUTHORIZED', 'missing or wrong bearer token (Authorization: Bearer <token>)'), { 'www-authenticate': 'Bearer realm="wa-sandbox"' });
  }
  try {
    let route: Route | undefined;
    let params: Record<string, string> | undefined;
    const allowed: string[] = [];
    for (const candidate of routes) {
      const found = match(candidate.path, url.pathname);
      if (!found) continue;
      if (candidate.method !== request.method) {
        allowed.push(candidate.method);
        continue;
      }
      route = candidate;
      params = found;
      break;
    }
    if (!route || !params) {
      if (allowed.length > 0) return fail(response, new ControlError(405, 'METHOD_NOT_ALLOWED', `${url.pathname} takes ${allowed.join(', ')}`), { allow: allowed.join(', ') });
      throw new ControlError(404, 'NOT_FOUND', `no route ${request.method ?? ''} ${url.pathname.slice(0, 200)}; GET /openapi.json lists them all`);
    }
    const call: Call = { params, query: url.searchParams, body: {}, raw: '', httpUrl: options.httpUrl };
    if (route.method === 'POST') {
      try {
        call.raw = (await readBytes(request, route.bodyLimit ?? CONTROL_BODY_LIMIT)).toString('utf8');
      } catch (error) {
        if (!(error instanceof SandboxError)) throw error;
        // Answer 413 and then drop the connection: the rest of an oversized body is never read.
        response.once('finish', () => request.destroy());
        return sendJson(response, 413, { error: route.tooLargeCode ?? 'TOO_LARGE', message: error.message }, { connection: 'close' });
      }
      if (!route.rawBody && call.raw.trim() !== '') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(call.raw);
        } catch (error) {
          throw new ControlError(400, 'BAD_JSON', `body is not JSON: ${(error as Error).message}`);
        }
        call.body = object(parsed, 'the body');
      }
    }
    const reply = route.handle(sandbox, call);
    sendJson(response, reply.status ?? 200, reply.body);
  } catch (error) {
    if (error instanceof ControlError) return fail(response, error);
    if (error instanceof SandboxError) return fail(response, new ControlError(errorStatus[error.code] ?? 400, error.code, error.message));
    throw error;
  }
}

/** Whether `host` is a loopback interface (127.0.0.0/8, `::1`, `localhost`). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare) || /^::ffff:127(\.\d{1,3}){3}$/i.test(bare);
}
