import type { Node } from '@wa/binary-codec';
import { encode } from '@wa/binary-codec';
import { sealFrame } from '@wa/crypto';
import { serializeBinary } from '@wa/transport';
import { describe, expect, it } from 'vitest';
import { createMemoryLink } from '../src/memory-link.ts';
import { Sandbox } from '../src/sandbox.ts';
import { eventually } from './support/memory.ts';
import { StrictClient, type StrictFrame } from './support/strict-client.ts';

/** Tags web clients use for requests: `<seconds>.--<n>` (and `<seconds % 1000>.--<n>`). */
const clientTagShape = /^\d+\.--\d+$/;

describe("the sandbox's own tag space", () => {
  it('no push ever carries a client-style tag, and no push settles one of 50 requests in flight', async () => {
    const sandbox = new Sandbox({ seed: 'tags' });
    const { client: link } = createMemoryLink(sandbox);
    const client = new StrictClient(link);
    await client.qrLogin((qr) => sandbox.phone.scan(qr));
    await client.waitForPushes(3);
    // Tags counted from 0 within this second, exactly as a client (and the old sandbox) makes them.
    const seconds = Math.floor(Date.now() / 1000);
    const alice = sandbox.contact('15550100002@c.us');
    const carol = sandbox.contact('15550100004@c.us');
    const pending: Array<Promise<{ kind: string; frame: StrictFrame }>> = [];
    const expectations: string[] = [];
    for (let n = 0; n < 50; n++) {
      const tag = `${seconds}.--${n}`;
      // While the requests wait, the phone streams messages, presence and receipts.
      alice.sendText(`stream ${n}`);
      if (n % 5 === 0) carol.setPresence(n % 10 === 0 ? 'available' : 'unavailable');
      switch (n % 3) {
        case 0:
          expectations.push('exist');
          pending.push(client.request(['query', 'exist', '15550100002@c.us'], tag).then((frame) => ({ kind: 'exist', frame })));
          break;
        case 1:
          expectations.push('subscribe');
          pending.push(client.request(['action', 'presence', 'subscribe', '15550100004@c.us'], tag).then((frame) => ({ kind: 'subscribe', frame })));
          break;
        default: {
          expectations.push('contacts');
          const answer = client.once(tag);
          const node: Node = ['query', { type: 'contacts', epoch: String(n) }, null];
          link.send(serializeBinary(tag, sealFrame(client.keys!, encode(node)), { metric: 6, flag: 0x80 }));
          pending.push(answer.then((frame) => ({ kind: 'contacts', frame })));
        }
      }
    }
    const answers = await Promise.all(pending);
    expect(answers.map((answer) => answer.kind)).toEqual(expectations);
    for (const { kind, frame } of answers) {
      if (kind === 'exist') expect(frame).toMatchObject({ json: { status: 200, jid: '15550100002@c.us' } });
      if (kind === 'subscribe') expect(frame).toMatchObject({ json: { status: 200 } });
      if (kind === 'contacts') expect((frame as { node: Node }).node.slice(0, 2)).toEqual(['response', { type: 'contacts' }]);
    }
    await eventually(() => client.pushes.filter((push) => push.node[1]?.add === 'relay').length === 50);
    expect(client.jsonPushes.some((push) => Array.isArray(push.json) && push.json[0] === 'Presence')).toBe(true);
    for (const frame of [...client.pushes, ...client.jsonPushes]) {
      expect(frame.tag).not.toMatch(clientTagShape);
      expect(frame.tag).toMatch(/^(\d+-\d+|preempt-\d+-\d+|s\d+)$/);
    }
    expect(client.unhandled).toEqual([]);
    sandbox.close();
  });
});
