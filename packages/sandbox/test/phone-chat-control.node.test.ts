/**
 * The control plane's phone chat actions and battery (`POST /phone/chats/{jid}/{action}`,
 * `POST /phone/battery`): the world changes, a web session gets the push, refusals are typed;
 * every answer validates against the OpenAPI document.
 */
import type { Node } from '@wa/binary-codec';
import { describe, expect, it } from 'vitest';
import { controlOpenApi } from '../src/node/openapi.ts';
import type { RunningSandbox } from '../src/node/start-sandbox.ts';
import { validate, type JsonSchema } from './support/json-schema.ts';
import { trackedSandboxes } from './support/started-sandboxes.ts';
import { wsClient } from './support/ws-link.ts';

const start = trackedSandboxes();
const doc = controlOpenApi() as unknown as JsonSchema & { paths: Record<string, Record<string, { responses: Record<string, JsonSchema> }>>; components: { responses: Record<string, JsonSchema> } };
const ALICE = '15550100002@c.us';
const SANDY = '15550100001@c.us';

async function post(sandbox: RunningSandbox, template: string, path: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${sandbox.httpUrl}${path}`, { method: 'POST', body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  let schema = doc.paths[template]!.post!.responses[String(response.status)] as JsonSchema;
  if (typeof schema.$ref === 'string') schema = doc.components.responses[schema.$ref.split('/').pop()!]!;
  expect(validate(json, (schema.content as Record<string, { schema: JsonSchema }>)['application/json']!.schema, doc)).toEqual([]);
  return { status: response.status, json };
}

const chatRoute = '/phone/chats/{jid}/{action}';

describe('POST /phone/chats/{jid}/{action}', () => {
  it('archives, pins and mutes on the phone; the web session gets the chat pushes', async () => {
    const sandbox = await start({ latency: 0 });
    const client = await wsClient(sandbox.url);
    await client.init();
    sandbox.phone.scan(client.qr());
    await client.completeQrLogin();
    const isChatPush = (node: Node): boolean => node[0] === 'action' && (node[2] as Node[] | null)?.[0]?.[0] === 'chat';
    const archived = client.waitForNode(isChatPush);
    expect(await post(sandbox, chatRoute, `/phone/chats/${ALICE}/archive`, {})).toEqual({ status: 200, json: { account: SANDY, chat: ALICE, action: 'archive' } });
    expect((await archived).node).toEqual(['action', null, [['chat', { jid: ALICE, type: 'archive' }, null]]]);
    const account = () => sandbox.sandbox.world.requireAccount(SANDY);
    expect(sandbox.sandbox.world.chat(account(), ALICE)!.archived).toBe(true);
    const untilMs = Date.now() + 3600_000;
    expect((await post(sandbox, chatRoute, `/phone/chats/${ALICE}/mute`, { untilMs })).status).toBe(200);
    expect(sandbox.sandbox.world.chat(account(), ALICE)!.mute).toBe(Math.floor(untilMs / 1000));
    expect((await post(sandbox, chatRoute, `/phone/chats/${ALICE}/pin`, {})).status).toBe(200);
    const chats = (await (await fetch(`${sandbox.httpUrl}/chats`)).json()) as { chats: Array<{ jid: string; pin?: number; archived: boolean }> };
    expect(chats.chats.find((chat) => chat.jid === ALICE)).toMatchObject({ archived: true, pin: sandbox.sandbox.world.chat(account(), ALICE)!.pin });
    expect((await post(sandbox, chatRoute, `/phone/chats/${ALICE}/unread`, {})).status).toBe(200);
    expect(sandbox.sandbox.world.chat(account(), ALICE)!.unread).not.toBe(0);
  });

  it('refuses an unknown chat (404), an unknown action (404), a mute without untilMs (400)', async () => {
    const sandbox = await start({ latency: 0 });
    expect((await post(sandbox, chatRoute, '/phone/chats/15550109999@c.us/archive', {})).json).toMatchObject({ error: 'NOT_FOUND' });
    expect((await post(sandbox, chatRoute, `/phone/chats/${ALICE}/explode`, {})).status).toBe(404);
    expect(await post(sandbox, chatRoute, `/phone/chats/${ALICE}/mute`, {})).toMatchObject({ status: 400, json: { error: 'INVALID_ARGUMENT' } });
    expect(await post(sandbox, chatRoute, `/phone/chats/${ALICE}/mute`, { untilMs: 5 })).toMatchObject({ status: 400, json: { error: 'INVALID_ARGUMENT' } });
  });
});

describe('POST /phone/battery', () => {
  it('sets the battery and answers it; refuses a value over 100', async () => {
    const sandbox = await start({ latency: 0 });
    expect(await post(sandbox, '/phone/battery', '/phone/battery', { value: 12, plugged: true })).toEqual({ status: 200, json: { account: SANDY, battery: 12, plugged: true, powersave: false } });
    expect(await post(sandbox, '/phone/battery', '/phone/battery', { value: 140 })).toMatchObject({ status: 400, json: { error: 'INVALID_ARGUMENT' } });
    expect(await post(sandbox, '/phone/battery', '/phone/battery', {})).toMatchObject({ status: 400 });
  });
});
