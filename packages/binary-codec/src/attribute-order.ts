/**
 * Attribute order for names that look like array indexes. JavaScript objects enumerate such
 * names (`"404"`, `"5"`) before all others, in ascending order, whatever order they were
 * added in; the token table holds several (`200`, `404`, `409`, …), so a frame may carry them
 * anywhere. To keep "attributes keep their order" true for them as well, attributes built here
 * (and by `decode`) remember the written order in a hidden, non-enumerable property that
 * `encode` and `nodeToString` read. Plain objects without it simply use their own key order.
 * @module
 */

import type { Attributes } from './node.js';

/** Where the written order is kept; `Symbol.for` so two copies of this package agree. */
const ORDER: unique symbol = Symbol.for('@wa/binary-codec/attribute-order') as never;

type OrderedAttributes = Attributes & { [ORDER]?: readonly string[] };

/** Whether JavaScript enumerates `key` ahead of other property names (a canonical array index). */
export function isIndexKey(key: string): boolean {
  const first = key.charCodeAt(0);
  if (!(first >= 0x30 && first <= 0x39)) return false;
  return /^(?:0|[1-9][0-9]*)$/.test(key) && Number(key) < 0xffffffff;
}

/** Sets `attributes[key]`; `__proto__` becomes an own property instead of replacing the prototype. */
export function setAttribute(attributes: Attributes, key: string, value: string): void {
  if (key === '__proto__') Object.defineProperty(attributes, key, { value, enumerable: true, writable: true, configurable: true });
  else attributes[key] = value;
}

/** The largest array index; storing there forces sparse element storage (see below). */
const LAST_ARRAY_INDEX = 0xfffffffe;

/**
 * Call on a fresh attributes object before its first index-like name is stored. V8 keeps index
 * names in an elements array sized past the largest index, so a single `"404"` would allocate
 * and zero ~600 slots, and every `Object.keys` afterwards (in `encode`, in the caller) would
 * walk them all. Touching the largest index once switches the object to sparse (dictionary)
 * elements, which hold only the names present. Nothing observable remains: the object has not
 * been shared yet and the temporary property is deleted at once.
 */
export function useSparseIndexes(attributes: Attributes): void {
  attributes[LAST_ARRAY_INDEX] = '';
  delete attributes[LAST_ARRAY_INDEX];
}

/**
 * Whether JavaScript enumerates names added in `order` (first occurrences, in written order) in
 * that same order: true unless an index-like name follows another name or a larger index.
 * Decided from `order` alone, since `Object.keys` on an object with index names is slow.
 */
function enumeratesInOrder(order: readonly string[]): boolean {
  let lastIndex = -1;
  let sawName = false;
  for (const key of order) {
    if (!isIndexKey(key)) sawName = true;
    else if (sawName || Number(key) < lastIndex) return false;
    else lastIndex = Number(key);
  }
  return true;
}

/**
 * Records `order` (the names in written order, each once) on `attributes` when the object's own
 * enumeration differs from it, which happens only when an index-like name follows another name
 * or a larger index. Takes `order` over: it is frozen and kept, not copied.
 */
export function rememberOrder(attributes: Attributes, order: string[]): void {
  if (!enumeratesInOrder(order)) storeOrder(attributes, order);
}

/**
 * Records `order` on `attributes` unconditionally: for callers (`decode`) that already know the
 * object's own enumeration differs from it. Takes `order` over.
 */
export function storeOrder(attributes: Attributes, order: string[]): void {
  Object.defineProperty(attributes, ORDER, { value: Object.freeze(order), enumerable: false, configurable: true });
}

/**
 * Builds attributes that keep the given order on `encode`, even for index-like names such as
 * `"404"` that a plain object would move to the front. A later duplicate name replaces the
 * value but keeps its first position.
 * @example
 * ```ts
 * const attrs = createAttributes([['type', 'chat'], ['404', 'x']]);
 * Object.keys(attrs); // ['404', 'type'] (JavaScript's order)
 * encode(['n', attrs, null]); // writes type first, then 404
 * ```
 */
export function createAttributes(entries: Iterable<readonly [string, string]>): Attributes {
  const attributes: Attributes = {};
  const order: string[] = [];
  let indexLike = false;
  for (const [key, value] of entries) {
    if (!Object.prototype.hasOwnProperty.call(attributes, key)) {
      order.push(key);
      if (!indexLike && isIndexKey(key)) {
        indexLike = true;
        useSparseIndexes(attributes);
      }
    }
    setAttribute(attributes, key, value);
  }
  if (indexLike) rememberOrder(attributes, order);
  return attributes;
}

/**
 * The attribute names in the order to write them: the remembered order when there is one (names
 * since deleted are skipped, names since added follow at the end), else the object's own order.
 * @example
 * ```ts
 * attributeNames(createAttributes([['type', 'chat'], ['404', 'x']])); // ['type', '404']
 * attributeNames({ type: 'chat', 404: 'x' }); // ['404', 'type']
 * ```
 */
export function attributeNames(attributes: Attributes): string[] {
  const own = Object.keys(attributes);
  // Index-like names always enumerate first, so without one in front there is nothing to reorder.
  if (own.length < 2 || !isIndexKey(own[0] as string)) return own;
  const order = (attributes as OrderedAttributes)[ORDER];
  if (order === undefined || !Object.prototype.hasOwnProperty.call(attributes, ORDER)) return own;
  const names = order.filter((key) => Object.prototype.propertyIsEnumerable.call(attributes, key));
  if (names.length === own.length) return names;
  const seen = new Set(names);
  for (const key of own) if (!seen.has(key)) names.push(key);
  return names;
}
