// @wa/binary-codec: decode and encode throughput on a 200-chat list frame and on the captured
// vectors (codec-reference frames and captured frames), beside two baselines measured in the
// same run: the codec of the most used legacy TypeScript client (@adiwajshing/baileys@3.5.3,
// lib/Binary/Decoder.js and Encoder.js, resolved from the interop package that depends on it)
// and JSON.parse / JSON.stringify of the same nodes in their JSON form. Checks the goals of
// issue 13 and writes bench/results/codec.json. Speed is only reported, never asserted.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { decode, encode, hexToBytes, nodeToJSON } from '@wa/binary-codec';
import { machineInfo, measure, writeResult } from './lib/measure.mjs';

const vectorsDir = fileURLToPath(new URL('../../shared/vectors/', import.meta.url));
/** Time per measurement of one case in one round; every case runs once per round. */
const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 500);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
/** Issue 13: the least each ratio (passes per second, codec / baseline) may be. */
const GOALS = { decodeVsBaileys: 3, encodeVsBaileys: 3, decodeVsJsonParse: 1 };

// The legacy client is not a dependency of the benchmarks: the interop package installs it (its
// devDependency @adiwajshing/baileys@3.5.3), so resolve it from there.
const interopRequire = createRequire(new URL('../interop/package.json', import.meta.url));
const BaileysDecoder = interopRequire('@adiwajshing/baileys/lib/Binary/Decoder.js').default;
const BaileysEncoder = interopRequire('@adiwajshing/baileys/lib/Binary/Encoder.js').default;
const { WA } = interopRequire('@adiwajshing/baileys/lib/Binary/Constants.js');
const baileysVersion = interopRequire('@adiwajshing/baileys/package.json').version;
// Baileys' decoder also parses the bytes of every `message` node as a WebMessageInfo protobuf
// (and its encoder serialises objects there). That is not codec work and the reference frames'
// `message` bytes are not protobufs, so the baseline runs with that step passed through: `message`
// content stays the Buffer it read. Everything else is Baileys' code as shipped.
WA.Message = { decode: (bytes) => bytes, encode: WA.Message.encode };
const baileysDecoder = new BaileysDecoder();
const baileysEncoder = new BaileysEncoder();

// --- data ---------------------------------------------------------------------------------------

/** Seeded xorshift32, so every run builds the same chat list. */
function random(seed) {
  let state = seed;
  return (limit) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % limit;
  };
}

/**
 * The answer to the chat-list query as the sandbox builds it (`chatNode` in
 * packages/sandbox/src/protocol/nodes.ts): `["response", {type: "chat"}, [chat × 200]]`, each chat
 * with jid, count, t, mute, modify_tag, spam and mostly a name; some groups, some archived.
 */
function chatListNode(count) {
  const pick = random(0x5eed);
  const names = ['Alice', 'Bob', 'Carol Smith', 'Dev team 🚀', 'Família', 'Mum', 'Work', 'Ünal', 'Zoë', 'Football Sundays'];
  const chats = [];
  for (let i = 0; i < count; i++) {
    const group = pick(5) === 0;
    const phone = `${1 + pick(9)}${String(pick(1e9)).padStart(9, '0')}${pick(10)}`;
    const jid = group ? `${phone}-${1500000000 + pick(1e8)}@g.us` : `${phone}@c.us`;
    const t = 1600000000 + pick(1e7);
    const attrs = { jid, count: String(pick(8) === 0 ? pick(40) : 0), t: String(t), mute: pick(10) === 0 ? String(t + 28800) : '0' };
    attrs.modify_tag = String(100000 + (t % 900000));
    attrs.spam = 'false';
    if (pick(4) !== 0) attrs.name = `${names[pick(names.length)]}${pick(3) === 0 ? ` ${i}` : ''}`;
    if (pick(12) === 0) attrs.archive = 'true';
    if (group && pick(6) === 0) attrs.read_only = 'true';
    chats.push(['chat', attrs, null]);
  }
  return ['response', { type: 'chat' }, chats];
}

const load = (name) => JSON.parse(readFileSync(vectorsDir + name, 'utf8'));
const vectorFrames = [...load('codec-reference.json'), ...load('captured-frames.json')].map((frame) => hexToBytes(frame.hex));
// Encoded from a JSON round trip of the node, whose strings are flat like decoded ones: the
// generator's template-literal results are rope strings, and an encoder that has seen those once
// stays on slower generic string paths (~2× here) for the rest of the process (README, codec).
const chatListFrame = encode(JSON.parse(JSON.stringify(chatListNode(200))));

