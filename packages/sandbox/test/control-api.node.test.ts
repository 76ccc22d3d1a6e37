import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { CONTROL_ROUTES, isLoopbackHost, MEDIA_ROUTES } from '../src/node/control-api.ts';
import { controlOpenApi } from '../src/node/openapi.ts';
import { startSandbox, type RunningSandbox } from '../src/node/start-sandbox.ts';
import { validate, type JsonSchema } from './support/json-schema.ts';
import { messagesOf, type MiniClient } from './support/mini-client.ts';
import { trackedSandboxes } from './support/started-sandboxes.ts';
import { wsClient } from './support/ws-link.ts';

const start = trackedSandboxes();
const doc = controlOpenApi() as unknown as JsonSchema & { paths: Record<string, Record<string, { responses: Record<string, JsonSchema> }>> };

const ALICE = '15550100002@c.us';
const BOB = '15550100003@c.us';
const CAROL = '15550100004@c.us';
const SANDY = '15550100001@c.us';
const GROUP = '15550100001-1600000000@g.us';

/** The documented template a concrete path belongs to. */
function templateOf(pathname: string): string | undefined {
  return Object.keys(doc.paths).find((template) => {
    const want = template.split('/');
    const got = pathname.split('/');
    return want.length === got.length && want.every((part, index) => (part.startsWith('{') ? got[index] !== '' : part === got[index]));
  });
}

/** The schema the document gives for this answer (throws when the answer is not documented). */
function documentedSchema(method: string, pathname: string, status: number): JsonSchema {
  const template = templateOf(pathname);
  if (template === undefined) throw new Error(`${pathname} is not in the OpenAPI document`);
  const operation = doc.paths[template]![method.toLowerCase()];
  if (!operation) throw new Error(`${method} ${template} is not in the OpenAPI document`);
  let response = operation.responses[String(status)] as JsonSchema | undefined;
  if (response === undefined) throw new Error(`${method} ${template} does not document status ${status}`);
  if (typeof response.$ref === 'string') response = (doc.components as { responses: Record<string, JsonSchema> }).responses[response.$ref.split('/').pop()!]!;
  return ((response.content as Record<string, { schema: JsonSchema }>)['application/json'] ?? { schema: {} }).schema;
}

interface Answer {
  status: number;
  json: Record<string, unknown>;
  headers: Headers;
}

/**
 * One control request; every answer is checked against the schema the OpenAPI document gives
 * for its route and status.
 */
