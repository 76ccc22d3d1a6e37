/**
 * The OpenAPI 3.1 document of the control plane (and the media routes on the same port), served
 * at `GET /openapi.json`. A test checks that it names exactly the routes the router serves and
 * that answers validate against these schemas.
 */

/** A JSON Schema object inside the OpenAPI document. */
export type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const num: Schema = { type: 'number' };
const int: Schema = { type: 'integer' };
const bool: Schema = { type: 'boolean' };
const arrayOf = (items: Schema): Schema => ({ type: 'array', items });
const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties), extra = false): Schema => ({
  type: 'object',
  properties,
  required,
  additionalProperties: extra,
});

const userJid: Schema = { type: 'string', pattern: '^\\d{5,20}@c\\.us$' };
const groupJid: Schema = { type: 'string', pattern: '^\\d{5,20}-\\d{1,12}@g\\.us$' };

const schemas: Record<string, Schema> = {
  Error: {
    ...obj({ error: { type: 'string', description: 'A code: BAD_JSON, INVALID_ARGUMENT, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, METHOD_NOT_ALLOWED, TOO_LARGE, or a SandboxError code (QR_MALFORMED, REF_UNKNOWN, …)' }, message: str }),
  },
  Ok: obj({ ok: { const: true } }),
  WaitingRef: obj({ ref: str, clientId: str, connection: str, expiresAt: num }),
  WebSession: obj({ clientId: str, wid: userJid, browser: arrayOf(str), connected: bool }),
  Status: obj({ waiting: arrayOf(ref('WaitingRef')), sessions: arrayOf(ref('WebSession')), stats: { type: 'object', additionalProperties: { type: 'number' } } }),
  ScanResult: obj({ ok: { const: true }, wid: userJid, clientId: str, connection: str }),
  AddressBookEntry: obj({ jid: userJid, name: str, short: str }),
  Account: obj({
    wid: userJid,
    name: str,
    reachable: bool,
    platform: str,
    battery: num,
    contacts: arrayOf(ref('AddressBookEntry')),
    sessions: arrayOf(ref('WebSession')),
  }),
  Behaviour: obj({
    deliverAfterMs: { type: ['number', 'null'], minimum: 0, description: 'ms until ack 2; null = never by itself' },
    readAfterMs: { type: ['number', 'null'], minimum: 0, description: 'ms after delivery until ack 3; null = never by itself' },
    echo: bool,
  }),
  Presence: { type: 'string', enum: ['available', 'unavailable', 'composing', 'recording', 'paused'] },
  Contact: obj({
    jid: userJid,
    name: str,
    status: str,
    presence: ref('Presence'),
    lastSeen: num,
    hasPicture: bool,
    isAccount: bool,
    behaviour: ref('Behaviour'),
  }),
  Participant: obj({ jid: userJid, isAdmin: bool, isSuperAdmin: bool }),
  Group: obj(
    {
      id: groupJid,
      owner: userJid,
      subject: str,
      creation: num,
      desc: str,
      participants: arrayOf(ref('Participant')),
      descId: str,
      descOwner: userJid,
      descTime: num,
      subjectOwner: userJid,
      subjectTime: num,
      announce: bool,
      restrict: bool,
      ephemeral: int,
      inviteCode: str,
      /** A group picture set through the protocol (profile.ts): its id, tag and the JPEGs in Base64. */
      picture: obj({ id: str, tag: str, image: str, preview: str }),
    },
    ['id', 'owner', 'subject', 'creation', 'participants'],
  ),
  Chat: obj(
    { jid: str, name: str, isGroup: bool, unread: int, t: num, mute: num, archived: bool, pin: { type: 'integer', description: 'pinned since (unix s); absent when not pinned' }, messageCount: int },
    ['jid', 'isGroup', 'unread', 't', 'mute', 'archived', 'messageCount'],
  ),
  Location: obj({ latitude: { type: 'number', minimum: -90, maximum: 90 }, longitude: { type: 'number', minimum: -180, maximum: 180 }, name: str, address: str }, ['latitude', 'longitude']),
  Message: obj(
    {
      id: str,
      fromMe: bool,
      participant: userJid,
      t: num,
      status: { type: 'string', enum: ['ERROR', 'PENDING', 'SERVER_ACK', 'DELIVERY_ACK', 'READ', 'PLAYED'] },
      kind: { type: 'string', enum: ['text', 'image', 'video', 'audio', 'document', 'sticker', 'location', 'other'] },
      text: str,
      caption: str,
      mimetype: str,
      fileName: str,
      location: ref('Location'),
    },
    ['id', 'fromMe', 't', 'status', 'kind'],
  ),
  ChatTarget: obj(
    {
      to: { ...userJid, description: 'the account on the other side (default: the first account that knows the contact)' },
      group: { ...groupJid, description: 'a group instead of the 1:1 chat' },
    },
    [],
  ),
  SendMessage: {
    description: 'Exactly one of text, media, location; plus to/group as in ChatTarget.',
    oneOf: [
      obj({ text: str, to: userJid, group: groupJid }, ['text']),
      obj(
        {
          media: obj(
            {
              type: { type: 'string', enum: ['image', 'video', 'audio', 'document', 'sticker'] },
              data: { type: 'string', contentEncoding: 'base64', description: 'the plain file, standard Base64' },
              mimetype: str,
              caption: str,
              fileName: str,
              seconds: num,
              ptt: bool,
            },
            ['type', 'data'],
          ),
          to: userJid,
          group: groupJid,
        },
        ['media'],
      ),
      obj(
        {
          location: obj({ latitude: { type: 'number', minimum: -90, maximum: 90 }, longitude: { type: 'number', minimum: -180, maximum: 180 }, name: str, address: str, url: str }, ['latitude', 'longitude']),
          to: userJid,
          group: groupJid,
        },
        ['location'],
      ),
    ],
  },
  Sent: obj({ message: ref('Message') }),
  Faults: obj({
    frameDelayMs: num,
    refusingRefs: bool,
    challengeForced: bool,
    loginStatus: { oneOf: [{ type: 'null' }, obj({ status: { type: 'integer', enum: [401, 403, 405, 409, 419] }, tos: num, mode: { type: 'string', enum: ['takeover', 'reconnect'] } }, ['status', 'tos'])] },
  }),
  State: {
    type: 'object',
    description: 'exportState(): the world, the paired sessions (keys and tokens: keep it secret) and the newest media. Load it with `wa-sandbox --state <file>`.',
    properties: { version: { const: 1 }, world: { type: 'object' }, sessions: { type: 'array' }, media: { type: 'array' } },
    required: ['version', 'world', 'sessions'],
  },
};

