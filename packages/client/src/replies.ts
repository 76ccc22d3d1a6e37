/**
 * Reading the JSON answers of the server: most carry a numeric `status` (200 ok, 401, 404 …).
 * @module
 */

/** A JSON object (not an array, not null). */
export type JsonRecord = Record<string, unknown>;

/**
 * Whether `value` is a JSON object.
 * @example
 * ```ts
 * isRecord({ status: 200 }); // true
 * isRecord([200]);           // false
 * ```
 */
export function isRecord(value: unknown): value is JsonRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `status` of a JSON answer, or `undefined` when it has none.
 * @example
 * ```ts
 * statusOf({ status: 404 }); // 404
 * ```
 */
export function statusOf(value: unknown): number | undefined {
  return isRecord(value) && typeof value.status === 'number' ? value.status : undefined;
}
