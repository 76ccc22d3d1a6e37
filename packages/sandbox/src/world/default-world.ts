import type { WorldSpec } from './types.js';

/**
 * The world a sandbox starts with when given none: one account with five contacts, one group and
 * a few messages in each chat. The numbers use the fictional 555-01xx range.
 * @example
 * ```ts
 * const spec = defaultWorld();
 * spec.accounts[0]!.jid; // '15550100001@c.us'
 * ```
 */
export function defaultWorld(): WorldSpec {
  const alice = '15550100002@c.us';
  const bob = '15550100003@c.us';
  const carol = '15550100004@c.us';
  const dave = '15550100005@c.us';
  const echo = '15550100099@c.us';
  const group = '15550100001-1600000000@g.us';
  return {
    accounts: [
      {
        jid: '15550100001@c.us',
        name: 'Sandy Sandbox',
        status: 'Testing things offline',
        contacts: [alice, bob, carol, { jid: dave, name: 'Dave (work)', short: 'Dave' }, echo],
        chats: {
          [alice]: [
            { from: alice, text: 'Hi! Are we still on for Saturday?', ago: 3600 },
            { from: 'me', text: 'Yes, 10am at the station', ago: 3500, status: 'READ' },
            { from: alice, text: 'Great, see you there 👋', ago: 3400 },
          ],
          [bob]: [
            { from: 'me', text: 'Did you get the tickets?', ago: 86400, status: 'READ' },
            { from: bob, text: 'Got them, two for the 10:15 train', ago: 86000 },
          ],
          [carol]: [{ from: carol, text: 'Can you send me the photos from last week?', ago: 7200 }],
          [dave]: [{ from: 'me', text: 'The report is in the shared folder', ago: 172800, status: 'DELIVERY_ACK' }],
          [echo]: [{ from: echo, text: 'Send me anything and I will echo it back.', ago: 600 }],
          [group]: [
            { from: alice, text: 'Who brings the snacks?', ago: 5400 },
            { from: bob, text: 'I can bring sandwiches', ago: 5300 },
            { from: 'me', text: 'I will bring drinks', ago: 5200, status: 'READ' },
          ],
        },
      },
    ],
    users: [
      { jid: alice, name: 'Alice', status: 'Hiking somewhere ⛰', pictureUrl: 'https://pps.whatsapp.net/v/sandbox/alice.jpg', behaviour: { deliverAfterMs: 50, readAfterMs: 300 } },
      { jid: bob, name: 'Bob', status: 'Busy', behaviour: { deliverAfterMs: 50, readAfterMs: 1000 } },
      { jid: carol, name: 'Carol', status: 'Hey there! I am using WhatsApp.', presence: 'available', behaviour: { deliverAfterMs: 50, readAfterMs: 500 } },
      { jid: dave, name: 'Dave', status: 'At work', behaviour: { deliverAfterMs: 100, readAfterMs: null } },
      { jid: echo, name: 'Echo Bot', status: 'I repeat what you say', presence: 'available', behaviour: { deliverAfterMs: 20, readAfterMs: 100, echo: true } },
    ],
    groups: [
      {
        id: group,
        subject: 'Weekend Trip',
        owner: '15550100001@c.us',
        creation: 1600000000,
        desc: 'Planning the trip to the lake',
        participants: [{ jid: '15550100001@c.us', isAdmin: true, isSuperAdmin: true }, { jid: alice, isAdmin: true }, bob, carol],
      },
    ],
  };
}
