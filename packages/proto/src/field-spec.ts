/**
 * The shape of the field table generated from `proto/WAMessage.proto` (see
 * `src/generated/schema.ts`), which the plain-object converter walks.
 * @module
 */

/** How a field is stored on the wire and shown in the plain-object form. */
export type FieldKind =
  | 'string'
  | 'bytes'
  | 'bool'
  | 'uint32'
  | 'fixed32'
  | 'float'
  | 'double'
  | 'uint64'
  | 'int64'
  | 'enum'
  | 'message';

/**
 * One declared field.
 * @example
 * ```ts
 * const timestamp: FieldSpec = { id: 3, kind: 'uint64' };
 * ```
 */
export interface FieldSpec {
  /** Field number. */
  readonly id: number;
  readonly kind: FieldKind;
  /** Enum or message name for `enum` and `message` fields. */
  readonly type?: string;
  readonly repeated?: true;
  readonly required?: true;
}

/**
 * A 64-bit integer as the encoder accepts it: a decimal string (the decoded form), a safe-integer
 * number or a bigint. Decoding always gives the decimal string, so no value loses precision.
 * @example
 * ```ts
 * const a: Int64Input = '18446744073709551615';
 * const b: Int64Input = 1584004403;
 * const c: Int64Input = 2n ** 60n;
 * ```
 */
export type Int64Input = string | number | bigint;
