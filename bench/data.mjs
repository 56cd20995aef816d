// Deterministic benchmark inputs: documents built from the sample article's
// paragraphs (each repeat numbered so no two paragraphs are equal) and seeded
// random W3C annotations, about 10% of them overlapping another.
import { readFileSync } from 'node:fs';

/** mulberry32: a small seeded PRNG, so every run measures the same inputs. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** About `bytes` of article text: paragraphs of the sample, numbered. */
export function makeDocument(samplePath, bytes) {
  const sample = readFileSync(samplePath, 'utf8')
    .split('\n')
    .map((l) => l.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
  const lines = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `[${i + 1}] ${sample[i % sample.length]}`;
    lines.push(line);
    size += Buffer.byteLength(line) + 1;
  }
  return lines;
}

/** `count` W3C annotations over the document text (lines joined by \n). */
export function makeAnnotations(lines, count, seed = 42) {
  const random = rng(seed);
  const tags = ['claim', 'quote', 'caption'];
  // Code point offsets of each paragraph in the document text.
  const starts = [];
  let at = 0;
  const cps = lines.map((l) => [...l]);
  for (const c of cps) {
    starts.push(at);
    at += c.length + 1;
  }
  const text = cps.map((c) => c.join(''));
  const out = [];
  for (let i = 0; i < count; i++) {
    let p;
    let from;
    let len;
    if (out.length > 0 && random() < 0.1) {
      // Overlap a previous one: start inside it, run past its end.
      const other = out[Math.floor(random() * out.length)];
      p = other.p;
      from = Math.min(other.from + 1 + Math.floor(random() * 4), cps[p].length - 2);
      len = Math.min(5 + Math.floor(random() * 30), cps[p].length - from);
    } else {
      p = Math.floor(random() * cps.length);
      len = Math.min(5 + Math.floor(random() * 40), cps[p].length - 1);
      from = Math.floor(random() * (cps[p].length - len));
    }
    out.push({ p, from, len, tag: tags[Math.floor(random() * 3)] });
  }
  return out.map(({ p, from, len, tag }, i) => {
    const start = starts[p] + from;
    const end = start + len;
    const para = cps[p];
    return {
      '@context': 'http://www.w3.org/ns/anno.jsonld',
      id: `urn:marginalia:annotation:bench-${i}`,
      type: 'Annotation',
      created: '2026-01-01T00:00:00.000Z',
      body: [{ type: 'TextualBody', purpose: 'tagging', value: tag }],
      target: {
        source: 'urn:marginalia:document:bench',
        selector: [
          {
            type: 'TextQuoteSelector',
            exact: para.slice(from, from + len).join(''),
            prefix: para.slice(Math.max(0, from - 32), from).join(''),
            suffix: para.slice(from + len, from + len + 32).join(''),
          },
          { type: 'TextPositionSelector', start, end },
        ],
      },
      // For the CSS Highlight reference: paragraph and offsets in it.
      _bench: { p, from, to: from + len, text: text[p] },
    };
  });
}
