/** A tiny element builder: the whole UI is plain DOM, so this is the only "framework". */

/** What `h` and `append` accept as children; `null`, `undefined` and `false` are skipped. */
export type Child = Node | string | number | null | undefined | false;

/** Attributes and `on<event>` listeners of `h`. */
export type Props = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

/**
 * Creates an element. `class` sets the class name, `on<event>` adds a listener, `false` and
 * `undefined` values are skipped, anything else becomes an attribute. Strings are text nodes,
 * never HTML, so message contents cannot inject markup.
 * @example
 * ```ts
 * h('button', { class: 'send', 'data-testid': 'send', onclick: () => send() }, 'Send');
 * ```
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (name === 'class') element.className = String(value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

/**
 * Appends children (text for strings and numbers, skipping empty ones).
 * @example
 * ```ts
 * append(row, [avatarElement, 'Alice', unread > 0 && badge]);
 * ```
 */
export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/**
 * An inline SVG icon from one of the constant markup strings in `icons.ts` (never user data).
 * @example
 * ```ts
 * icon(ICONS.send, 'send-icon');
 * ```
 */
export function icon(markup: string, className = 'icon'): HTMLSpanElement {
  const span = document.createElement('span');
  span.className = className;
  span.setAttribute('aria-hidden', 'true');
  span.innerHTML = markup;
  return span;
}
