/** Bytes from a list of numbers and strings (strings as ASCII), for hand-written frames. */
export function frame(...parts: (number | string | number[])[]): Uint8Array {
  const out: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') out.push(part);
    else if (Array.isArray(part)) out.push(...part);
    else for (let i = 0; i < part.length; i++) out.push(part.charCodeAt(i));
  }
  return new Uint8Array(out);
}
