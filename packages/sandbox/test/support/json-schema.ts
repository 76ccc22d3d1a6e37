/**
 * A tiny JSON Schema checker, enough for the OpenAPI document of the control plane: `$ref` into
 * the document, `type` (also as a list), `const`, `enum`, `properties`, `required`,
 * `additionalProperties`, `items`, `oneOf`, `minimum`, `maximum`, `pattern`. Returns the problems
 * found (empty: valid).
 */
export type JsonSchema = Record<string, unknown>;

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function resolve(root: JsonSchema, pointer: string): JsonSchema {
  if (!pointer.startsWith('#/')) throw new Error(`only local $refs: ${pointer}`);
  let node: unknown = root;
  for (const part of pointer.slice(2).split('/')) node = (node as Record<string, unknown> | undefined)?.[part];
  if (typeof node !== 'object' || node === null) throw new Error(`dangling $ref ${pointer}`);
  return node as JsonSchema;
}

/** Problems of `value` against `schema` (`root` resolves `$ref`s). */
export function validate(value: unknown, schema: JsonSchema, root: JsonSchema, path = '$'): string[] {
  if (typeof schema.$ref === 'string') return validate(value, resolve(root, schema.$ref), root, path);
  const problems: string[] = [];
  const actual = typeOf(value);
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    const fits = types.some((type) => type === actual || (type === 'number' && actual === 'integer'));
    if (!fits) return [`${path}: ${actual}, expected ${types.join('|')}`];
  }
  if ('const' in schema && value !== schema.const) problems.push(`${path}: ${JSON.stringify(value)} ≠ const ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) problems.push(`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'number') {
    if (typeof schema.minimum === 'number' && value < schema.minimum) problems.push(`${path}: ${value} < ${schema.minimum}`);
    if (typeof schema.maximum === 'number' && value > schema.maximum) problems.push(`${path}: ${value} > ${schema.maximum}`);
  }
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) problems.push(`${path}: ${value} does not match ${schema.pattern}`);
  if (actual === 'object') {
    const object = value as Record<string, unknown>;
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    for (const name of (schema.required ?? []) as string[]) if (!(name in object)) problems.push(`${path}: missing ${name}`);
    for (const [name, entry] of Object.entries(object)) {
      if (properties[name]) problems.push(...validate(entry, properties[name], root, `${path}.${name}`));
      else if (schema.additionalProperties === false) problems.push(`${path}: unexpected ${name}`);
      else if (typeof schema.additionalProperties === 'object') problems.push(...validate(entry, schema.additionalProperties as JsonSchema, root, `${path}.${name}`));
    }
  }
  if (actual === 'array' && schema.items !== undefined) {
    (value as unknown[]).forEach((entry, index) => problems.push(...validate(entry, schema.items as JsonSchema, root, `${path}[${index}]`)));
  }
  if (Array.isArray(schema.oneOf)) {
    const matching = (schema.oneOf as JsonSchema[]).filter((option) => validate(value, option, root, path).length === 0).length;
    if (matching !== 1) problems.push(`${path}: matches ${matching} of oneOf, expected exactly 1`);
  }
  return problems;
}
