// Writes src/test/resources/codemirror/changeset-vectors.json: change sets made and applied by
// the real @codemirror/state, for dev.tailboard.rooms.ChangeSetTest. Deterministic (seeded PRNG):
// running it again with the same @codemirror/state version gives the same file.
//
//   cd src/test/node/changeset-vectors && npm ci && node generate.mjs

import { writeFileSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ChangeSet, Text } from "@codemirror/state";

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(here, "../../resources/codemirror/changeset-vectors.json");

const SEED = 0x7a11b0a2;
const RANDOM_CASES = 300;

// mulberry32: small, well-known, deterministic.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(SEED);
const int = (n) => Math.floor(rand() * n); // 0 .. n-1
const pick = (xs) => xs[int(xs.length)];

// Pieces are strings, not characters: "😀" and "𝄞" are surrogate pairs (two UTF-16 units).
const PLAIN = ["a", "b", "c", "x", "y", "z", " ", "0", "9", ".", "-", "é", "ß", "中", "\t"];
const WIDE = ["😀", "𝄞", "👍🏽", "🇫🇷", "👩‍💻"];

function randomText(maxPieces, { newlines = true, wide = true, cr = false } = {}) {
  let s = "";
  const n = int(maxPieces + 1);
  for (let i = 0; i < n; i++) {
    const r = rand();
    if (newlines && r < 0.12) s += "\n";
    else if (wide && r < 0.22) s += pick(WIDE);
    else if (cr && r < 0.24) s += "\r\n";
    else s += pick(PLAIN);
  }
  return s;
}

function randomDoc() {
  const r = rand();
  if (r < 0.08) return "";
  if (r < 0.13) return "\n".repeat(1 + int(4));
  if (r < 0.2) return pick(WIDE).repeat(1 + int(6));
  if (r < 0.25) return randomText(600); // long enough for Text to use a tree of leaves
  if (r < 0.3) return "\n" + randomText(30) + "\n";
  return randomText(60);
}

function randomInsert() {
  const r = rand();
  if (r < 0.35) return "";
  if (r < 0.45) return "\n";
  if (r < 0.5) return randomText(8, { cr: true }); // "\r\n" becomes a line break in ChangeSet.of
  return randomText(12);
}

// A random spec list for ChangeSet.of: unsorted and overlapping ranges are allowed (of() maps
// later specs over earlier ones), positions are UTF-16 offsets and may split a surrogate pair.
function randomSpecs(length) {
  const specs = [];
  const n = 1 + int(5);
  for (let i = 0; i < n; i++) {
    const a = int(length + 1);
    const b = rand() < 0.4 ? a : int(length + 1);
    const from = Math.min(a, b);
    const to = Math.max(a, b);
    const insert = randomInsert();
    specs.push(insert ? { from, to, insert } : { from, to });
  }
  return specs;
}

const textOf = (doc) => Text.of(doc.split("\n"));

function randomChangeSet(doc) {
  const r = rand();
  const cs1 = ChangeSet.of(randomSpecs(doc.length), doc.length);
  if (r < 0.75) return cs1;
  // Composed: two or three change sets in sequence, as one.
  let composed = cs1;
  let current = cs1.apply(textOf(doc));
  const steps = r < 0.9 ? 1 : 2;
  for (let i = 0; i < steps; i++) {
    const next = ChangeSet.of(randomSpecs(current.length), current.length);
    current = next.apply(current);
    composed = composed.compose(next);
  }
  return composed;
}

const cases = [];

function valid(doc, cs) {
  const changes = cs.toJSON();
  // Sanity: the JSON form must come back to the same change set.
  const back = ChangeSet.fromJSON(JSON.parse(JSON.stringify(changes)));
  if (JSON.stringify(back.toJSON()) !== JSON.stringify(changes)) throw new Error("no round trip");
  const result = cs.apply(textOf(doc)).toString();
  cases.push({ doc, changes, result });
}