async function api(sandbox: RunningSandbox, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const init: RequestInit = { method, headers };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${sandbox.httpUrl}${path}`, init);
  const json = (await response.json()) as Record<string, unknown>;
  const pathname = new URL(path, 'http://x').pathname;
  if (templateOf(pathname) !== undefined && method !== 'PUT') {
    const problems = validate(json, documentedSchema(method, pathname, response.status), doc);
    expect(problems, `${method} ${path} → ${response.status} ${JSON.stringify(json).slice(0, 300)}`).toEqual([]);
  }
  return { status: response.status, json, headers: response.headers };
}

async function loggedIn(sandbox: RunningSandbox): Promise<MiniClient> {
  const client = await wsClient(sandbox.url);
  await client.init();
  expect((await api(sandbox, 'POST', '/scan', client.qr())).status).toBe(200);
  await client.completeQrLogin();
  // The login pushes end with the newest messages.
  await client.waitForNode((node) => node[0] === 'action' && node[1]?.add === 'last');
  return client;
}

const relay = (client: MiniClient): ReturnType<MiniClient['waitForNode']> => client.waitForNode((node) => node[0] === 'action' && node[1]?.add === 'relay');

describe('the OpenAPI document', () => {
  it('names exactly the routes the router serves (and the media routes), each with its answers', async () => {
    const documented = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`));
    const served = [...CONTROL_ROUTES, ...MEDIA_ROUTES].map((route) => `${route.method} ${route.path}`);
    expect([...documented].sort()).toEqual([...served].sort());
    expect(new Set(documented).size).toBe(documented.length);
    expect(doc.openapi).toBe('3.1.0');
    // Every $ref resolves, every operation has a success answer and an id.
    const ids = new Set<string>();
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const op = operation as unknown as { operationId: string; responses: Record<string, JsonSchema>; parameters?: Array<{ name: string; in: string }> };
        ids.add(op.operationId);
        expect(Object.keys(op.responses).some((status) => status.startsWith('2')), `${method} ${path}`).toBe(true);
        const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]);
        expect((op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name), `${method} ${path}`).toEqual(pathParams);
      }
    }
    expect(ids.size).toBe(documented.length);
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const pointer = ref.slice(8, -1).slice(2).split('/');
      let node: unknown = doc;
      for (const part of pointer) node = (node as Record<string, unknown>)[part];
      expect(node, ref).toBeTypeOf('object');
    }
  });

  it('is served at GET /openapi.json with this server, and every documented route answers (none is a "no route" 404)', async () => {
    const sandbox = await start({ latency: 0 });
    const served = await api(sandbox, 'GET', '/openapi.json');
    expect(served.status).toBe(200);
    expect(served.json).toEqual(JSON.parse(JSON.stringify(controlOpenApi(sandbox.httpUrl))));
    expect(served.json.servers).toEqual([{ url: sandbox.httpUrl }]);
    for (const route of CONTROL_ROUTES) {
      const path = route.path.replace('{jid}', ALICE);
      const response = await fetch(`${sandbox.httpUrl}${path}`, { method: route.method, ...(route.method === 'POST' ? { body: route.path === '/scan' ? 'x' : '{}' } : {}) });
      const json = (await response.json()) as { message?: string };
      expect(json.message ?? '', `${route.method} ${route.path}`).not.toMatch(/^no route/);
    }
    for (const route of MEDIA_ROUTES) {
      const response = await fetch(`${sandbox.httpUrl}${route.path.replace('{type}', 'image').replace('{token}', 'x').replace('{file}', 'x.enc')}`, { method: route.method });
      expect([401, 404]).toContain(response.status);
    }
    const unknown = await api(sandbox, 'GET', '/nothing/here');
    expect(unknown).toMatchObject({ status: 404, json: { error: 'NOT_FOUND' } });
  });

  it('the checker itself catches wrong answers', () => {
    const contact = { $ref: '#/components/schemas/Contact' };
    expect(validate({ jid: ALICE }, contact, doc).join()).toContain('missing name');
    expect(validate({ error: 'X', message: 'm', extra: 1 }, { $ref: '#/components/schemas/Error' }, doc)).toEqual(['$: unexpected extra']);
    expect(validate({ text: 'a', media: { type: 'image', data: '' } }, { $ref: '#/components/schemas/SendMessage' }, doc).join()).toContain('oneOf');
  });
});

