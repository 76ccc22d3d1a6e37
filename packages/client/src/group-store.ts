/**
 * What the client knows about its groups: metadata from `groupMetadata()` answers, kept current
 * by the `group-update` events (participants, admin flags, subject, description, settings).
 * Used by the {@link ChatStore} as `store.groups`.
 * @module
 */
import type { GroupUpdate } from './groups.js';
import type { GroupMetadata } from './queries.js';

/** A group as the client's store knows it: its metadata, kept current, and its disappearing-messages setting. */
export interface GroupInfo extends GroupMetadata {
  /** Disappearing messages in seconds; absent = off. */
  ephemeralSeconds?: number;
}

function copy(group: GroupInfo): GroupInfo {
  return { ...group, participants: group.participants.map((participant) => ({ ...participant })) };
}

/**
 * Groups by id. Snapshots are copies.
 * @example
 * ```ts
 * const groups = new GroupStore();
 * groups.set({ id: '15550100001-1700000000@g.us', subject: 'Book club', participants: [] });
 * groups.get('15550100001-1700000000@g.us')?.subject; // 'Book club'
 * ```
 */
export class GroupStore {
  readonly #groups = new Map<string, GroupInfo>();

  /**
   * Replaces what is known about a group (from a metadata answer).
   * @example
   * ```ts
   * store.groups.set(metadata);
   * ```
   */
  set(group: GroupInfo): void {
    this.#groups.set(group.id, copy(group));
  }

  /**
   * One group, or `undefined`.
   * @example
   * ```ts
   * store.groups.get(gid)?.participants.length;
   * ```
   */
  get(gid: string): GroupInfo | undefined {
    const group = this.#groups.get(gid);
    return group === undefined ? undefined : copy(group);
  }

  /**
   * Every known group.
   * @example
   * ```ts
   * store.groups.list().map((group) => group.subject);
   * ```
   */
  list(): GroupInfo[] {
    return [...this.#groups.values()].map(copy);
  }

  /**
   * Applies a change. A group first seen in an update is created from it (a `create` knows the
   * creator as its super admin); participants of an unknown group are learnt as they are added.
   * @example
   * ```ts
   * store.groups.apply({ gid, action: 'promote', actor, participants: [alice], timestamp });
   * ```
   */
  apply(update: GroupUpdate): void {
    let group = this.#groups.get(update.gid);
    if (group === undefined) {
      group = { id: update.gid, participants: [] };
      this.#groups.set(update.gid, group);
    }
    const members = group.participants;
    const find = (id: string): { id: string; isAdmin: boolean; isSuperAdmin: boolean } | undefined => members.find((member) => member.id === id);
    switch (update.action) {
      case 'create':
        group.owner = update.actor;
        // The id's seconds are the creation time when known (the stub's time may be a second later).
        group.creation ??= update.timestamp;
        if (update.subject !== undefined) group.subject = update.subject;
        if (!find(update.actor)) members.push({ id: update.actor, isAdmin: true, isSuperAdmin: true });
        break;
      case 'add':
      case 'invite':
        for (const id of update.participants ?? []) if (!find(id)) members.push({ id, isAdmin: false, isSuperAdmin: false });
        break;
      case 'remove':
      case 'leave':
        group.participants = members.filter((member) => !(update.participants ?? []).includes(member.id));
        break;
      case 'promote':
      case 'demote':
        for (const id of update.participants ?? []) {
          // A group learnt from events alone may not list everyone yet: whoever is promoted or demoted is a member.
          let member = find(id);
          if (!member) {
            member = { id, isAdmin: false, isSuperAdmin: false };
            members.push(member);
          }
          member.isAdmin = update.action === 'promote';
          if (update.action === 'demote') member.isSuperAdmin = false;
        }
        break;
      case 'subject':
        if (update.subject !== undefined) group.subject = update.subject;
        break;
      case 'description':
        if (update.description === undefined || update.description === '') {
          delete group.desc;
          delete group.descId;
        } else {
          group.desc = update.description;
          if (update.descriptionId !== undefined) group.descId = update.descriptionId;
        }
        break;
      case 'announce':
        if (update.announce !== undefined) group.announce = update.announce;
        break;
      case 'restrict':
        if (update.restrict !== undefined) group.restrict = update.restrict;
        break;
      case 'ephemeral':
        if (update.ephemeralSeconds === undefined || update.ephemeralSeconds === 0) delete group.ephemeralSeconds;
        else group.ephemeralSeconds = update.ephemeralSeconds;
        break;
      case 'picture':
        break;
    }
  }

  /**
   * Forgets every group (after a logout).
   * @example
   * ```ts
   * store.groups.clear();
   * ```
   */
  clear(): void {
    this.#groups.clear();
  }
}