const errorStatuses: Record<string, string> = {
  '400': 'Bad JSON or arguments',
  '401': 'Missing or wrong bearer token (only when the sandbox has a control token)',
  '403': 'A request from a web page (foreign Origin)',
  '404': 'Unknown contact, account, group, chat or ref',
  '409': 'The QR belongs to another client id',
  '410': 'The ref expired',
  '413': 'Body too large',
};

type Operation = {
  summary: string;
  ok?: [status: string, schema: Schema];
  /** Error statuses besides 401 and 403, which every control route may answer. */
  errors?: string[];
  pathParams?: Record<string, string>;
  query?: Array<{ name: string; schema: Schema; description: string }>;
  body?: Schema;
  bodyType?: 'json' | 'scan' | 'blob';
  tag: string;
  /** Media routes: no token, any Origin. */
  open?: boolean;
};

function operation(id: string, spec: Operation): Record<string, unknown> {
  const responses: Record<string, unknown> = {};
  const [status, schema] = spec.ok ?? ['200', ref('Ok')];
  responses[status] = { description: 'Success', content: { 'application/json': { schema } } };
  const errors = spec.open ? (spec.errors ?? []) : ['401', '403', ...(spec.errors ?? [])];
  for (const code of errors) responses[code] = { $ref: `#/components/responses/E${code}` };
  const parameters: unknown[] = [];
  for (const [name, description] of Object.entries(spec.pathParams ?? {})) parameters.push({ name, in: 'path', required: true, description, schema: str });
  for (const query of spec.query ?? []) parameters.push({ name: query.name, in: 'query', required: false, description: query.description, schema: query.schema });
  const result: Record<string, unknown> = { operationId: id, summary: spec.summary, tags: [spec.tag], responses };
  if (parameters.length > 0) result.parameters = parameters;
  if (spec.open) result.security = [];
  if (spec.bodyType === 'scan') {
    result.requestBody = {
      required: true,
      content: {
        'text/plain': { schema: { type: 'string', description: 'the QR text ref,publicKey,clientId' } },
        'application/json': { schema: obj({ qr: str, wid: { ...userJid, description: 'the account whose phone scans (default the first)' } }, ['qr']) },
      },
    };
  } else if (spec.bodyType === 'blob') {
    result.requestBody = { required: true, content: { 'application/octet-stream': { schema: { type: 'string', contentEncoding: 'binary' } } } };
  } else if (spec.body !== undefined) {
    result.requestBody = { required: false, content: { 'application/json': { schema: spec.body } } };
  }
  return result;
}