describe('control plane routes', () => {
  it('lists accounts, contacts, one contact, groups, chats, messages, sessions, status and the state', async () => {
    const sandbox = await start({ latency: 0, seed: 'control-lists' });
    const accounts = await api(sandbox, 'GET', '/accounts');
    expect(accounts.json.accounts).toEqual([expect.objectContaining({ wid: SANDY, name: 'Sandy Sandbox', reachable: true, sessions: [] })]);
    const contacts = (await api(sandbox, 'GET', '/contacts')).json.contacts as Array<{ jid: string; isAccount: boolean }>;
    expect(contacts.map((contact) => contact.jid)).toEqual(expect.arrayContaining([SANDY, ALICE, BOB, '15550100099@c.us']));
    expect(contacts.find((contact) => contact.jid === SANDY)?.isAccount).toBe(true);
    expect((await api(sandbox, 'GET', `/contacts/${ALICE}`)).json).toMatchObject({ jid: ALICE, name: 'Alice', hasPicture: true, behaviour: { deliverAfterMs: 50, readAfterMs: 300, echo: false } });
    expect(await api(sandbox, 'GET', '/contacts/15559999999@c.us')).toMatchObject({ status: 404, json: { error: 'NOT_FOUND' } });
    expect((await api(sandbox, 'GET', '/groups')).json.groups).toEqual([expect.objectContaining({ id: GROUP, subject: 'Weekend Trip' })]);
    const chats = await api(sandbox, 'GET', '/chats');
    expect(chats.json.account).toBe(SANDY);
    expect((chats.json.chats as Array<{ jid: string; isGroup: boolean }>).find((chat) => chat.jid === GROUP)).toMatchObject({ isGroup: true, name: 'Weekend Trip' });
    expect(await api(sandbox, 'GET', `/chats?account=${BOB}`)).toMatchObject({ status: 404, json: { error: 'NOT_FOUND' } });
    const messages = await api(sandbox, 'GET', `/chats/${ALICE}/messages?limit=1`);
    expect(messages.json).toMatchObject({ account: SANDY, chat: ALICE, messages: [expect.objectContaining({ kind: 'text' })] });
    expect(await api(sandbox, 'GET', `/chats/${ALICE}/messages?limit=0`)).toMatchObject({ status: 400, json: { error: 'INVALID_ARGUMENT' } });
    expect(await api(sandbox, 'GET', '/chats/15559999999@c.us/messages')).toMatchObject({ status: 404 });
    expect((await api(sandbox, 'GET', '/sessions')).json).toEqual({ sessions: [] });
    expect((await api(sandbox, 'GET', '/status')).json).toMatchObject({ waiting: [], sessions: [] });
    expect((await api(sandbox, 'GET', '/')).status).toBe(200);
    const state = await api(sandbox, 'GET', '/state');
    expect(state.json).toEqual(JSON.parse(JSON.stringify(sandbox.exportState())));
  });

  it('a contact sends text, media and a location, into the 1:1 chat and into a group; the client gets each', async () => {
    const sandbox = await start({ latency: 0 });
    const client = await loggedIn(sandbox);
    const text = await api(sandbox, 'POST', `/contacts/${ALICE}/messages`, { text: 'hello over HTTP' });
    expect(text).toMatchObject({ status: 201, json: { message: { kind: 'text', text: 'hello over HTTP', fromMe: false } } });
    expect(messagesOf((await relay(client)).node)[0]).toMatchObject({ key: { id: (text.json.message as { id: string }).id }, message: { conversation: 'hello over HTTP' } });

    const image = await api(sandbox, 'POST', `/contacts/${ALICE}/messages`, { media: { type: 'image', data: Buffer.from('not really a jpeg').toString('base64'), caption: 'look' } });
    expect(image).toMatchObject({ status: 201, json: { message: { kind: 'image', caption: 'look', mimetype: 'image/jpeg' } } });
    const imageMessage = messagesOf((await relay(client)).node)[0]!.message?.imageMessage;
    expect(imageMessage).toMatchObject({ caption: 'look', mimetype: 'image/jpeg' });
    expect(sandbox.sandbox.media.download(imageMessage!.url!)).toBeDefined();

    const doc = await api(sandbox, 'POST', `/contacts/${BOB}/messages`, { media: { type: 'document', data: Buffer.from('%PDF').toString('base64'), fileName: 'a.pdf', mimetype: 'application/pdf' } });
    expect(doc.json.message).toMatchObject({ kind: 'document', fileName: 'a.pdf', mimetype: 'application/pdf' });
    expect(messagesOf((await relay(client)).node)[0]!.message?.documentMessage).toMatchObject({ fileName: 'a.pdf' });

    const pin = await api(sandbox, 'POST', `/contacts/${ALICE}/messages`, { location: { latitude: 52.52, longitude: 13.405, name: 'Berlin', address: 'Alexanderplatz' } });
    expect(pin.json.message).toMatchObject({ kind: 'location', location: { latitude: 52.52, longitude: 13.405, name: 'Berlin', address: 'Alexanderplatz' } });
    expect(messagesOf((await relay(client)).node)[0]!.message?.locationMessage).toMatchObject({ degreesLatitude: 52.52, degreesLongitude: 13.405, name: 'Berlin' });

    const group = await api(sandbox, 'POST', `/contacts/${BOB}/messages`, { text: 'hi all', group: GROUP });
    expect(group.json.message).toMatchObject({ participant: BOB, kind: 'text' });
    expect(messagesOf((await relay(client)).node)[0]).toMatchObject({ key: { remoteJid: GROUP }, participant: '15550100003@s.whatsapp.net', message: { conversation: 'hi all' } });

    const listed = (await api(sandbox, 'GET', `/chats/${ALICE}/messages?limit=3`)).json.messages as Array<{ kind: string }>;
    expect(listed.map((message) => message.kind)).toEqual(['text', 'image', 'location']);

    // Refusals: bad bodies, unknown people, wrong groups.
    const post = (body: unknown, jid = ALICE): Promise<Answer> => api(sandbox, 'POST', `/contacts/${jid}/messages`, body);
    expect(await post('{"text":')).toMatchObject({ status: 400, json: { error: 'BAD_JSON' } });
    expect(await post('[1]')).toMatchObject({ status: 400, json: { error: 'INVALID_ARGUMENT' } });
    expect(await post({})).toMatchObject({ status: 400, json: { error: 'INVALID_ARGUMENT' } });
    expect(await post({ text: 'a', location: { latitude: 1, longitude: 2 } })).toMatchObject({ status: 400 });
    expect(await post({ text: 5 })).toMatchObject({ status: 400 });
    expect(await post({ media: { type: 'image', data: '***' } })).toMatchObject({ status: 400 });
    expect(await post({ media: { type: 'gif', data: 'AAAA' } })).toMatchObject({ status: 400 });
    expect(await post({ location: { latitude: 91, longitude: 0 } })).toMatchObject({ status: 400 });
    expect(await post({ text: 'x', group: 'not-a-group' })).toMatchObject({ status: 400 });
    expect(await post({ text: 'x', group: '15550100001-1@g.us' })).toMatchObject({ status: 404 });
    expect(await post({ text: 'x', to: '15559999999@c.us' })).toMatchObject({ status: 404 });
    expect(await post({ text: 'x' }, '15559999999@c.us')).toMatchObject({ status: 404, json: { error: 'NOT_FOUND' } });
    expect(await api(sandbox, 'PUT', `/contacts/${ALICE}/messages`)).toMatchObject({ status: 405, json: { error: 'METHOD_NOT_ALLOWED' } });
    client.close();
  });

  it('a contact reads, receives, types, goes online and changes its status and behaviour', async () => {
    const sandbox = await start({ latency: 0 });
    const client = await loggedIn(sandbox);
    expect((await api(sandbox, 'POST', `/contacts/${BOB}/behaviour`, { deliverAfterMs: null, readAfterMs: null })).json).toEqual({ behaviour: { deliverAfterMs: null, readAfterMs: null, echo: false } });
    const { id } = await client.sendText(BOB, 'are you there?');
    expect(await api(sandbox, 'POST', `/contacts/${BOB}/receive`)).toMatchObject({ status: 200, json: { ok: true } });
    expect(await client.waitForJson('Msg', (body) => (body as { id: string; ack: number }).id === id && (body as { ack: number }).ack === 2)).toBeTruthy();
    await api(sandbox, 'POST', `/contacts/${BOB}/read`, {});
    expect(await client.waitForJson('Msg', (body) => (body as { id: string; ack: number }).id === id && (body as { ack: number }).ack === 3)).toBeTruthy();

    await api(sandbox, 'POST', `/contacts/${ALICE}/presence`, { type: 'composing' });
    expect(await client.waitForJson('Presence', (body) => (body as { type: string }).type === 'composing')).toEqual(['Presence', expect.objectContaining({ id: ALICE, type: 'composing' })]);
    await api(sandbox, 'POST', `/contacts/${CAROL}/presence`, { type: 'paused', group: GROUP });
    expect(await client.waitForJson('Presence', (body) => (body as { type: string }).type === 'paused')).toEqual(['Presence', expect.objectContaining({ id: GROUP, participant: CAROL })]);
    await client.request(['action', 'presence', 'subscribe', BOB]);
    await api(sandbox, 'POST', `/contacts/${BOB}/presence`, { type: 'available' });
    expect(await client.waitForJson('Presence', (body) => (body as { id: string; type: string }).id === BOB && (body as { type: string }).type === 'available')).toBeTruthy();
    expect((await api(sandbox, 'GET', `/contacts/${BOB}`)).json.presence).toBe('available');
    expect(await api(sandbox, 'POST', `/contacts/${BOB}/presence`, { type: 'dancing' })).toMatchObject({ status: 400 });
    expect(await api(sandbox, 'POST', `/contacts/${BOB}/presence`, {})).toMatchObject({ status: 400 });

    await api(sandbox, 'POST', `/contacts/${ALICE}/status`, { text: 'Out for lunch' });
    expect(await client.request(['query', 'Status', ALICE])).toEqual({ status: 'Out for lunch' });
    expect(await api(sandbox, 'POST', `/contacts/${ALICE}/status`, { text: 1 })).toMatchObject({ status: 400 });
    expect(await api(sandbox, 'POST', `/contacts/${ALICE}/behaviour`, { readAfterMs: -5 })).toMatchObject({ status: 400 });
    expect((await api(sandbox, 'POST', `/contacts/${ALICE}/behaviour`, { echo: true })).json).toEqual({ behaviour: { deliverAfterMs: 50, readAfterMs: 300, echo: true } });
    expect(await api(sandbox, 'POST', `/contacts/${ALICE}/read`, { group: GROUP })).toMatchObject({ status: 200 });
    expect(await api(sandbox, 'POST', '/contacts/15559999999@c.us/read', {})).toMatchObject({ status: 404 });
    client.close();
  });

  it('plays the phone: offline/online (Pong), unpair, sessions', async () => {
    const sandbox = await start({ latency: 0 });
    const client = await loggedIn(sandbox);
    expect((await api(sandbox, 'GET', '/sessions')).json.sessions).toEqual([expect.objectContaining({ wid: SANDY, clientId: client.clientId, connected: true })]);
    expect((await api(sandbox, 'POST', '/phone/reachable', { reachable: false })).json).toEqual({ account: SANDY, reachable: false });
    expect(await client.waitForJson('Pong')).toEqual(['Pong', false]);
    expect((await api(sandbox, 'GET', '/accounts')).json.accounts).toEqual([expect.objectContaining({ reachable: false })]);
    await api(sandbox, 'POST', '/phone/reachable', { reachable: true, account: SANDY });
    expect(await client.waitForJson('Pong')).toEqual(['Pong', true]);
    expect(await api(sandbox, 'POST', '/phone/reachable', {})).toMatchObject({ status: 400 });
    expect(await api(sandbox, 'POST', '/phone/reachable', { reachable: true, account: ALICE })).toMatchObject({ status: 404 });
    expect((await api(sandbox, 'POST', '/phone/unpair', { clientId: 'someone-else' })).json).toEqual({ account: SANDY, unpaired: 0 });
    expect((await api(sandbox, 'POST', '/phone/unpair', {})).json).toEqual({ account: SANDY, unpaired: 1 });
    expect((await client.waitForClose()).code).toBe(4005);
  });

  it('switches every fault and reports them', async () => {
    const sandbox = await start({ latency: 0 });
    const off = { frameDelayMs: 0, refusingRefs: false, challengeForced: false, loginStatus: null };
    expect((await api(sandbox, 'GET', '/faults')).json).toEqual(off);
    expect((await api(sandbox, 'POST', '/faults/delay-frames', { ms: 25 })).json).toMatchObject({ frameDelayMs: 25 });
    expect((await api(sandbox, 'POST', '/faults/refuse-refs', {})).json).toMatchObject({ refusingRefs: true });
    expect((await api(sandbox, 'POST', '/faults/force-challenge', { on: true })).json).toMatchObject({ challengeForced: true });
    expect((await api(sandbox, 'POST', '/faults/login-status', { status: 403, tos: 3 })).json).toMatchObject({ loginStatus: { status: 403, tos: 3 } });
    expect((await api(sandbox, 'POST', '/faults/login-status', { status: 409, mode: 'reconnect' })).json).toMatchObject({ loginStatus: { status: 409, tos: 2, mode: 'reconnect' } });
    expect(await api(sandbox, 'POST', '/faults/login-status', { status: 409, mode: 'sideways' })).toMatchObject({ status: 400 });
    expect((await api(sandbox, 'POST', '/faults/corrupt-hmac', { count: 2 })).status).toBe(200);
    expect((await api(sandbox, 'POST', '/faults/reset')).json).toEqual(off);
    expect(sandbox.faults.takeHmacCorruption()).toBe(false);
    expect(await api(sandbox, 'POST', '/faults/login-status', { status: 500 })).toMatchObject({ status: 400, json: { error: 'INVALID_ARGUMENT' } });
    expect(await api(sandbox, 'POST', '/faults/login-status', {})).toMatchObject({ status: 400 });
    expect(await api(sandbox, 'POST', '/faults/delay-frames', { ms: -1 })).toMatchObject({ status: 400 });
    expect(await api(sandbox, 'POST', '/faults/delay-frames', {})).toMatchObject({ status: 400 });
    expect(await api(sandbox, 'POST', '/faults/refuse-refs', { on: 'yes' })).toMatchObject({ status: 400 });

    const waiting = await wsClient(sandbox.url);
    await waiting.init();
    expect((await api(sandbox, 'POST', '/faults/expire-refs')).json).toEqual({ expired: 1 });
    expect(await api(sandbox, 'POST', '/scan', waiting.qr())).toMatchObject({ status: 410, json: { error: 'REF_EXPIRED' } });
    waiting.close();

    const client = await loggedIn(sandbox);
    expect((await api(sandbox, 'POST', '/faults/drop-socket', { clientId: 'nobody' })).json).toEqual({ dropped: 0 });
    expect((await api(sandbox, 'POST', '/faults/drop-socket', { account: SANDY })).json).toEqual({ dropped: 1 });
    expect((await client.waitForClose()).code).toBe(1006);
    expect(await api(sandbox, 'POST', '/faults/drop-socket', { account: ALICE })).toMatchObject({ status: 404 });
  });

  it('refuses foreign Origins (403), oversized bodies (413) and keeps working', async () => {
    const sandbox = await start({ latency: 0 });
    expect(await api(sandbox, 'POST', `/contacts/${ALICE}/messages`, { text: 'x' }, { origin: 'https://evil.example' })).toMatchObject({ status: 403, json: { error: 'FORBIDDEN' } });
    expect(await api(sandbox, 'GET', '/state', undefined, { origin: 'https://evil.example' })).toMatchObject({ status: 403 });
    const big = await api(sandbox, 'POST', `/contacts/${ALICE}/read`, JSON.stringify({ to: SANDY, pad: 'x'.repeat(70 * 1024) }));
    expect(big).toMatchObject({ status: 413, json: { error: 'TOO_LARGE' } });
    const huge = await api(sandbox, 'POST', `/contacts/${ALICE}/messages`, JSON.stringify({ text: 'x'.repeat(17 * 1024 * 1024) }));
    expect(huge).toMatchObject({ status: 413, json: { error: 'TOO_LARGE' } });
    expect((await api(sandbox, 'GET', '/status')).status).toBe(200);
  });
});

