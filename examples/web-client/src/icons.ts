/** The few SVG icons of the UI, drawn for this example (24 × 24 or 16 × 11 view boxes). */

const svg = (viewBox: string, body: string): string =>
  `<svg viewBox="${viewBox}" width="100%" height="100%" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;

/**
 * The icon markup, for `icon()` in `dom.ts`.
 * @example
 * ```ts
 * button.append(icon(ICONS.send));
 * ```
 */
export const ICONS = /* @__PURE__ */ Object.freeze({
  /** One check: the server has the message (SERVER_ACK). */
  check: svg('0 0 16 11', '<path fill="currentColor" d="M11.1.3 4.6 7.7 1.9 5.1.6 6.5l4.1 3.9L12.6 1.6z"/>'),
  /** Two checks: delivered (grey) or read (blue). */
  doubleCheck: svg(
    '0 0 16 11',
    '<path fill="currentColor" d="M11.1.3 4.6 7.7 1.9 5.1.6 6.5l4.1 3.9L12.6 1.6z"/><path fill="currentColor" d="M15.4 1.6 14 .3 7.5 7.7l-.9-.8-1.3 1.4 2.3 2.1z"/>',
  ),
  /** A clock: not yet acknowledged by the server. */
  clock: svg('0 0 16 16', '<circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" stroke-width="1.4"/><path d="M8 4.2V8l2.6 1.6" fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round"/>'),
  /** An exclamation mark: sending failed. */
  error: svg('0 0 16 16', '<circle cx="8" cy="8" r="7" fill="#e53935"/><path d="M8 4v5M8 11.2v.6" stroke="#fff" stroke-width="1.8" stroke-linecap="round"/>'),
  /** A paperclip: attach a file. */
  attach: svg('0 0 24 24', '<path fill="currentColor" d="M16.5 6v11.5a4 4 0 0 1-8 0V5a2.5 2.5 0 0 1 5 0v10.5a1 1 0 0 1-2 0V6H10v9.5a2.5 2.5 0 0 0 5 0V5a4 4 0 0 0-8 0v12.5a5.5 5.5 0 0 0 11 0V6z"/>'),
  send: svg('0 0 24 24', '<path fill="currentColor" d="M1.1 21.8 23 12 1.1 2.2 1.1 9.8 16.7 12 1.1 14.2z"/>'),
  search: svg('0 0 24 24', '<path fill="currentColor" d="M15.9 14.3h-.8l-.3-.3a6.5 6.5 0 1 0-.7.7l.3.3v.8l5 5 1.5-1.5-5-5zm-6 0a4.5 4.5 0 1 1 0-9 4.5 4.5 0 0 1 0 9z"/>'),
  logout: svg('0 0 24 24', '<path fill="currentColor" d="M10.1 15.6 11.5 17l5-5-5-5-1.4 1.4 2.6 2.6H3v2h9.7zM19 3H5a2 2 0 0 0-2 2v4h2V5h14v14H5v-4H3v4a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V5a2 2 0 0 0-2-2z"/>'),
  group: svg('0 0 24 24', '<path fill="currentColor" d="M16 11a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm-8 0a3 3 0 1 0 0-6 3 3 0 0 0 0 6zm0 2c-2.3 0-7 1.2-7 3.5V19h14v-2.5C15 14.2 10.3 13 8 13zm8 0-1 .1c1.2.8 2 2 2 3.4V19h6v-2.5c0-2.3-4.7-3.5-7-3.5z"/>'),
  lock: svg('0 0 24 24', '<path fill="currentColor" d="M18 8h-1V6A5 5 0 0 0 7 6v2H6a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V10a2 2 0 0 0-2-2zM9 6a3 3 0 1 1 6 0v2H9zm3 11a2 2 0 1 1 0-4 2 2 0 0 1 0 4z"/>'),
  laptop: svg('0 0 24 24', '<path fill="currentColor" d="M20 18a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2H4a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2H0v2h24v-2zM4 6h16v10H4z"/>'),
  /** A pin: the chat is pinned to the top. */
  pin: svg('0 0 24 24', '<path fill="currentColor" d="M16 3v2h-1v6l3 3v2h-5v5l-1 1-1-1v-5H6v-2l3-3V5H8V3z"/>'),
  /** A crossed-out speaker: the chat is muted. */
  muted: svg('0 0 24 24', '<path fill="currentColor" d="M3.3 2 2 3.3 6.7 8H3v8h4l5 5v-7.7l4.3 4.3c-.7.5-1.4.9-2.3 1.1v2.1a8.9 8.9 0 0 0 3.7-1.8l2 2 1.3-1.3zM12 3 9.9 5.1 12 7.2zm6.5 9c0 1-.2 1.9-.6 2.8l1.5 1.5A8.9 8.9 0 0 0 14 3.2v2.1a7 7 0 0 1 4.5 6.7zM16.5 12A4.5 4.5 0 0 0 14 8v2.2l2.5 2.5z"/>'),
  /** A box: archived chats. */
  archive: svg('0 0 24 24', '<path fill="currentColor" d="M20.5 5.2 19.1 3.5A1.5 1.5 0 0 0 18 3H6c-.5 0-.9.2-1.2.5L3.5 5.2C3.2 5.6 3 6 3 6.5V19a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V6.5c0-.5-.2-.9-.5-1.3zM12 17.5 6.5 12H10v-2h4v2h3.5zM5.1 5l.8-1h12l.9 1z"/>'),
  /** A chevron: opens a menu. */
  chevron: svg('0 0 19 20', '<path fill="currentColor" d="m3.8 6.7 5.7 5.7 5.7-5.7 1.6 1.6-7.3 7.2-7.3-7.2z"/>'),
  /** A star: a starred message. */
  star: svg('0 0 24 24', '<path fill="currentColor" d="m12 17.3 6.2 3.7-1.6-7 5.4-4.7-7.2-.6L12 2 9.2 8.7 2 9.3l5.4 4.7-1.6 7z"/>'),
  /** People with a plus: a new group. */
  newGroup: svg('0 0 24 24', '<path fill="currentColor" d="M9 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zm0 2c-2.7 0-8 1.3-8 4v2h16v-2c0-2.7-5.3-4-8-4zm11-4V7h-2v3h-3v2h3v3h2v-3h3v-2z"/>'),
  /** A pencil: edit. */
  edit: svg('0 0 24 24', '<path fill="currentColor" d="M3 17.2V21h3.8L17.8 9.9 14 6.1zM20.7 7a1 1 0 0 0 0-1.4l-2.3-2.3a1 1 0 0 0-1.4 0l-1.8 1.8 3.7 3.8z"/>'),
  /** An arrow to the left: back. */
  back: svg('0 0 24 24', '<path fill="currentColor" d="M12 4l1.4 1.4L7.8 11H20v2H7.8l5.6 5.6L12 20l-8-8z"/>'),
  /** A map pin: a location. */
  location: svg('0 0 24 24', '<path fill="currentColor" d="M12 2a7 7 0 0 0-7 7c0 5.3 7 13 7 13s7-7.7 7-13a7 7 0 0 0-7-7zm0 9.5a2.5 2.5 0 1 1 0-5 2.5 2.5 0 0 1 0 5z"/>'),
  phone: svg('0 0 24 24', '<path fill="currentColor" d="M16 1H8a2 2 0 0 0-2 2v18a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2V3a2 2 0 0 0-2-2zm-4 21a1.5 1.5 0 1 1 0-3 1.5 1.5 0 0 1 0 3zm4.5-4h-9V4h9z"/>'),
} as const);
