import { readFileSync } from 'node:fs';
import { decode, hexToBytes } from '@wa/binary-codec';
const load = (n) => JSON.parse(readFileSync('/work/shared/vectors/' + n, 'utf8'));
const nodes = [...load('codec-reference.json'), ...load('captured-frames.json')].map((f) => decode(hexToBytes(f.hex)));
const st = { strings: 0, chars: 0, long: 0, longChars: 0, bytes: 0, bytesLen: 0, attrs: 0, nonAscii: 0 };
const s = (x) => { st.strings++; st.chars += x.length; if (x.length > 85) { st.long++; st.longChars += x.length; } if (/[^\x00-\x7f]/.test(x)) st.nonAscii++; };
const walk = (n) => { s(n[0]); if (n[1]) for (const [k, v] of Object.entries(n[1])) { st.attrs++; s(k); s(v); } const c = n[2]; if (typeof c === 'string') s(c); else if (c instanceof Uint8Array) { st.bytes++; st.bytesLen += c.length; } else if (c) c.forEach(walk); };
nodes.forEach(walk); console.log(st);