describe('bearer token and binding', () => {
  it('with a control token every control route needs it (401 otherwise); media routes do not', async () => {
    const token = 'a secret of the test';
    const sandbox = await start({ latency: 0, controlToken: token });
    for (const [method, path] of [['GET', '/status'], ['GET', '/openapi.json'], ['POST', '/scan'], ['GET', '/state'], ['GET', '/nothing']] as const) {
      const missing = await fetch(`${sandbox.httpUrl}${path}`, { method });
      expect(missing.status, path).toBe(401);
      expect(missing.headers.get('www-authenticate')).toContain('Bearer');
      expect(await missing.json()).toMatchObject({ error: 'UNAUTHORIZED' });
      for (const wrong of [`Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, 'Bearer ', token, `Basic ${token}`]) {
        expect((await fetch(`${sandbox.httpUrl}${path}`, { method, headers: { authorization: wrong } })).status, wrong).toBe(401);
      }
    }
    const right = await api(sandbox, 'POST', `/contacts/${ALICE}/messages`, { text: 'with a token' }, { authorization: `Bearer ${token}` });
    expect(right.status).toBe(201);
    expect((await fetch(`${sandbox.httpUrl}/d/f/0123456789abcdef0123456789abcdef.enc`)).status).toBe(404);
  });

  it('refuses a non-loopback host without a token unless controlAuth is false', async () => {
    await expect(startSandbox({ host: '0.0.0.0' })).rejects.toMatchObject({ code: 'CONTROL_UNPROTECTED' });
    await expect(startSandbox({ controlToken: '' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const open = await start({ host: '0.0.0.0', controlAuth: false, tls: false });
    expect((await fetch(`http://127.0.0.1:${open.port}/status`)).status).toBe(200);
    const guarded = await start({ host: '0.0.0.0', controlToken: 't', tls: false });
    expect((await fetch(`http://127.0.0.1:${guarded.port}/status`)).status).toBe(401);
    expect(['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost'].every(isLoopbackHost)).toBe(true);
    expect(['0.0.0.0', '::', '192.168.1.2', 'example.com', '128.0.0.1'].some(isLoopbackHost)).toBe(false);
  });

  it('answers a body that is not UTF-8 JSON, and a request cut off, without crashing', async () => {
    const sandbox = await start({ latency: 0 });
    const bad = await api(sandbox, 'POST', '/faults/delay-frames', '\u0000\u00ff');
    expect(bad).toMatchObject({ status: 400, json: { error: 'BAD_JSON' } });
    await new Promise<void>((resolve) => {
      const request = httpRequest(`${sandbox.httpUrl}/faults/delay-frames`, { method: 'POST', headers: { 'content-length': '100' } });
      request.on('error', () => resolve());
      request.write('{"ms":');
      setTimeout(() => {
        request.destroy();
        resolve();
      }, 50);
    });
    expect((await api(sandbox, 'GET', '/faults')).json).toMatchObject({ frameDelayMs: 0 });
  });
});

describe('a client driven entirely through HTTP', () => {
  it('logs in by POST /scan, gets a contact message sent over HTTP, and sees ack 3 when the contact reads over HTTP', async () => {
    const sandbox = await start({ seed: 'http-only' });
    const http = (method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer> => api(sandbox, method, path, body);
    // Alice reads only when told, so the blue ticks below come from the HTTP call.
    await http('POST', `/contacts/${ALICE}/behaviour`, { readAfterMs: null });

    const client = await wsClient(sandbox.url);
    await client.init();
    const waiting = (await http('GET', '/status')).json.waiting as Array<{ ref: string }>;
    expect(waiting.map((entry) => entry.ref)).toEqual([client.ref]);
    expect((await http('POST', '/scan', client.qr())).json).toMatchObject({ ok: true, wid: SANDY });
    await client.completeQrLogin();
    await client.waitForNode((node) => node[0] === 'action' && node[1]?.add === 'last');

    const sent = await http('POST', `/contacts/${ALICE}/messages`, { text: 'ping from a bot test' });
    const incoming = messagesOf((await relay(client)).node)[0]!;
    expect(incoming).toMatchObject({ key: { remoteJid: '15550100002@s.whatsapp.net', fromMe: false, id: (sent.json.message as { id: string }).id }, message: { conversation: 'ping from a bot test' } });

    const { id } = await client.sendText(ALICE, 'pong');
    await client.waitForJson('Msg', (body) => (body as { id: string; ack: number }).id === id && (body as { ack: number }).ack === 2, 5000);
    expect(((await http('GET', `/chats/${ALICE}/messages?limit=1`)).json.messages as unknown[])[0]).toMatchObject({ id, fromMe: true, text: 'pong', status: 'DELIVERY_ACK' });
    await http('POST', `/contacts/${ALICE}/read`);
    expect(await client.waitForJson('Msg', (body) => (body as { id: string; ack: number }).id === id && (body as { ack: number }).ack === 3, 5000)).toEqual([
      'Msg',
      expect.objectContaining({ cmd: 'ack', ack: 3, id, to: ALICE }),
    ]);
    expect(((await http('GET', `/chats/${ALICE}/messages?limit=1`)).json.messages as unknown[])[0]).toMatchObject({ id, status: 'READ' });
    client.close();
  });
});

describe('POST /contacts/{jid}/groups', () => {
  it('a contact creates a group with the account, adds, renames, leaves; refusals keep their codes', async () => {
    const sandbox = await start();
    const client = await loggedIn(sandbox);
    const created = await api(sandbox, 'POST', `/contacts/${BOB}/groups`, { action: 'create', subject: 'Bob’s party', participants: [SANDY] });
    expect(created.status).toBe(200);
    const gid = created.json.gid as string;
    expect(gid).toMatch(/^15550100003-\d+@g\.us$/);
    const stub = await client.waitForNode((node) => node[1]?.add === 'relay' && messagesOf(node).some((m) => m.messageStubType === 'GROUP_CREATE'));
    expect(messagesOf(stub.node)[0]).toMatchObject({ key: { remoteJid: gid, participant: '15550100003@s.whatsapp.net' }, messageStubParameters: ['Bob’s party'] });
    expect((await api(sandbox, 'POST', `/contacts/${BOB}/groups`, { action: 'add', gid, participants: [CAROL, SANDY] })).json).toEqual({
      gid,
      participants: [
        { jid: CAROL, code: 200 },
        { jid: SANDY, code: 409 },
      ],
    });
    expect((await api(sandbox, 'POST', `/contacts/${BOB}/groups`, { action: 'subject', gid, subject: 'Party!' })).json).toEqual({ gid });
    expect((await api(sandbox, 'POST', `/contacts/${CAROL}/groups`, { action: 'add', gid, participants: [ALICE] })).status).toBe(400);
    expect((await api(sandbox, 'POST', `/contacts/${BOB}/groups`, { action: 'leave', gid: '15550100003-1@g.us' })).status).toBe(404);
    expect((await api(sandbox, 'POST', `/contacts/${BOB}/groups`, { action: 'dance', gid })).status).toBe(400);
    expect((await api(sandbox, 'POST', `/contacts/${BOB}/groups`, { action: 'leave', gid })).json).toEqual({ gid });
    const groups = (await api(sandbox, 'GET', '/groups')).json.groups as Array<{ id: string; subject: string; participants: Array<{ jid: string }> }>;
    expect(groups.find((group) => group.id === gid)).toMatchObject({ subject: 'Party!', participants: [{ jid: SANDY, isAdmin: true }, { jid: CAROL }] });
    client.close();
  });
});

describe('profile and block list routes', () => {
  it('POST /contacts/{jid}/name and /phone/block|unblock reach the web session; GET /pp/{file} serves a set picture', async () => {
    const sandbox = await start({ latency: 0 });
    const client = await loggedIn(sandbox);
    expect((await api(sandbox, 'POST', `/contacts/${ALICE}/name`, { name: 'Alice W.' })).status).toBe(200);
    const { node } = await client.waitForNode((n) => n[0] === 'action' && Array.isArray(n[2]) && n[2][0]?.[0] === 'user');
    expect(node[2]).toEqual([['user', { jid: ALICE, notify: 'Alice W.', name: 'Alice', short: 'Alice' }, null]]);
    expect((await api(sandbox, 'POST', `/contacts/${ALICE}/name`, { name: '' })).status).toBe(400);
    expect(await api(sandbox, 'POST', '/phone/block', { jid: BOB })).toMatchObject({ status: 200, json: { account: SANDY, blocklist: [BOB] } });
    expect(await client.waitForJson('Blocklist')).toEqual(['Blocklist', { id: 1, blocklist: [BOB] }]);
    expect(await api(sandbox, 'POST', '/phone/unblock', { jid: BOB })).toMatchObject({ status: 200, json: { blocklist: [] } });
    expect((await api(sandbox, 'POST', '/phone/block', { jid: GROUP })).status).toBe(400);
    const jpeg = Uint8Array.of(0xff, 0xd8, 0xff, 0xe0, 5, 0xff, 0xd9);
    const set = sandbox.contact(CAROL).setPicture(jpeg);
    expect(new URL(set.eurl).host).toBe(new URL(sandbox.httpUrl).host);
    const served = await fetch(set.eurl);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(jpeg);
    expect((await api(sandbox, 'GET', `/contacts/${CAROL}`)).json.hasPicture).toBe(true);
  });
});
