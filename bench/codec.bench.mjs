// @wa/binary-codec: decode and encode throughput on the captured vectors (codec-reference frames
// and captured frames), beside JSON.parse / JSON.stringify of the same nodes in their JSON form,
// measured in the same run. Writes bench/results/codec.json.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { decode, encode, hexToBytes, nodeToJSON } from '@wa/binary-codec';
import { machineInfo, measure, writeResult } from './lib/measure.mjs';

const vectorsDir = fileURLToPath(new URL('../../shared/vectors/', import.meta.url));
const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 2500);

const load = (name) => JSON.parse(readFileSync(vectorsDir + name, 'utf8'));
const frames = [...load('codec-reference.json'), ...load('captured-frames.json')].map((frame) => hexToBytes(frame.hex));
const nodes = frames.map((bytes) => decode(bytes));
const jsonValues = nodes.map((node) => nodeToJSON(node));
const jsonTexts = jsonValues.map((value) => JSON.stringify(value));

const countNodes = (node) => 1 + (Array.isArray(node[2]) ? node[2].reduce((sum, child) => sum + countNodes(child), 0) : 0);
const binaryBytes = frames.reduce((sum, bytes) => sum + bytes.length, 0);
const jsonBytes = jsonTexts.reduce((sum, text) => sum + new TextEncoder().encode(text).length, 0);
const nodeCount = nodes.reduce((sum, node) => sum + countNodes(node), 0);

function decodeAll() {
  let last;
  for (const bytes of frames) last = decode(bytes);
  return last;
}
function parseAll() {
  let last;
  for (const text of jsonTexts) last = JSON.parse(text);
  return last;
}
function encodeAll() {
  let last;
  for (const node of nodes) last = encode(node);
  return last;
}
function stringifyAll() {
  let last;
  for (const value of jsonValues) last = JSON.stringify(value);
  return last;
}

/** One pass over every frame per call: rates per second of passes, bytes and nodes. */
function rate(name, fn, bytesPerPass) {
  const { opsPerSec, msPerOp, iterations } = measure(fn, { minMs: MIN_MS });
  const result = {
    passesPerSec: round(opsPerSec),
    msPerPass: round(msPerOp, 3),
    MBPerSec: round((opsPerSec * bytesPerPass) / 1e6),
    nodesPerSec: Math.round(opsPerSec * nodeCount),
    iterations,
  };
  console.log(`${name.padEnd(15)} ${String(result.MBPerSec).padStart(8)} MB/s  ${String(result.nodesPerSec).padStart(11)} nodes/s  (${result.msPerPass} ms per pass)`);
  return result;
}

function round(value, digits = 1) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

console.log(`${frames.length} frames, ${nodeCount} nodes, ${binaryBytes} binary bytes, ${jsonBytes} bytes as JSON`);
const results = {
  decode: rate('decode', decodeAll, binaryBytes),
  jsonParse: rate('JSON.parse', parseAll, jsonBytes),
  encode: rate('encode', encodeAll, binaryBytes),
  jsonStringify: rate('JSON.stringify', stringifyAll, jsonBytes),
};
// Ratios compare time over the same nodes (> 1: the codec is faster than the JSON baseline).
const ratios = {
  decodeVsJsonParse: round(results.decode.passesPerSec / results.jsonParse.passesPerSec, 2),
  encodeVsJsonStringify: round(results.encode.passesPerSec / results.jsonStringify.passesPerSec, 2),
};
console.log(`decode is ${ratios.decodeVsJsonParse}× JSON.parse, encode is ${ratios.encodeVsJsonStringify}× JSON.stringify (same nodes)`);

writeResult('codec', {
  benchmark: 'codec',
  date: new Date().toISOString(),
  machine: machineInfo(),
  data: { frames: frames.length, nodes: nodeCount, binaryBytes, jsonBytes, source: 'shared/vectors: codec-reference.json + captured-frames.json' },
  notes:
    'MB/s counts each side in its own form (binary bytes for the codec, JSON text bytes for the baseline, where binary content is hex); ratios compare passes per second over the same nodes.',
  results,
  ratios,
});
