import { describe, expect, it } from 'vitest';
import { disappearingSentence, groupSentence, listNames, timerText, type GroupUpdate } from '../src/index.ts';

const ME = '15550100001@c.us';
const ALICE = '15550100002@c.us';
const BOB = '15550100003@c.us';
const CAROL = '15550100004@c.us';
const GID = '15550100002-1600000000@g.us';
const names: Record<string, string> = { [ME]: 'You', [ALICE]: 'Alice', [BOB]: 'Bob', [CAROL]: 'Carol' };
const nameOf = (jid: string): string => names[jid] ?? jid;
const update = (fields: Omit<GroupUpdate, 'gid' | 'timestamp'>): GroupUpdate => ({ gid: GID, timestamp: 1600000000, ...fields });

describe('group sentences (as the phone wrote them in the chat)', () => {
  it('lists names with commas and a final "and"', () => {
    expect(listNames([])).toBe('');
    expect(listNames(['Bob'])).toBe('Bob');
    expect(listNames(['Bob', 'Carol'])).toBe('Bob and Carol');
    expect(listNames(['Bob', 'Carol', 'Dave'])).toBe('Bob, Carol and Dave');
  });

  it('says a timer in the largest whole unit', () => {
    expect(timerText(604800)).toBe('7 days');
    expect(timerText(86400)).toBe('1 day');
    expect(timerText(3600)).toBe('1 hour');
    expect(timerText(120)).toBe('2 minutes');
    expect(timerText(90)).toBe('90 seconds');
    expect(disappearingSentence('Alice', 604800)).toBe('Alice turned on disappearing messages (7 days)');
    expect(disappearingSentence('You', 0)).toBe('You turned off disappearing messages');
  });

  it('writes every action, with "you" in the middle of a sentence', () => {
    const cases: Array<[Omit<GroupUpdate, 'gid' | 'timestamp'>, string]> = [
      [{ action: 'create', actor: ALICE, subject: 'Book club' }, 'Alice created group "Book club"'],
      [{ action: 'add', actor: ALICE, participants: [BOB, CAROL] }, 'Alice added Bob and Carol'],
      [{ action: 'add', actor: ALICE, participants: [ME] }, 'Alice added you'],
      [{ action: 'add', actor: BOB, participants: [BOB] }, 'Bob joined'],
      [{ action: 'remove', actor: ALICE, participants: [BOB] }, 'Alice removed Bob'],
      [{ action: 'remove', actor: BOB, participants: [BOB] }, 'Bob left'],
      [{ action: 'leave', actor: ME, participants: [ME] }, 'You left'],
      [{ action: 'leave', actor: BOB }, 'Bob left'],
      [{ action: 'invite', actor: BOB, participants: [BOB] }, "Bob joined using this group's invite link"],
      [{ action: 'promote', actor: ALICE, participants: [ME] }, 'Alice made you an admin'],
      [{ action: 'promote', actor: ALICE, participants: [BOB, CAROL] }, 'Alice made Bob and Carol admins'],
      [{ action: 'demote', actor: ALICE, participants: [BOB] }, 'Alice dismissed Bob as admin'],
      [{ action: 'subject', actor: ME, subject: 'Readers' }, 'You changed the subject to "Readers"'],
      [{ action: 'description', actor: ALICE, description: 'Books' }, 'Alice changed the group description'],
      [{ action: 'description', actor: ALICE, description: '' }, 'Alice deleted the group description'],
      [{ action: 'announce', actor: ALICE, announce: true }, "Alice changed this group's settings to allow only admins to send messages"],
      [{ action: 'announce', actor: ALICE, announce: false }, "Alice changed this group's settings to allow all participants to send messages"],
      [{ action: 'restrict', actor: ALICE, restrict: true }, "Alice changed this group's settings to allow only admins to edit this group's info"],
      [{ action: 'ephemeral', actor: ALICE, ephemeralSeconds: 604800 }, 'Alice turned on disappearing messages (7 days)'],
      [{ action: 'ephemeral', actor: ALICE, ephemeralSeconds: 0 }, 'Alice turned off disappearing messages'],
      [{ action: 'picture', actor: BOB }, "Bob changed this group's icon"],
    ];
    for (const [fields, sentence] of cases) expect(groupSentence(update(fields), nameOf), fields.action).toBe(sentence);
  });
});