const jidParam = { jid: 'a user id, `<digits>@c.us`' };
const accountQuery = { name: 'account', schema: userJid, description: 'the account (default: the first)' };

/** Every path and method, as `[path, method, operationId, spec]`. */
const operations: Array<[string, 'get' | 'post', string, Operation]> = [
  ['/', 'get', 'getRoot', { tag: 'login', summary: 'Same as GET /status', ok: ['200', ref('Status')] }],
  ['/status', 'get', 'getStatus', { tag: 'login', summary: 'Waiting QR refs, sessions, counters', ok: ['200', ref('Status')] }],
  ['/openapi.json', 'get', 'getOpenApi', { tag: 'meta', summary: 'This document', ok: ['200', { type: 'object' }] }],
  ['/scan', 'post', 'scan', { tag: 'login', summary: "Play the phone: scan a client's QR text", bodyType: 'scan', ok: ['200', ref('ScanResult')], errors: ['400', '404', '409', '410', '413'] }],
  ['/accounts', 'get', 'listAccounts', { tag: 'world', summary: 'Accounts (phones), their address books and web sessions', ok: ['200', obj({ accounts: arrayOf(ref('Account')) })] }],
  ['/contacts', 'get', 'listContacts', { tag: 'world', summary: 'Every user of the world (account owners included)', ok: ['200', obj({ contacts: arrayOf(ref('Contact')) })] }],
  ['/contacts/{jid}', 'get', 'getContact', { tag: 'world', summary: 'One user', pathParams: jidParam, ok: ['200', ref('Contact')], errors: ['404'] }],
  [
    '/contacts/{jid}/messages',
    'post',
    'contactSend',
    { tag: 'contacts', summary: 'The contact sends a text, a media file or a location (to an account or into a group)', pathParams: jidParam, body: ref('SendMessage'), ok: ['201', ref('Sent')], errors: ['400', '404', '413'] },
  ],
  ['/contacts/{jid}/read', 'post', 'contactRead', { tag: 'contacts', summary: 'The contact reads everything the account sent (ack 3)', pathParams: jidParam, body: ref('ChatTarget'), errors: ['400', '404', '413'] }],
  ['/contacts/{jid}/receive', 'post', 'contactReceive', { tag: 'contacts', summary: 'The contact receives everything the account sent (ack 2)', pathParams: jidParam, body: ref('ChatTarget'), errors: ['400', '404', '413'] }],
  [
    '/contacts/{jid}/presence',
    'post',
    'contactPresence',
    {
      tag: 'contacts',
      summary: 'Online/offline (to subscribed clients) or typing/recording/paused (to the chat or group)',
      pathParams: jidParam,
      body: obj({ type: ref('Presence'), to: userJid, group: groupJid }, ['type']),
      errors: ['400', '404', '413'],
    },
  ],
  ['/contacts/{jid}/status', 'post', 'contactStatus', { tag: 'contacts', summary: 'Set the "about" text', pathParams: jidParam, body: obj({ text: str }), errors: ['400', '404', '413'] }],
  [
    '/contacts/{jid}/name',
    'post',
    'contactName',
    { tag: 'contacts', summary: 'Set the push name (notify, 1–25 characters); accounts that know the contact get a user push', pathParams: jidParam, body: obj({ name: str }), errors: ['400', '404', '413'] },
  ],
  [
    '/contacts/{jid}/behaviour',
    'post',
    'contactBehaviour',
    {
      tag: 'contacts',
      summary: 'How the contact reacts to messages (delays, echo); fields left out stay',
      pathParams: jidParam,
      body: obj({ deliverAfterMs: { type: ['number', 'null'] }, readAfterMs: { type: ['number', 'null'] }, echo: bool }, []),
      ok: ['200', obj({ behaviour: ref('Behaviour') })],
      errors: ['400', '404', '413'],
    },
  ],
  [
    '/contacts/{jid}/groups',
    'post',
    'contactGroupAction',
    {
      tag: 'contacts',
      summary: 'The contact creates a group, adds/removes/promotes/demotes people, changes the subject or description, or leaves; the members get the stub messages and pushes',
      pathParams: jidParam,
      body: obj({ action: { type: 'string', enum: ['create', 'add', 'remove', 'promote', 'demote', 'subject', 'description', 'leave'] }, gid: groupJid, subject: str, text: str, participants: arrayOf(userJid) }, ['action']),
      ok: ['200', obj({ gid: groupJid, participants: arrayOf(obj({ jid: userJid, code: int })) }, ['gid'])],
      errors: ['400', '404', '413'],
    },
  ],
  ['/groups', 'get', 'listGroups', { tag: 'world', summary: 'Groups with their participants', ok: ['200', obj({ groups: arrayOf(ref('Group')) })] }],
  ['/chats', 'get', 'listChats', { tag: 'world', summary: "An account's chat list, most recent first", query: [accountQuery], ok: ['200', obj({ account: userJid, chats: arrayOf(ref('Chat')) })], errors: ['404'] }],
  [
    '/chats/{jid}/messages',
    'get',
    'listMessages',
    {
      tag: 'world',
      summary: "The newest messages of one of an account's chats, oldest first",
      pathParams: { jid: 'a chat id (user or group)' },
      query: [accountQuery, { name: 'limit', schema: { type: 'integer', minimum: 1, maximum: 1000 }, description: 'how many (default 100)' }],
      ok: ['200', obj({ account: userJid, chat: str, messages: arrayOf(ref('Message')) })],
      errors: ['400', '404'],
    },
  ],
  ['/sessions', 'get', 'listSessions', { tag: 'phone', summary: 'Every paired web session', ok: ['200', obj({ sessions: arrayOf(ref('WebSession')) })] }],
  [
    '/phone/reachable',
    'post',
    'phoneReachable',
    { tag: 'phone', summary: 'Phone offline/online: clients get ["Pong",false|true]; traffic waits meanwhile', body: obj({ reachable: bool, account: userJid }, ['reachable']), ok: ['200', obj({ account: userJid, reachable: bool })], errors: ['400', '404', '413'] },
  ],
  [
    '/phone/unpair',
    'post',
    'phoneUnpair',
    { tag: 'phone', summary: 'Log web sessions out from the phone (one clientId, or all)', body: obj({ account: userJid, clientId: str }, []), ok: ['200', obj({ account: userJid, unpaired: int })], errors: ['400', '404', '413'] },
  ],
  [
    '/phone/chats/{jid}/{action}',
    'post',
    'phoneChatAction',
    {
      tag: 'phone',
      summary: 'The phone reads, marks unread, archives, unarchives, pins, unpins, mutes (untilMs), unmutes, deletes or clears (keepStarred) a chat; web sessions get the push',
      pathParams: { jid: 'the chat (…@c.us or …@g.us)', action: 'read | unread | archive | unarchive | pin | unpin | mute | unmute | delete | clear' },
      body: obj({ account: userJid, untilMs: num, keepStarred: bool }, []),
      ok: ['200', obj({ account: userJid, chat: str, action: str })],
      errors: ['400', '404', '413'],
    },
  ],
  [
    '/phone/battery',
    'post',
    'phoneBattery',
    {
      tag: 'phone',
      summary: 'The phone battery changes: web sessions get ["action",null,[["battery",{live,value,powersave}]]]',
      body: obj({ value: { type: 'integer', minimum: 0, maximum: 100 }, plugged: bool, powersave: bool, account: userJid }, ['value']),
      ok: ['200', obj({ account: userJid, battery: int, plugged: bool, powersave: bool })],
      errors: ['400', '404', '413'],
    },
  ],
  ...(['block', 'unblock'] as const).map(
    (action): [string, 'post', string, Operation] => [
      `/phone/${action}`,
      'post',
      action === 'block' ? 'phoneBlock' : 'phoneUnblock',
      {
        tag: 'phone',
        summary: `The phone ${action}s a user: web sessions get ["Blocklist",{id,blocklist}]${action === 'block' ? '; their messages stop arriving' : ''}`,
        body: obj({ jid: userJid, account: userJid }, ['jid']),
        ok: ['200', obj({ account: userJid, blocklist: arrayOf(userJid) })],
        errors: ['400', '404', '413'],
      },
    ],
  ),
  ['/faults', 'get', 'getFaults', { tag: 'faults', summary: 'The fault switches in force', ok: ['200', ref('Faults')] }],
  ['/faults/drop-socket', 'post', 'faultDropSocket', { tag: 'faults', summary: 'Close sockets without a close frame (1006); sessions stay valid', body: obj({ account: userJid, clientId: str }, []), ok: ['200', obj({ dropped: int })], errors: ['400', '404', '413'] }],
  ['/faults/delay-frames', 'post', 'faultDelayFrames', { tag: 'faults', summary: 'Delay every frame sent by ms (0: off)', body: obj({ ms: { type: 'number', minimum: 0 } }), ok: ['200', ref('Faults')], errors: ['400', '413'] }],
  ['/faults/corrupt-hmac', 'post', 'faultCorruptHmac', { tag: 'faults', summary: 'Corrupt the HMAC of the next count sealed frames (default 1)', body: obj({ count: { type: 'integer', minimum: 0 } }, []), ok: ['200', ref('Faults')], errors: ['400', '413'] }],
  ['/faults/refuse-refs', 'post', 'faultRefuseRefs', { tag: 'faults', summary: 'Answer rerefs with 429 (on: default true)', body: obj({ on: bool }, []), ok: ['200', ref('Faults')], errors: ['400', '413'] }],
  ['/faults/force-challenge', 'post', 'faultForceChallenge', { tag: 'faults', summary: 'Challenge every restore (on: default true)', body: obj({ on: bool }, []), ok: ['200', ref('Faults')], errors: ['400', '413'] }],
  [
    '/faults/login-status',
    'post',
    'faultLoginStatus',
    { tag: 'faults', summary: 'Refuse every admin login with this status (null: off)', body: obj({ status: { type: ['integer', 'null'], enum: [401, 403, 405, 409, 419, null] }, tos: num, mode: { type: 'string', enum: ['takeover', 'reconnect'], description: 'refuse only this form of admin login' } }, ['status']), ok: ['200', ref('Faults')], errors: ['400', '413'] },
  ],
  ['/faults/expire-refs', 'post', 'faultExpireRefs', { tag: 'faults', summary: 'Expire every ref issued so far', ok: ['200', obj({ expired: int })], errors: ['413'] }],
  ['/faults/reset', 'post', 'faultReset', { tag: 'faults', summary: 'Turn every fault off', ok: ['200', ref('Faults')], errors: ['413'] }],
  ['/state', 'get', 'exportState', { tag: 'state', summary: 'The whole persistable state (secrets included); import by starting with --state', ok: ['200', ref('State')] }],
  [
    '/mms/{type}/{token}',
    'post',
    'mediaUpload',
    {
      tag: 'media',
      open: true,
      summary: 'Media server: upload an encrypted blob (auth from ["query","mediaConn"])',
      pathParams: { type: 'image, video, audio, document or sticker', token: 'base64url(fileEncSha256), unpadded' },
      query: [
        { name: 'auth', schema: str, description: 'the mediaConn auth' },
        { name: 'token', schema: str, description: 'the same token' },
      ],
      bodyType: 'blob',
      ok: ['200', obj({ url: str, direct_path: str })],
      errors: ['400', '401', '403', '404', '413'],
    },
  ],
  [
    '/d/f/{file}',
    'get',
    'mediaDownload',
    {
      tag: 'media',
      open: true,
      summary: 'Media server: download an encrypted blob (application/octet-stream); 410 for a URL that expired (refresh it with query type:media)',
      pathParams: { file: '<id>.enc' },
      ok: ['200', { type: 'string', contentEncoding: 'binary' }],
      errors: ['404', '410'],
    },
  ],
  [
    '/pp/{file}',
    'get',
    'pictureDownload',
    {
      tag: 'media',
      open: true,
      summary: 'A profile or group picture (image/jpeg) at the eurl ProfilePicThumb answers; -preview.jpg for the preview',
      pathParams: { file: '<id>.jpg or <id>-preview.jpg' },
      ok: ['200', { type: 'string', contentEncoding: 'binary' }],
      errors: ['404'],
    },
  ],
];

