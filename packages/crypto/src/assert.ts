/**
 * Input checks shared by every public function. Internal: not exported from the package.
 * @module
 */
import { InvalidInputError } from './errors.js';

/**
 * True for a `Uint8Array`, including one from another realm (an iframe, a worker, vitest's
 * browser runner) where `instanceof` fails, and including Node's `Buffer` subclass.
 */
export function isBytes(value: unknown): value is Uint8Array {
  return (
    value instanceof Uint8Array ||
    (ArrayBuffer.isView(value) && value.constructor.name === 'Uint8Array')
  );
}

/** Describes a value's type for an error message without revealing its content. */
function describe(value: unknown): string {
  if (value === null) return 'null';
  if (ArrayBuffer.isView(value)) return value.constructor.name;
  return typeof value;
}

/**
 * Throws InvalidInputError unless `value` is a Uint8Array (of exactly `length` bytes when
 * given). The message names the parameter and the lengths, never the bytes.
 */
export function assertBytes(value: unknown, name: string, length?: number): asserts value is Uint8Array {
  if (!isBytes(value)) throw new InvalidInputError(`${name} must be a Uint8Array, got ${describe(value)}`);
  if (length !== undefined && value.length !== length) {
    throw new InvalidInputError(`${name} must be ${length} bytes, got ${value.length}`);
  }
}

/** Throws InvalidInputError unless `value` is an integer in `[min, max]`. */
export function assertInteger(value: unknown, name: string, min: number, max: number): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidInputError(`${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
}

/** Throws InvalidInputError unless `value` is a non-null object (an options or input bag). */
export function assertObject(value: unknown, name: string): asserts value is object {
  if (typeof value !== 'object' || value === null) throw new InvalidInputError(`${name} must be an object, got ${describe(value)}`);
}