// Hand-picked edges, still made and applied by the library.
const edges = [
  ["", []],
  ["", [{ from: 0, insert: "hello" }]],
  ["", [{ from: 0, insert: "\n" }]],
  ["", [{ from: 0, insert: "a\nb\n" }]],
  ["abc", []],
  ["abc", [{ from: 0, to: 3 }]],
  ["abc", [{ from: 0, insert: ">" }]],
  ["abc", [{ from: 3, insert: "<" }]],
  ["ab\ncd", [{ from: 1, to: 4, insert: "X" }]],
  ["ab\ncd", [{ from: 2, to: 3 }]],
  ["ab\ncd", [{ from: 2, to: 3, insert: "\n\n" }]],
  ["a😀b", [{ from: 1, to: 3, insert: "🙂" }]],
  ["a😀b", [{ from: 2, to: 3 }]], // deletes only the low surrogate
  ["a😀b", [{ from: 2, insert: "|" }]], // inserts between the surrogates
  ["😀", [{ from: 0, to: 2 }]],
  ["x\n", [{ from: 2, insert: "y" }]],
  ["one\ntwo\nthree", [{ from: 0, to: 13, insert: "1\n2\n3" }]],
  ["abcdef", [{ from: 1, to: 2 }, { from: 2, to: 3, insert: "Q" }, { from: 5, insert: "!" }]],
  ["abcdef", [{ from: 4, insert: "late" }, { from: 1, insert: "early" }]], // out of order
  ["abcdef", [{ from: 1, to: 5 }, { from: 2, to: 3, insert: "in" }]], // overlapping
  ["line\r\nwith cr", [{ from: 4, to: 5 }]], // "\r" is an ordinary character here
  ["ab", [{ from: 1, insert: "x\r\ny" }]], // of() splits "\r\n" into a line break
];
for (const [doc, specs] of edges) valid(doc, ChangeSet.of(specs, doc.length));

// Shapes that fromJSON accepts but ChangeSet.of never makes (zero-length and split sections).
const loose = [
  ["", [0]],
  ["", [[0]]],
  ["abc", [1, 2]],
  ["abc", [0, 3, 0]],
  ["abc", [[1], [1], 1]],
  ["abc", [[0, "x"], [0, "y"], 3]],
  ["abc", [[3, "", ""]]],
];
for (const [doc, json] of loose) valid(doc, ChangeSet.fromJSON(json));

for (let i = 0; i < RANDOM_CASES; i++) {
  const doc = randomDoc();
  valid(doc, randomChangeSet(doc));
}

// Invalid: each is checked against the library here, and the file says what it did ("js"):
//   "fromJSON" - ChangeSet.fromJSON throws;
//   "apply"    - fromJSON accepts, apply throws (the change set does not fit the document);
//   "accepts"  - the library takes it (and gives nonsense or a corrupt Text), but the server
//                must not: negative or fractional lengths, or a line break inside a line.
function invalid(doc, changes, expected) {
  let js;
  try {
    const cs = ChangeSet.fromJSON(changes);
    try {
      cs.apply(textOf(doc));
      js = "accepts";
    } catch (e) {
      js = "apply";
    }
  } catch (e) {
    js = "fromJSON";
  }
  if (js !== expected) {
    throw new Error(`${JSON.stringify(changes)} on ${JSON.stringify(doc)}: ${js}, not ${expected}`);
  }
  cases.push({ doc, changes, error: true, js });
}

invalid("", null, "fromJSON");
invalid("", {}, "fromJSON");
invalid("", "0", "fromJSON");
invalid("", 0, "fromJSON");
invalid("", [null], "fromJSON");
invalid("", [true], "fromJSON");
invalid("", ["a"], "fromJSON");
invalid("", [{}], "fromJSON");
invalid("", [[]], "fromJSON");
invalid("", [["a"]], "fromJSON");
invalid("", [[null]], "fromJSON");
invalid("a", [[1, 2]], "fromJSON");
invalid("a", [[1, null]], "fromJSON");
invalid("a", [[1, ["x"]]], "fromJSON");
invalid("a", [[1, "x", 3]], "fromJSON");
invalid("a", [["1", "x"]], "fromJSON");

invalid("abc", [5, -2], "accepts");
invalid("abc", [1.5, 1.5], "accepts");
invalid("", [[0, "a\nb"]], "accepts");
invalid("", [-1], "apply");
invalid("", [[-1, "x"]], "apply");
invalid("ab", [[1.5, "x"], 0.5], "accepts");

invalid("", [1], "apply");
invalid("abc", [], "apply");
invalid("abc", [2], "apply");
invalid("abc", [4], "apply");
invalid("abc", [[0, "x"]], "apply");
invalid("abc", [1, [1], 2], "apply");
invalid("😀", [1], "apply");
// Random change sets applied to a document one unit too long or too short.
for (let i = 0, made = 0; made < 12; i++) {
  const doc = randomDoc();
  const changes = randomChangeSet(doc).toJSON();
  const other = made % 2 ? doc + pick(PLAIN) : doc.slice(0, -1);
  if (other.length === doc.length) continue; // empty doc cannot be shortened
  invalid(other, changes, "apply");
  made++;
}

mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, "[\n" + cases.map((c) => JSON.stringify(c)).join(",\n") + "\n]\n");
const errors = cases.filter((c) => c.error).length;
console.log(`${cases.length - errors} valid and ${errors} invalid cases written to ${out}`);
