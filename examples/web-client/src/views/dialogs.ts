/**
 * Modal dialogs: a new group (subject and the contacts to add) and a group's new subject. A
 * dialog is built once and keeps its own state (typed text, ticked boxes, "Creating…", the
 * server's refusal) while the app re-renders the panes behind it.
 */
import { h } from '../dom.ts';
import { avatar } from './avatar.ts';

/** A contact the new-group dialog offers. */
export interface PickableContact {
  jid: string;
  name: string;
}

/** What the dialogs say when the action fails: the error's message (and code). */
function failureText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? `${message} (status ${status})` : message;
}

/** The overlay and card every dialog shares; Escape and a click beside the card close it. */
function modal(testId: string, title: string, onClose: () => void, ...body: HTMLElement[]): HTMLElement {
  const overlay: HTMLElement = h(
    'div',
    {
      class: 'dialog-overlay',
      'data-testid': `${testId}-overlay`,
      onclick: (event) => event.target === overlay && onClose(),
      onkeydown: (event) => (event as KeyboardEvent).key === 'Escape' && onClose(),
    },
    h('div', { class: 'dialog', role: 'dialog', 'aria-modal': 'true', 'aria-label': title, 'data-testid': testId }, h('h2', { class: 'dialog-title' }, title), ...body),
  );
  return overlay;
}

/**
 * "New group": a subject, the contacts to tick, and Create (enabled once both are given).
 * `onCreate` rejecting keeps the dialog open with the reason.
 * @example
 * ```ts
 * document.body.append(newGroupDialog({ contacts, onCreate: (subject, jids) => client.groupCreate(subject, jids).then(open), onClose }));
 * ```
 */
export function newGroupDialog(props: { contacts: readonly PickableContact[]; onCreate(subject: string, jids: string[]): Promise<void>; onClose(): void }): HTMLElement {
  const subject = h('input', { class: 'dialog-input', type: 'text', placeholder: 'Group subject', maxlength: 25, 'data-testid': 'group-subject' });
  const error = h('p', { class: 'dialog-error', 'data-testid': 'dialog-error', hidden: true });
  const picked = new Set<string>();
  const create = h('button', { class: 'primary-button', type: 'button', 'data-testid': 'create-group', disabled: true }, 'Create');
  const update = (): void => {
    create.disabled = subject.value.trim() === '' || picked.size === 0;
  };
  subject.addEventListener('input', update);
  const list = h(
    'div',
    { class: 'pick-list', 'data-testid': 'pick-list' },
    ...props.contacts.map((contact) => {
      const box = h('input', { type: 'checkbox', 'data-testid': 'pick-contact', 'data-jid': contact.jid, value: contact.jid });
      box.addEventListener('change', () => {
        if (box.checked) picked.add(contact.jid);
        else picked.delete(contact.jid);
        update();
      });
      return h('label', { class: 'pick-item' }, box, avatar(contact.jid, contact.name, 34), h('span', { class: 'pick-name' }, contact.name));
    }),
  );
  create.addEventListener('click', () => {
    create.disabled = true;
    create.textContent = 'Creating…';
    error.hidden = true;
    props.onCreate(subject.value.trim(), [...picked]).catch((reason: unknown) => {
      error.textContent = `The group could not be created: ${failureText(reason)}`;
      error.hidden = false;
      create.textContent = 'Create';
      update();
    });
  });
  const dialog = modal(
    'new-group-dialog',
    'New group',
    props.onClose,
    subject,
    h('p', { class: 'dialog-hint' }, 'Add participants'),
    list,
    error,
    h('div', { class: 'dialog-buttons' }, h('button', { class: 'link-button', type: 'button', 'data-testid': 'dialog-cancel', onclick: props.onClose }, 'Cancel'), create),
  );
  queueMicrotask(() => subject.focus());
  return dialog;
}

/**
 * "Change subject": the current subject to edit, and Save.
 * @example
 * ```ts
 * document.body.append(subjectDialog({ subject: 'Weekend Trip', onSave: (text) => client.groupUpdateSubject(gid, text), onClose }));
 * ```
 */
export function subjectDialog(props: { subject: string; onSave(subject: string): Promise<void>; onClose(): void }): HTMLElement {
  const input = h('input', { class: 'dialog-input', type: 'text', value: props.subject, maxlength: 25, 'data-testid': 'subject-input' });
  const error = h('p', { class: 'dialog-error', 'data-testid': 'dialog-error', hidden: true });
  const save = h('button', { class: 'primary-button', type: 'button', 'data-testid': 'save-subject' }, 'Save');
  const submit = (): void => {
    const text = input.value.trim();
    if (text === '') return;
    save.disabled = true;
    error.hidden = true;
    props.onSave(text).catch((reason: unknown) => {
      error.textContent = `The subject could not be changed: ${failureText(reason)}`;
      error.hidden = false;
      save.disabled = false;
    });
  };
  save.addEventListener('click', submit);
  input.addEventListener('keydown', (event) => event.key === 'Enter' && submit());
  const dialog = modal(
    'subject-dialog',
    'Change subject',
    props.onClose,
    input,
    error,
    h('div', { class: 'dialog-buttons' }, h('button', { class: 'link-button', type: 'button', 'data-testid': 'dialog-cancel', onclick: props.onClose }, 'Cancel'), save),
  );
  queueMicrotask(() => {
    input.focus();
    input.select();
  });
  return dialog;
}
