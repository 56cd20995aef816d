#!/usr/bin/env node
// Builds the suggestions evaluation sets.
//
// Three sets, built the same way and with the same checks:
//   eval/src/*.txt            -> eval/articles/             (set 1, development set)
//   eval/holdout/src/*.txt    -> eval/holdout/articles/     (set 2, held-out set)
//   eval/newsrooms/src/*.txt  -> eval/newsrooms/articles/   (set 3, held-out newsroom styles)
// For each source article (inline gold markers) it writes
//   <out>/<name>.txt        the document text (markers stripped)
//   <out>/<name>.gold.json  {"article", "spans": [{tag, start, end, text[, speaker]}]}
// Offsets are Unicode code points over the document text, half-open, sorted by start.
//
// Marker syntax: [[claim|...]], [[caption|...]], [[quote@Speaker Name|...]] and
// [[quote@-|...]] (speaker not named in the article). Every quote carries a
// speaker; claims and captions never do. In gold.json a quote span gets
// "speaker": "Speaker Name" or "speaker": null for @-. The only nesting allowed
// is a quote inside a claim. Markers never cross a line.
//
// Plain Node 20, no dependencies. Exits non-zero on any problem.

import { readFileSync, writeFileSync, readdirSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, basename } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const SETS = [
  { label: "set 1, development set", src: join(HERE, "src"), out: join(HERE, "articles"), rel: "eval/src" },
  { label: "set 2, held-out set", src: join(HERE, "holdout", "src"), out: join(HERE, "holdout", "articles"), rel: "eval/holdout/src" },
  { label: "set 3, held-out newsroom styles", src: join(HERE, "newsrooms", "src"), out: join(HERE, "newsrooms", "articles"), rel: "eval/newsrooms/src" },
];
const TAGS = ["claim", "quote", "caption"];
// Tag, then an optional "@speaker" (anything but | [ ] up to the bar), then "|".
const OPEN_RE = /^\[\[(claim|quote|caption)(@[^|\[\]]*)?\|/;
// Titles and honorifics that must not begin a speaker name (write "Mara Lind", not "Ms Lind").
// "M." (monsieur) is not checked, because it cannot be told from an initial ("M. J. Lind").
const TITLE_RE = /^(?:Mr|Mrs|Ms|Miss|Mx|Dr|Dra|Prof|Professor|Sir|Dame|Lord|Lady|Cllr|Councillor|Judge|Rev|Sr|Sra|Srta|Herr|Frau|Mme|Mlle|Me)\.?(?:\s|$)/u;
const wordsOf = (s) => s.match(/[\p{L}\p{M}\p{N}]+/gu) || [];
const ASCII_WS = new Set([" ", "\t", "\n", "\v", "\f", "\r"]);
const OPENING_QUOTES = new Set(['"', "'", "\u201C", "\u2018", "\u00AB", "\u201E", "\u201A", "\u2039", "\u201B"]);
const CLOSING_QUOTES = new Set(['"', "'", "\u201D", "\u2019", "\u00BB", "\u201C", "\u2018", "\u203A"]);
const MIN_WORDS = 250;
const MAX_WORDS = 700;

const errors = [];
const fail = (where, msg) => errors.push(`${where}: ${msg}`);

// Collapse runs of ASCII whitespace to one space and trim (code point aware).
function collapse(cps) {
  const out = [];
  const map = new Array(cps.length).fill(-1); // old index -> new index (non-ws chars only)
  let pendingSpace = false;
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    if (ASCII_WS.has(c)) {
      pendingSpace = out.length > 0;
      continue;
    }
    if (pendingSpace) out.push(" ");
    pendingSpace = false;
    map[i] = out.length;
    out.push(c);
  }
  return { out, map };
}
const collapseStr = (s) => collapse([...s]).out.join("");

// Parse one source line: returns stripped code points and spans over them.
function parseLine(line, where) {
  const cps = [...line];
  const plain = [];
  const spans = [];
  const stack = [];
  let i = 0;
  while (i < cps.length) {
    const rest = cps.slice(i, i + 2).join("");
    if (rest.startsWith("[[")) {
      const m = OPEN_RE.exec(cps.slice(i).join(""));
      if (!m) {
        fail(where, `"[[" not followed by a known tag near "${cps.slice(i, i + 30).join("")}"`);
        return null;
      }
      const tag = m[1];
      let speaker;
      if (m[2] !== undefined) {
        const name = m[2].slice(1);
        if (tag !== "quote") {
          fail(where, `[[${tag}| may not carry a speaker ("${m[2]}"); only quotes have one`);
          return null;
        }
        if (name === "-") speaker = null;
        else if (name === "" || name !== name.trim() || /\s{2,}/.test(name)) {
          fail(where, `malformed quote speaker "${m[2]}"`);
          return null;
        } else speaker = name;
      } else if (tag === "quote") {
        fail(where, `quote without a speaker near "${cps.slice(i, i + 40).join("")}" (write [[quote@Name|…]] or [[quote@-|…]])`);
        return null;
      }
      if (stack.length === 1 && !(stack[0].tag === "claim" && tag === "quote")) {
        fail(where, `[[${tag}| nested inside [[${stack[0].tag}| (only quote inside claim is allowed)`);
        return null;
      }
      if (stack.length >= 2) {
        fail(where, `markers nested more than one level deep`);
        return null;
      }
      stack.push({ tag, start: plain.length, depth: stack.length, speaker });
      i += [...m[0]].length;
      continue;
    }
    if (rest.startsWith("]]")) {
      if (stack.length === 0) {
        fail(where, `unmatched "]]" near "${cps.slice(Math.max(0, i - 30), i + 2).join("")}"`);
        return null;
      }
      const open = stack.pop();
      spans.push({ tag: open.tag, start: open.start, end: plain.length, depth: open.depth, speaker: open.speaker });
      i += 2;
      continue;
    }
    plain.push(cps[i]);
    i += 1;
  }
  if (stack.length) {
    fail(where, `unclosed [[${stack[stack.length - 1].tag}| at end of line (markers may not cross lines)`);
    return null;
  }
  return { plain, spans };
}

// A quote may end without its closing mark only where a quotation runs on
// into the next paragraph (the AP convention): at the end of its line, with
// the next line opening with a quotation mark. Returns whether it does.
function lintSpan(span, text, lineText, where) {
  const cps = [...text];
  const first = cps[0];
  const last = cps[cps.length - 1];
  const show = text.length > 60 ? text.slice(0, 57) + "..." : text;
  if (cps.length === 0) return fail(where, `empty ${span.tag} span`);
  if (ASCII_WS.has(first) || ASCII_WS.has(last)) fail(where, `${span.tag} span has leading/trailing whitespace: "${show}"`);
  if (span.tag === "caption" && text !== lineText) fail(where, `caption must be the whole paragraph: "${show}"`);
  if (span.tag === "quote") {
    if (!OPENING_QUOTES.has(first)) fail(where, `quote does not start with an opening quotation mark: "${show}"`);
    const runsOn = !CLOSING_QUOTES.has(last) && lineText.endsWith(text);
    if (!CLOSING_QUOTES.has(last) && !runsOn) fail(where, `quote does not end with a closing quotation mark: "${show}"`);
    const words = text.split(/\s+/).filter(Boolean).length;
    if (words < 3) fail(where, `quote of fewer than three words (scare quote?): "${show}"`);
  }
  if (span.tag === "claim") {
    if (/^\p{Ll}/u.test(text)) fail(where, `claim starts with a lowercase letter: "${show}"`);
    if (!/[.!…]["'\u201D\u2019\u00BB\u201C)]*$/u.test(text)) fail(where, `claim does not end like a sentence: "${show}"`);
  }
  return span.tag === "quote" && !CLOSING_QUOTES.has(last) && lineText.endsWith(text);
}

function lintSpeaker(speaker, docWords, where) {
  if (speaker === null) return;
  if (TITLE_RE.test(speaker)) fail(where, `speaker "${speaker}" begins with a title; write the name without it`);
  if (!/^[\p{Lu}\p{N}]/u.test(speaker)) fail(where, `speaker "${speaker}" does not begin with a capital letter (unnamed speaker? use @-)`);
  for (const w of wordsOf(speaker)) {
    if (!docWords.has(w)) fail(where, `speaker "${speaker}": the word "${w}" does not occur in the article`);
  }
}

function buildArticle(name, source, rel) {
  const docLines = [];
  const spans = [];
  let offset = 0; // code points in document so far
  let runsOn = null; // where a quote ran on past its line, awaiting the next
  const srcLines = source.split(/\r?\n/);
  srcLines.forEach((raw, idx) => {
    const where = `${rel}/${name}.txt:${idx + 1}`;
    const parsed = parseLine(raw, where);
    if (!parsed) return;
    const { out, map } = collapse(parsed.plain);
    if (out.length === 0) {
      if (parsed.spans.length) fail(where, "markers on an empty line");
      return;
    }
    if (docLines.length) offset += 1; // the "\n" joining lines
    const lineText = out.join("");
    if (runsOn && !OPENING_QUOTES.has(out[0])) fail(runsOn, "a quote runs on past its paragraph, but the next paragraph does not open with a quotation mark");
    runsOn = null;
    for (const s of parsed.spans) {
      const rawText = parsed.plain.slice(s.start, s.end).join("");
      const expected = collapseStr(rawText);
      if (rawText !== rawText.trim() || s.end <= s.start) {
        fail(where, `${s.tag} span is empty or has surrounding whitespace: "${rawText}"`);
        continue;
      }
      const start = map[s.start];
      const end = map[s.end - 1] + 1;
      const text = out.slice(start, end).join("");
      if (text !== expected) fail(where, `internal mapping error for "${expected}"`);
      if (lintSpan(s, text, lineText, where)) runsOn = where;
      spans.push({ tag: s.tag, start: offset + start, end: offset + end, text, depth: s.depth, speaker: s.speaker, where });
    }
    docLines.push(lineText);
    offset += out.length;
  });
  if (runsOn) fail(runsOn, "a quote runs on past the article's last paragraph");
  const doc = docLines.join("\n");
  const docWords = new Set(wordsOf(doc));
  for (const s of spans) if (s.tag === "quote") lintSpeaker(s.speaker, docWords, s.where);
  spans.sort((a, b) => a.start - b.start || b.end - a.end || TAGS.indexOf(a.tag) - TAGS.indexOf(b.tag));
  const words = doc.split(/\s+/).filter(Boolean).length;
  if (words < MIN_WORDS || words > MAX_WORDS) fail(`${rel}/${name}.txt`, `${words} words (expected ${MIN_WORDS}-${MAX_WORDS})`);
  const out = spans.map(({ tag, start, end, text, speaker }) =>
    tag === "quote" ? { tag, start, end, text, speaker } : { tag, start, end, text });
  return { doc, spans: out, words };
}

// Independent check of what was written to disk.
function verify(name, docPath, goldPath) {
  const doc = readFileSync(docPath, "utf8");
  const gold = JSON.parse(readFileSync(goldPath, "utf8"));
  const cps = [...doc];
  const where = `${name} (written output)`;
  if (gold.article !== name) fail(where, `article field is "${gold.article}"`);
  if (/\[\[|\]\]/.test(doc)) fail(where, "document text still contains marker brackets");
  if (/[ \t\v\f\r]{2,}|^[ \t]|[ \t]$|\n\n|^\n|\n$/m.test(doc)) fail(where, "document text is not normalised");
  let prev = null;
  for (const s of gold.spans) {
    if (!TAGS.includes(s.tag)) fail(where, `unknown tag ${s.tag}`);
    const keys = Object.keys(s).join(",");
    const want = s.tag === "quote" ? "tag,start,end,text,speaker" : "tag,start,end,text";
    if (keys !== want) fail(where, `span ${s.tag} ${s.start}-${s.end} has fields ${keys}, expected ${want}`);
    if (s.tag === "quote" && !(s.speaker === null || (typeof s.speaker === "string" && s.speaker.length > 0)))
      fail(where, `quote ${s.start}-${s.end} has a bad speaker`);
    if (!(Number.isInteger(s.start) && Number.isInteger(s.end) && 0 <= s.start && s.start < s.end && s.end <= cps.length)) {
      fail(where, `bad offsets ${s.start}-${s.end}`);
      continue;
    }
    const got = cps.slice(s.start, s.end).join("");
    if (got !== s.text) fail(where, `span ${s.tag} ${s.start}-${s.end} text mismatch: "${got}" vs "${s.text}"`);
    if (got.includes("\n")) fail(where, `span ${s.tag} ${s.start}-${s.end} crosses a paragraph`);
    if (prev && s.start < prev.start) fail(where, "spans not sorted by start");
    prev = s;
  }
  // Overlaps: only a quote fully inside a claim.
  const sp = gold.spans;
  for (let a = 0; a < sp.length; a++) {
    for (let b = a + 1; b < sp.length && sp[b].start < sp[a].end; b++) {
      const [outer, inner] = [sp[a], sp[b]];
      const ok = outer.tag === "claim" && inner.tag === "quote" && inner.end <= outer.end;
      if (!ok) fail(where, `overlapping spans ${outer.tag} ${outer.start}-${outer.end} and ${inner.tag} ${inner.start}-${inner.end}`);
    }
  }
}

// `node eval/build.mjs --check FILE…`: checks those source files only, with
// the same rules, and writes nothing (for an article being written).
if (process.argv[2] === "--check") {
  for (const file of process.argv.slice(3)) {
    const a = buildArticle(basename(file, ".txt"), readFileSync(file, "utf8"), dirname(file));
    const c = { quote: 0, caption: 0, claim: 0 };
    for (const sp of a.spans) c[sp.tag]++;
    console.log(`${file}: ${a.words} words, ${c.quote} quotes, ${c.caption} captions, ${c.claim} claims`);
  }
  for (const e of errors) console.error("error: " + e);
  process.exit(errors.length ? 1 : 0);
}

const sets = SETS.map((set) => {
  let names = [];
  try {
    names = readdirSync(set.src).filter((f) => f.endsWith(".txt")).map((f) => basename(f, ".txt")).sort();
  } catch {
    fail(set.rel, "directory missing");
  }
  if (names.length === 0) fail(set.rel, "no source articles");
  const built = names.map((name) => ({ name, ...buildArticle(name, readFileSync(join(set.src, `${name}.txt`), "utf8"), set.rel) }));
  return { ...set, names, built };
});
// An article name may appear in only one set.
{
  const seen = new Map();
  for (const set of sets) {
    for (const n of set.names) {
      if (seen.has(n)) fail(`${set.rel}/${n}.txt`, `article name also used in ${seen.get(n)}`);
      else seen.set(n, set.rel);
    }
  }
}

if (errors.length === 0) {
  for (const set of sets) {
    mkdirSync(set.out, { recursive: true });
    // Remove outputs of articles that no longer exist.
    for (const f of readdirSync(set.out)) {
      const base = f.replace(/\.gold\.json$|\.txt$/, "");
      if (!set.names.includes(base)) rmSync(join(set.out, f));
    }
    for (const a of set.built) {
      const docPath = join(set.out, `${a.name}.txt`);
      const goldPath = join(set.out, `${a.name}.gold.json`);
      writeFileSync(docPath, a.doc);
      writeFileSync(goldPath, JSON.stringify({ article: a.name, spans: a.spans }, null, 2) + "\n");
      verify(a.name, docPath, goldPath);
    }
  }
}

if (errors.length) {
  for (const e of errors) console.error("error: " + e);
  console.error(`${errors.length} error(s)`);
  process.exit(1);
}

const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);
const header = () => `${pad("article", 30)}${lpad("words", 6)}${lpad("quote", 7)}${lpad("caption", 9)}${lpad("claim", 7)}`;
sets.forEach((set, k) => {
  if (k) console.log("");
  console.log(`== ${set.label} (${set.rel})`);
  console.log(header());
  const total = { quote: 0, caption: 0, claim: 0, words: 0, named: 0, unnamed: 0 };
  for (const a of set.built) {
    const c = { quote: 0, caption: 0, claim: 0 };
    for (const s of a.spans) {
      c[s.tag]++;
      if (s.tag === "quote") s.speaker === null ? total.unnamed++ : total.named++;
    }
    for (const t of TAGS) total[t] += c[t];
    total.words += a.words;
    console.log(`${pad(a.name, 30)}${lpad(a.words, 6)}${lpad(c.quote, 7)}${lpad(c.caption, 9)}${lpad(c.claim, 7)}`);
  }
  console.log(`${pad(`total (${set.built.length} articles)`, 30)}${lpad(total.words, 6)}${lpad(total.quote, 7)}${lpad(total.caption, 9)}${lpad(total.claim, 7)}`);
  console.log(`quote speakers: ${total.named} named, ${total.unnamed} unnamed (@-)`);
});
