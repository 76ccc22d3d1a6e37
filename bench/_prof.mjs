import { readFileSync } from 'node:fs';
import { decode, encode, hexToBytes } from '@wa/binary-codec';
const load = (n) => JSON.parse(readFileSync('/work/shared/vectors/' + n, 'utf8'));
const frames = [...load('codec-reference.json'), ...load('captured-frames.json')].map((f) => hexToBytes(f.hex));
const nodes = frames.map(decode);
const mode = process.argv[2];
const t = performance.now(); let n = 0;
while (performance.now() - t < 4000) { if (mode === 'enc') for (const x of nodes) encode(x); else for (const f of frames) decode(f); n++; }
console.log(mode, (performance.now() - t) / n, 'ms/pass');
