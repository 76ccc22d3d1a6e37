/**
 * Typed errors of `@wa/binary-codec`. Each carries a stable `code` so callers can branch without
 * parsing messages; a transport drops one frame on a `DecodeError` and keeps the connection.
 * @module
 */

/** Why a byte string is not a valid node. */
export type DecodeErrorCode =
  /** The input is not a `Uint8Array`. */
  | 'INVALID_INPUT'
  /** The input ends before a value does, or a declared length runs past the end. */
  | 'TRUNCATED'
  /**
   * A byte is not a tag that may appear at its position: reserved 240–247, STREAM_8, a list tag
   * where a string belongs, a non-list tag where a node starts, a JID pair as a JID's user part.
   */
  | 'INVALID_TAG'
  /** A node's list size is 0 (a node has at least a description). */
  | 'INVALID_LIST_SIZE'
  /** A token byte (1–235) with no entry in the 176-entry token table. */
  | 'INVALID_TOKEN'
  /** A double-byte dictionary tag (236–239): the legacy protocol shipped no such dictionary. */
  | 'DICTIONARY_UNSUPPORTED'
  /** A packed NIBBLE_8/HEX_8 string is empty, or a NIBBLE_8 string holds a nibble (12–15) that is not a digit, `-` or `.`. */
  | 'INVALID_PACKED'
  /** A string written as raw bytes is not well-formed UTF-8. */
  | 'INVALID_UTF8'
  /** Nodes nest deeper than `MAX_DEPTH` (256). */
  | 'TOO_DEEP'
  /** Bytes remain after the root node. */
  | 'TRAILING_BYTES';

/** Why a node cannot be encoded. */
export type EncodeErrorCode =
  /** Not a three-element array. */
  | 'INVALID_NODE'
  /** The description is not a string. */
  | 'INVALID_DESCRIPTION'
  /** The attributes are neither `null` nor a plain object of string values. */
  | 'INVALID_ATTRIBUTES'
  /** The content is not `null`, a node array, a `Uint8Array` or a string. */
  | 'INVALID_CONTENT'
  /** More attributes than a LIST_16 node header can count (32 767). */
  | 'TOO_MANY_ATTRIBUTES'
  /** More than 65 535 child nodes. */
  | 'LIST_TOO_LONG'
  /** A string or byte array longer than BINARY_32 can describe (2³² − 1 bytes). */
  | 'TOO_LONG'
  /** Nodes nest deeper than `MAX_DEPTH` (256), or contain themselves. */
  | 'TOO_DEEP';

/**
 * The bytes are not a valid binary node. Thrown only by `decode`; `offset` is the index of the
 * byte where the problem was found.
 * @example
 * ```ts
 * try {
 *   decode(new Uint8Array([0xf8, 0x02]));
 * } catch (error) {
 *   if (error instanceof DecodeError) console.warn(error.code, error.offset); // TRUNCATED 2
 * }
 * ```
 */
export class DecodeError extends Error {
  /** Stable code identifying the kind of problem. */
  readonly code: DecodeErrorCode;
  /** Byte offset in the input where the problem was found. */
  readonly offset: number;

  constructor(code: DecodeErrorCode, offset: number, message: string) {
    super(`${message} (at byte ${offset})`);
    this.name = 'DecodeError';
    this.code = code;
    this.offset = offset;
  }
}

/**
 * The node cannot be written in the binary format. `path` locates the offending part, e.g.
 * `root.content[2].attributes.jid`.
 * @example
 * ```ts
 * try {
 *   encode(['x', { n: 5 as unknown as string }, null]);
 * } catch (error) {
 *   if (error instanceof EncodeError) console.warn(error.code, error.path); // INVALID_ATTRIBUTES root.attributes.n
 * }
 * ```
 */
export class EncodeError extends Error {
  /** Stable code identifying the kind of problem. */
  readonly code: EncodeErrorCode;
  /** Where in the node the problem is, starting at `root`. */
  readonly path: string;

  constructor(code: EncodeErrorCode, path: string, message: string) {
    super(`${message} (at ${path})`);
    this.name = 'EncodeError';
    this.code = code;
    this.path = path;
  }
}

/**
 * `requireAttribute` found no attribute of that name (code `MISSING_ATTRIBUTE`).
 * @example
 * ```ts
 * try {
 *   requireAttribute(['chat', null, null], 'jid');
 * } catch (error) {
 *   if (error instanceof MissingAttributeError) console.warn(error.attribute); // 'jid'
 * }
 * ```
 */
export class MissingAttributeError extends Error {
  /** Always `MISSING_ATTRIBUTE`. */
  readonly code = 'MISSING_ATTRIBUTE' as const;
  /** The description of the node that lacks the attribute. */
  readonly description: string;
  /** The attribute that was required. */
  readonly attribute: string;

  constructor(description: string, attribute: string) {
    super(`<${description}> has no attribute "${attribute}"`);
    this.name = 'MissingAttributeError';
    this.description = description;
    this.attribute = attribute;
  }
}

/**
 * A value handed to `nodeFromJSON` is not a node in the vectors' JSON form
 * (code `INVALID_JSON_NODE`); `path` locates the problem.
 * @example
 * ```ts
 * try {
 *   nodeFromJSON(['x', null, { bytes: 'zz' }]);
 * } catch (error) {
 *   if (error instanceof NodeJSONError) console.warn(error.path); // root.content.bytes
 * }
 * ```
 */
export class NodeJSONError extends Error {
  /** Always `INVALID_JSON_NODE`. */
  readonly code = 'INVALID_JSON_NODE' as const;
  /** Where in the value the problem is, starting at `root`. */
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${message} (at ${path})`);
    this.name = 'NodeJSONError';
    this.path = path;
  }
}