/**
 * The OpenAPI 3.1 document of the sandbox's HTTP API.
 * @example
 * ```ts
 * const doc = controlOpenApi('http://127.0.0.1:8080');
 * Object.keys(doc.paths); // ['/', '/status', '/openapi.json', '/scan', …]
 * ```
 */
export function controlOpenApi(serverUrl?: string): { openapi: string; paths: Record<string, Record<string, Record<string, unknown>>>; components: { schemas: Record<string, Schema> } & Record<string, unknown> } & Record<string, unknown> {
  const paths: Record<string, Record<string, Record<string, unknown>>> = {};
  for (const [path, method, id, spec] of operations) {
    const entry = (paths[path] ??= {});
    const built = operation(id, spec);
    // The media server answers downloads as bytes.
    if (path === '/d/f/{file}') (built.responses as Record<string, unknown>)['200'] = { description: 'The blob', content: { 'application/octet-stream': { schema: { type: 'string', contentEncoding: 'binary' } } } };
    if (path === '/pp/{file}') (built.responses as Record<string, unknown>)['200'] = { description: 'The JPEG', content: { 'image/jpeg': { schema: { type: 'string', contentEncoding: 'binary' } } } };
    entry[method] = built;
  }
  const responses: Record<string, unknown> = {};
  for (const [code, description] of Object.entries(errorStatuses)) responses[`E${code}`] = { description, content: { 'application/json': { schema: ref('Error') } } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'wa-sandbox control plane',
      version: '1',
      description:
        'Drive the legacy WhatsApp Web sandbox from outside: play the phone, script contacts, inject faults, export the state. JSON in and out; errors are {"error": CODE, "message"}. Loopback by default; with a control token every route except the media server needs `Authorization: Bearer <token>`. Requests with a foreign Origin are refused (403).',
    },
    ...(serverUrl === undefined ? {} : { servers: [{ url: serverUrl }] }),
    security: [{}, { bearer: [] }],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'the control token (--control-token, WA_SANDBOX_TOKEN)' } },
    },
  };
}
