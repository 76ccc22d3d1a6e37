import { attributeNames, type Node } from '../../src/index.ts';

/**
 * Where two nodes first differ (values, content types, attribute order), or `undefined` when
 * they are the same. Cheaper than comparing JSON text for the thousands of property-test nodes.
 */
export function firstDifference(a: Node, b: Node, path = 'root'): string | undefined {
  if (a[0] !== b[0]) return `${path}.description`;
  const aAttrs = a[1];
  const bAttrs = b[1];
  if ((aAttrs === null) !== (bAttrs === null)) return `${path}.attributes`;
  if (aAttrs !== null && bAttrs !== null) {
    const aNames = attributeNames(aAttrs);
    const bNames = attributeNames(bAttrs);
    if (aNames.length !== bNames.length) return `${path}.attributes`;
    for (let i = 0; i < aNames.length; i++) {
      const name = aNames[i] as string;
      if (name !== bNames[i] || aAttrs[name] !== bAttrs[name]) return `${path}.attributes.${name}`;
    }
  }
  const aContent = a[2];
  const bContent = b[2];
  if (aContent === null || typeof aContent === 'string') return aContent === bContent ? undefined : `${path}.content`;
  if (aContent instanceof Uint8Array) {
    if (!(bContent instanceof Uint8Array) || bContent.constructor !== Uint8Array || aContent.length !== bContent.length) return `${path}.content`;
    for (let i = 0; i < aContent.length; i++) if (aContent[i] !== bContent[i]) return `${path}.content[${i}]`;
    return undefined;
  }
  if (!Array.isArray(bContent) || aContent.length !== bContent.length) return `${path}.content`;
  for (let i = 0; i < aContent.length; i++) {
    const difference = firstDifference(aContent[i] as Node, bContent[i] as Node, `${path}.content[${i}]`);
    if (difference !== undefined) return difference;
  }
  return undefined;
}
