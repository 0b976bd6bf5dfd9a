// The reference's grapheme segmentation, for GraphemeSegmentationInteropTest: cojson's CoPlainText
// splits with unicode-segmenter's splitGraphemes. Prints (1) the category and InCB=Consonant flag
// of every code point, as ranges "fromHex,toHex,category,consonant" on one line separated by ";",
// then (2) `count` JSON lines {"s": text, "g": clusters} for random texts (seeded xorshift) over
// a pool of code points where the rules interact, with 1 in 10 code points drawn from 0..0x2FFFF.
// Usage: node graphemes.mjs <interop dir> <count> <seed>
import { pathToFileURL } from "node:url";
import path from "node:path";

const [dir, countArg, seedArg] = process.argv.slice(2);
const mod = (p) => import(pathToFileURL(path.join(dir, "node_modules/unicode-segmenter", p)).href);
const { splitGraphemes } = await mod("grapheme.js");
const { grapheme_ranges } = await mod("_grapheme_data.js");
const { consonant_ranges } = await mod("_incb_data.js");
const { findUnicodeRangeIndex } = await mod("core.js");

// grapheme.js's own `cat` (not exported): ASCII special-cased, then the table
const cat = (cp) => {
  if (cp < 127) return cp >= 32 ? 0 : cp === 10 ? 6 : cp === 13 ? 1 : 2;
  const i = findUnicodeRangeIndex(cp, grapheme_ranges);
  return i < 0 ? 0 : grapheme_ranges[i][2];
};
const ranges = [];
let start = 0, prev = null;
for (let cp = 0; cp <= 0x110000; cp++) {
  const v = cp === 0x110000 ? null : cat(cp) + "," + (findUnicodeRangeIndex(cp, consonant_ranges) >= 0 ? 1 : 0);
  if (v !== prev) {
    if (prev !== null) ranges.push(start.toString(16) + "," + (cp - 1).toString(16) + "," + prev);
    start = cp;
    prev = v;
  }
}
const out = [ranges.join(";")];

const pool = [0x61, 0x0d, 0x0a, 0x7f, 0x85, 0xa9, 0xad, 0x20, 0x31, 0x300, 0x301, 0x600, 0x903, 0x915, 0x937, 0x93f,
  0x94d, 0x995, 0x9bc, 0x9cd, 0xacd, 0xb4d, 0xb95, 0xbcd, 0xc4d, 0xd15, 0xd4d, 0xd4e, 0xe33, 0x1100, 0x1161, 0x11a8,
  0x200c, 0x200d, 0x20e3, 0x2764, 0xac00, 0xac01, 0xd800, 0xdc00, 0xfe0f, 0x11003, 0x1f1e9, 0x1f1eb, 0x1f1f7,
  0x1f308, 0x1f3f3, 0x1f3f4, 0x1f3fb, 0x1f3fd, 0x1f469, 0x1f467, 0x1f476, 0x1f4bb, 0x1f525, 0x1f600, 0x1f9d1,
  0xe0067, 0xe007f];
let x = Number(seedArg) >>> 0 || 1;
const rnd = () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x / 4294967296; };
for (let i = 0; i < Number(countArg); i++) {
  const n = 1 + Math.floor(rnd() * 10);
  let s = "";
  for (let k = 0; k < n; k++) {
    s += String.fromCodePoint(rnd() < 0.1 ? Math.floor(rnd() * 0x30000) : pool[Math.floor(rnd() * pool.length)]);
  }
  out.push(JSON.stringify({ s, g: Array.from(splitGraphemes(s)) }));
}
process.stdout.write(out.join("\n") + "\n");
