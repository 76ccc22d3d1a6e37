/**
 * The names of an enum's values by number, built once per enum from the generated `ENUMS` table
 * (the decoder shows values by name; the encoder checks that a number is declared).
 * @module
 */
import { ENUMS } from './generated/schema.js';

const byNumber = new Map<string, ReadonlyMap<number, string>>();

/**
 * @example
 * ```ts
 * enumNames('WebMessageInfoStatus').get(3); // 'DELIVERY_ACK'
 * ```
 */
export function enumNames(type: string): ReadonlyMap<number, string> {
  let names = byNumber.get(type);
  if (names === undefined) {
    names = new Map(Object.entries(ENUMS[type]!).map(([name, number]) => [number, name]));
    byNumber.set(type, names);
  }
  return names;
}