/** Everything each case needs, prepared once: frames, decoded nodes, JSON texts, Buffers and Baileys' nodes. */
function dataset(name, frames) {
  const nodes = frames.map((bytes) => decode(bytes));
  const jsonValues = nodes.map((node) => nodeToJSON(node));
  const jsonTexts = jsonValues.map((value) => JSON.stringify(value));
  // Baileys reads Node Buffers (its strings come from Buffer#toString) and encodes its own node form.
  const buffers = frames.map((bytes) => Buffer.from(bytes));
  const baileysNodes = buffers.map((buffer) => baileysDecoder.read(buffer));
  const countNodes = (node) => 1 + (Array.isArray(node[2]) ? node[2].reduce((sum, child) => sum + countNodes(child), 0) : 0);
  return {
    name,
    frames,
    nodes,
    jsonValues,
    jsonTexts,
    buffers,
    baileysNodes,
    binaryBytes: frames.reduce((sum, bytes) => sum + bytes.length, 0),
    jsonBytes: jsonTexts.reduce((sum, text) => sum + Buffer.byteLength(text), 0),
    nodeCount: nodes.reduce((sum, node) => sum + countNodes(node), 0),
  };
}

const datasets = [dataset('chatList200', [chatListFrame]), dataset('vectors', vectorFrames)];

/** One pass over every frame of a data set per call. */
function cases(data) {
  return {
    decode: () => {
      let last;
      for (const bytes of data.frames) last = decode(bytes);
      return last;
    },
    baileysDecode: () => {
      let last;
      for (const buffer of data.buffers) last = baileysDecoder.read(buffer);
      return last;
    },
    jsonParse: () => {
      let last;
      for (const text of data.jsonTexts) last = JSON.parse(text);
      return last;
    },
    encode: () => {
      let last;
      for (const node of data.nodes) last = encode(node);
      return last;
    },
    baileysEncode: () => {
      let last;
      for (const node of data.baileysNodes) last = baileysEncoder.write(node);
      return last;
    },
    jsonStringify: () => {
      let last;
      for (const value of data.jsonValues) last = JSON.stringify(value);
      return last;
    },
  };
}

function round(value, digits = 1) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/**
 * Every case of a data set in ROUNDS interleaved rounds (the codec and its baselines under the
 * same load), keeping each case's best round.
 */
function measureDataset(data) {
  const fns = cases(data);
  const best = {};
  for (let r = 0; r < ROUNDS; r++) {
    for (const [name, fn] of Object.entries(fns)) {
      const { opsPerSec } = measure(fn, { minMs: MIN_MS });
      best[name] = Math.max(best[name] ?? 0, opsPerSec);
    }
  }
  const results = {};
  for (const [name, opsPerSec] of Object.entries(best)) {
    const bytes = name.startsWith('json') ? data.jsonBytes : data.binaryBytes;
    results[name] = {
      passesPerSec: round(opsPerSec),
      msPerPass: round(1000 / opsPerSec, 3),
      MBPerSec: round((opsPerSec * bytes) / 1e6),
      nodesPerSec: Math.round(opsPerSec * data.nodeCount),
    };
    const r = results[name];
    console.log(`  ${name.padEnd(15)} ${String(r.MBPerSec).padStart(8)} MB/s  ${String(r.nodesPerSec).padStart(11)} nodes/s  (${r.msPerPass} ms per pass)`);
  }
  // > 1: the codec is faster than the baseline over the same nodes.
  const ratios = {
    decodeVsBaileys: round(best.decode / best.baileysDecode, 2),
    encodeVsBaileys: round(best.encode / best.baileysEncode, 2),
    decodeVsJsonParse: round(best.decode / best.jsonParse, 2),
    encodeVsJsonStringify: round(best.encode / best.jsonStringify, 2),
  };
  return { results, ratios };
}

const report = {};
const goals = {};
for (const data of datasets) {
  console.log(`${data.name}: ${data.frames.length} frames, ${data.nodeCount} nodes, ${data.binaryBytes} binary bytes, ${data.jsonBytes} bytes as JSON`);
  const { results, ratios } = measureDataset(data);
  report[data.name] = {
    data: { frames: data.frames.length, nodes: data.nodeCount, binaryBytes: data.binaryBytes, jsonBytes: data.jsonBytes },
    results,
    ratios,
  };
  for (const [name, least] of Object.entries(GOALS)) {
    const met = ratios[name] >= least;
    goals[`${data.name}.${name}`] = { ratio: ratios[name], goal: `>= ${least}`, met };
    console.log(`  ${name} ${ratios[name]}× (goal ≥ ${least}×): ${met ? 'met' : 'MISSED'}`);
  }
  console.log(`  encodeVsJsonStringify ${ratios.encodeVsJsonStringify}× (reference)`);
}

writeResult('codec', {
  benchmark: 'codec',
  date: new Date().toISOString(),
  machine: machineInfo(),
  baseline: {
    legacy: `@adiwajshing/baileys@${baileysVersion} lib/Binary/Decoder.js + Encoder.js (WebMessageInfo protobuf step passed through), Node Buffers`,
    json: 'JSON.parse / JSON.stringify of the same nodes in the vectors JSON form (binary content as hex)',
  },
  data: {
    chatList200: 'a 200-chat list answer built like the sandbox chatNode (seeded), encoded by @wa/binary-codec',
    vectors: 'shared/vectors: codec-reference.json + captured-frames.json',
  },
  notes: `Best of ${ROUNDS} interleaved rounds of ~${MIN_MS} ms per case. MB/s counts each side in its own form (binary bytes for the codecs, JSON text bytes for JSON); ratios compare passes per second over the same nodes (> 1: @wa/binary-codec is faster).`,
  goals,
  ...report,
});
