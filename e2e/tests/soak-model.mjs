// The soak walk's model, kept outside the product: the host article (its
// blocks, as the host page renders them), every annotation with its tag,
// note and exact position (code points in the document text, paragraphs
// joined by "\n"), the undo history since the last point where it could
// no longer be told apart (a reload, a host edit, another tab's save, a
// setAnnotations), a seeded PRNG and the planner that picks each step from
// what the model holds. Nothing here touches a page: soak.spec.mjs carries
// the plans out through the real UI and handle and checks the product
// against this model after every step.

/** mulberry32: a small seeded PRNG, the same sequence for the same seed on every machine. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Rng {
  constructor(seed) {
    this.next = mulberry32(seed);
  }
  int(n) {
    return Math.floor(this.next() * n);
  }
  pick(list) {
    return list[this.int(list.length)];
  }
  chance(p) {
    return this.next() < p;
  }
  /** One item of `[[item, weight], …]`, by weight (zero weights never). */
  weighted(entries) {
    const live = entries.filter(([, w]) => w > 0);
    let r = this.next() * live.reduce((s, [, w]) => s + w, 0);
    for (const [item, w] of live) if ((r -= w) < 0) return item;
    return live.at(-1)[0];
  }
}

export const TAGS = ['claim', 'quote', 'caption'];
export const LABEL = { claim: 'Claim', quote: 'Quote', caption: 'Caption' };
/** The picker's keys (README: 1, 2, 3). */
export const KEY = { claim: '1', quote: '2', caption: '3' };
export const ANNOTATION_IRI = 'urn:marginalia:annotation:';
/** Code points either side of a quote that the product keeps as context. */
const CONTEXT = 32;

/** A news story with repeated text: its photo caption printed twice, "the council" and "said" again and again,
 *  a quote with emphasis, numbers, a paragraph in Hebrew, an emoji and CJK. Each block is one paragraph; `em`
 *  parts are emphasised inline. */
const CAPTION = 'Workers on the harbour wall at dawn on Monday. Photo: Ana Lima';
export const ARTICLE = [
  { kind: 'h1', parts: ['Council backs the harbour wall'] },
  { kind: 'figcaption', parts: [CAPTION] },
  {
    kind: 'p',
    parts: ['The council said on Monday that the wall would cost 4.2 million euros, and the council said work would start in May.'],
  },
  { kind: 'p', parts: ['“We have waited ', { em: 'long enough' }, ',” said the mayor, Ruth Okafor, after the council voted 31 to 9.'] },
  { kind: 'p', parts: ['Residents said the plan was rushed; the council said it had read 1,200 letters.'] },
  { kind: 'figcaption', parts: [CAPTION] },
  { kind: 'p', dir: 'rtl', lang: 'he', parts: ['המועצה אמרה שהעבודות יתחילו במאי ויימשכו שנה'] },
  { kind: 'p', parts: ['Visitors from 東京 and 大阪 cheered 🎉 at the harbour, the council said.'] },
  { kind: 'p', parts: ['Fishermen said the old quay will close on 3 June for 12 weeks.'] },
];

/** Paragraphs the host may add (~50 characters), several sharing words with the story and its caption. */
const INSERTS = [
  { text: 'The council said the harbour plan is now final.' },
  { text: 'Workers on the night shift said the wall was safe.' },
  { text: 'Photo: Ana Lima. More pictures from the harbour.' },
  { text: 'Update: this story was corrected on Tuesday night.' },
  { text: 'The mayor said work at the harbour wall may slip.' },
  { text: 'Readers in 東京 wrote in 🎉 with 40 more questions.' },
  { text: 'Correction: the vote was 31 to 9, not 30 to 10.' },
  { text: 'מזג האוויר היה נעים מאוד ביום שני בבוקר', dir: 'rtl', lang: 'he' },
];

/** Words the host may change, each into its partner (neither is the other's start or end, so the edit stays
 *  inside the word). */
const SWAPS = Object.fromEntries(
  [
    ['Monday', 'Friday'],
    ['wall', 'barrier'],
    ['dawn', 'dusk'],
    ['rushed', 'hasty'],
    ['cheered', 'waved'],
    ['old', 'new'],
    ['letters', 'emails'],
    ['euros', 'pounds'],
    ['May', 'June'],
    ['quay', 'pier'],
    ['אמרה', 'הודיעה'],
    ['東京', '大阪'],
  ].flatMap(([a, b]) => [
    [a, b],
    [b, a],
  ]),
);

/** Notes written through the popover and the handle: ordered differently from one another, in several scripts. */
const NOTES = [
  'b: first',
  'a: corrected',
  'check the 4.2m figure',
  'Ask the clerk',
  'z: last word',
  'שאלה פתוחה',
  '要確認 🎉',
  'Source?',
];

/** Quotes the host may give that are in no version of the article, nor near anything in it. */
const NOWHERE = ['a sentence nobody ever wrote', 'zebra quantum xylophone'];

export const cps = (s) => [...s];
export const cpLen = (s) => [...s].length;
/** Whitespace as the product matches it: every ASCII whitespace run one space. */
const collapse = (s) => s.replace(/[\t\n\f\r ]+/g, ' ');

const TOKEN = /[\p{L}\p{M}\p{N}]+(?:[.,’'][\p{L}\p{M}\p{N}]+)*|\p{Extended_Pictographic}/gu;

/** The words of `text` with their code point offsets. */
export function tokens(text) {
  const out = [];
  for (const m of text.matchAll(TOKEN)) {
    const start = cpLen(text.slice(0, m.index));
    out.push({ word: m[0], start, end: start + cpLen(m[0]) });
  }
  return out;
}

/** The start of every occurrence of `needle` in `hay` (code point arrays; overlapping ones too). */
function occurrences(hay, needle) {
  const out = [];
  outer: for (let i = 0; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    out.push(i);
  }
  return out;
}

/** The least edit distance between `pattern` and any stretch of `text` (Sellers), both code point arrays. */
function nearest(pattern, text) {
  const m = pattern.length;
  let prev = Array.from({ length: m + 1 }, (_, i) => i);
  let best = m;
  for (const c of text) {
    const cur = [0];
    for (let i = 1; i <= m; i++) cur[i] = Math.min(prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + (pattern[i - 1] === c ? 0 : 1));
    best = Math.min(best, cur[m]);
    prev = cur;
  }
  return best;
}

/**
 * Whether `quote` could be placed anywhere in `text`: an exact occurrence, or a close one the product's fuzzy
 * match might take (README: at most a fifth of the quote off, none under 8 characters). Generous on purpose:
 * an edit the model cannot call either way is not made.
 */
function findable(quote, text) {
  const q = cps(collapse(quote));
  const t = cps(collapse(text));
  if (occurrences(t, q).length > 0) return true;
  if (q.length < 6) return false;
  return nearest(q, t) <= (q.length < 20 ? 1 : Math.floor(q.length / 5)) + 2;
}

const copy = (a) => a && { ...a, orphan: a.orphan && { ...a.orphan } };

export class Model {
  constructor() {
    this.blocks = ARTICLE.map((b, i) => ({
      key: `b${i}`,
      kind: b.kind,
      dir: b.dir,
      lang: b.lang,
      parts: b.parts.map((p) => (typeof p === 'string' ? { text: p } : { text: p.em, em: true })),
      gone: false,
    }));
    /** id → { id, tag, note, start, end, exact, orphan: null | { key, offset } } (its block and place there). */
    this.anns = new Map();
    /** Steps since the last point past which undo is not modelled (see the header). */
    this.undo = [];
    this.redo = [];
    /** Whether the reader has used this widget since the page loaded: Ctrl+Z goes to "the widget last used". */
    this.activated = false;
    /** Ids removed for good, for a removal the handle must refuse. */
    this.removed = [];
    this.serial = 0;
  }

  blockText(b) {
    return b.parts.map((p) => p.text).join('');
  }
  present() {
    return this.blocks.filter((b) => !b.gone);
  }
  /** The present blocks with their code point start and end in the document text. */
  layout() {
    let at = 0;
    return this.present().map((block) => {
      const len = cpLen(this.blockText(block));
      const out = { block, start: at, end: at + len };
      at += len + 1;
      return out;
    });
  }
  text() {
    return this.present()
      .map((b) => this.blockText(b))
      .join('\n');
  }
  slice(start, end) {
    return cps(this.text()).slice(start, end).join('');
  }
  anchored() {
    // Document order, as the product keeps it: by start, the longer first, then by id.
    const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
    return [...this.anns.values()].filter((a) => !a.orphan).sort((a, b) => a.start - b.start || b.end - a.end || byId(a, b));
  }
  orphans() {
    return [...this.anns.values()].filter((a) => a.orphan);
  }
  newId() {
    this.serial += 1;
    return `soak-${this.serial}`;
  }

  // ---- changes, as the product makes them ----

  /** A change to the annotations, recorded for undo: `after` per id (null: removed). */
  change(afters, { history = true } = {}) {
    const changes = afters.map((after) => ({
      id: after.id,
      before: copy(this.anns.get(after.id) ?? null),
      after: after.gone ? null : copy(after),
    }));
    for (const c of changes) this.put(c.id, c.after);
    if (history) {
      this.undo.push(changes);
      this.redo = [];
    }
  }
  put(id, value) {
    if (value) {
      this.anns.set(id, copy(value));
      this.removed = this.removed.filter((r) => r !== id);
    } else {
      this.anns.delete(id);
      this.removed.push(id);
    }
  }
  undoOne() {
    const changes = this.undo.pop();
    for (const c of changes) this.put(c.id, c.before);
    this.redo.push(changes);
  }
  redoOne() {
    const changes = this.redo.pop();
    for (const c of changes) this.put(c.id, c.after);
    this.undo.push(changes);
  }
  /** Undo is modelled only for steps after this point. */
  barrier() {
    this.undo = [];
    this.redo = [];
  }

  // ---- the host's edits: every annotation mapped through the edit the model made ----

  /** `added` code points replace `removed` at `at`; annotations after it move, those inside it are the caller's. */
  shift(at, removed, added) {
    for (const a of this.anns.values()) {
      if (a.orphan || a.end <= at) continue;
      if (a.start >= at + removed) {
        a.start += added - removed;
        a.end += added - removed;
      } else throw new Error(`model: an edit at ${at}+${removed} runs into ${a.id} (${a.start}-${a.end})`);
    }
  }

  /** Inserts `block` before the present block at layout index `index` (or last). */
  insertBlock(block, index) {
    const lay = this.layout();
    const len = cpLen(this.blockText(block));
    if (index < lay.length) {
      this.shift(lay[index].start, 0, len + 1);
      this.blocks.splice(this.blocks.indexOf(lay[index].block), 0, block);
    } else {
      this.shift(lay.length ? lay.at(-1).end : 0, 0, len + 1);
      this.blocks.push(block);
    }
    this.barrier();
  }

  deleteBlock(key) {
    const lay = this.layout();
    const i = lay.findIndex((l) => l.block.key === key);
    const { block, start, end } = lay[i];
    for (const a of this.anchored()) {
      if (a.start >= start && a.end <= end) a.orphan = { key, offset: a.start - start };
    }
    if (i < lay.length - 1) this.shift(start, end - start + 1, 0);
    else this.shift(start - 1, end - start + 1, 0);
    block.gone = true;
    this.barrier();
  }

  restoreBlock(key) {
    const block = this.blocks.find((b) => b.key === key);
    const index = this.blocks.filter((b) => !b.gone && this.blocks.indexOf(b) < this.blocks.indexOf(block)).length;
    const lay = this.layout();
    const len = cpLen(this.blockText(block));
    if (index < lay.length) this.shift(lay[index].start, 0, len + 1);
    else this.shift(lay.length ? lay.at(-1).end : 0, 0, len + 1);
    block.gone = false;
    const start = this.layout().find((l) => l.block === block).start;
    for (const a of this.orphans()) {
      if (a.orphan.key !== key) continue;
      a.start = start + a.orphan.offset;
      a.end = a.start + cpLen(a.exact);
      a.orphan = null;
    }
    this.barrier();
  }

  /** Replaces the word at `start` (code points, in part `part` of `key`) by `word`. */
  changeWord(key, part, partStart, old, word) {
    const block = this.blocks.find((b) => b.key === key);
    const at = this.layout().find((l) => l.block === block).start;
    const before = this.blockText(block);
    const p = block.parts[part];
    const chars = cps(p.text);
    if (chars.slice(partStart, partStart + cpLen(old)).join('') !== old) throw new Error(`model: ${old} is not at ${partStart} in ${key}`);
    const partAt = cpLen(block.parts.slice(0, part).map((x) => x.text).join(''));
    this.shift(at + partAt + partStart, cpLen(old), cpLen(word));
    p.text = [...chars.slice(0, partStart), word, ...chars.slice(partStart + cpLen(old))].join('');
    if (this.blockText(block) === before) throw new Error('model: the word change changed nothing');
    this.barrier();
  }

  // ---- what a step may pick ----

  /** A span of 1–4 whole words in one present block, `tag`ged anew (never the same span and tag twice). */
  pickSpan(rng, tag) {
    const lay = this.layout();
    for (let tries = 0; tries < 20; tries++) {
      const l = rng.weighted(lay.map((x) => [x, x.block.kind === 'figcaption' ? 3 : 2]));
      const words = tokens(this.blockText(l.block));
      if (!words.length) continue;
      const i = rng.int(words.length);
      const j = Math.min(words.length - 1, i + rng.int(4));
      const start = l.start + words[i].start;
      const end = l.start + words[j].end;
      if (this.anchored().some((a) => a.start === start && a.end === end && a.tag === tag)) continue;
      return { start, end, exact: this.slice(start, end), key: l.block.key };
    }
    return null;
  }

  /** A code point inside `a` that no other drawn annotation covers (nor its neighbours), to click on; or null. */
  clickPoint(a) {
    const chars = cps(this.text());
    const others = this.anchored().filter((b) => b.id !== a.id);
    const alone = (k) => k >= a.start && k < a.end && !others.some((b) => b.start <= k && k < b.end);
    const ok = [];
    for (let k = a.start + 1; k < a.end - 1; k++) {
      if (alone(k - 1) && alone(k) && alone(k + 1) && /[\p{L}\p{N}]/u.test(chars[k]) && chars[k].codePointAt(0) < 0x10000) ok.push(k);
    }
    return ok.length ? ok[Math.floor(ok.length / 2)] : null;
  }

  /** Where a quote given with this context lands (README "Anchoring"): the whole of prefix+exact+suffix searched
   *  in the document text (paragraph breaks read as spaces); the first of several; null if nowhere. */
  placeByQuote(exact, prefix = '', suffix = '') {
    const text = cps(collapse(this.text()));
    const whole = cps(collapse(prefix + exact + suffix));
    const at = occurrences(text, whole);
    if (!at.length) return null;
    const start = at[0] + cpLen(collapse(prefix));
    const alone = occurrences(text, cps(collapse(exact))).length === 1;
    const decidedBy = at.length > 1 ? 'first' : alone || (!prefix && !suffix) ? 'only' : 'context';
    return { start, end: start + cpLen(exact), decidedBy };
  }

  /** The product's context around a span: up to 32 code points either side. */
  contextOf(start, end) {
    const chars = cps(this.text());
    return { prefix: chars.slice(Math.max(0, start - CONTEXT), start).join(''), suffix: chars.slice(end, end + CONTEXT).join('') };
  }

  /** Whether the document text with `text` in place of the present one keeps the walk decidable: every orphan
   *  still nowhere (exactly or nearly), no quote of one falling across a paragraph break, no two neighbouring
   *  paragraphs alike. */
  decidable(blocks) {
    const texts = blocks.filter((b) => !b.gone).map((b) => this.blockText(b));
    const text = texts.join('\n');
    if (texts.some((t, i) => i > 0 && t === texts[i - 1])) return false;
    return this.orphans().every((a) => !findable(a.exact, text));
  }
}

/** Clone of the block list with one change, for a trial. */
const trial = (model, edit) => {
  const blocks = model.blocks.map((b) => ({ ...b, parts: b.parts.map((p) => ({ ...p })) }));
  edit(blocks);
  return blocks;
};

// ---- the planner: one step from the model and the PRNG ----

function spanForAdd(model, rng, tag) {
  const span = model.pickSpan(rng, tag);
  if (!span) return null;
  // No occurrence of the words may run across a paragraph break, where the model's spans never go.
  const text = cps(collapse(model.text()));
  const plain = cps(model.text());
  const across = occurrences(text, cps(collapse(span.exact))).some((at) => plain.slice(at, at + cpLen(span.exact)).includes('\n'));
  return across ? null : span;
}

/** A handle `addAnnotation` plan: the W3C selectors and where the model says they land. */
function planAdd(model, rng) {
  const tag = rng.pick(TAGS);
  const note = rng.chance(0.3) ? rng.pick(NOTES) : '';
  const id = model.newId();
  const how = rng.weighted([
    ['exact', 4],
    ['context', 3],
    ['position', 2],
    ['nowhere', 1],
    ['taken', 1],
  ]);
  if (how === 'nowhere') return { kind: 'add', how, id, tag, note, exact: rng.pick(NOWHERE), expect: null };
  if (how === 'taken') {
    const held = [...model.anns.keys()];
    if (!held.length) return null;
    const span = spanForAdd(model, rng, tag);
    if (!span) return null;
    return { kind: 'add', how, id: rng.pick(held), tag, note, exact: span.exact, expect: null };
  }
  const span = spanForAdd(model, rng, tag);
  if (!span) return null;
  const plan = { kind: 'add', how, id, tag, note, exact: span.exact };
  if (how === 'exact') plan.expect = model.placeByQuote(span.exact);
  else if (how === 'context') {
    const ctx = model.contextOf(span.start, span.end);
    // Sometimes only part of the context, as other tools keep less.
    const cut = rng.chance(0.3) ? 8 + rng.int(16) : CONTEXT;
    plan.prefix = cps(ctx.prefix).slice(-cut).join('');
    plan.suffix = cps(ctx.suffix).slice(0, cut).join('');
    plan.expect = model.placeByQuote(span.exact, plan.prefix, plan.suffix);
  } else {
    plan.position = { start: span.start, end: span.end };
    plan.expect = { start: span.start, end: span.end, anchored: 'position' };
  }
  // A span taken with the same tag already would be a second highlight on the same words: not planned.
  if (plan.expect && model.anchored().some((a) => a.start === plan.expect.start && a.end === plan.expect.end && a.tag === tag)) return null;
  return plan;
}

function planTag(model, rng) {
  const tag = rng.pick(TAGS);
  const span = model.pickSpan(rng, tag);
  if (!span) return null;
  // A mouse drag over words of both directions selects by what is on screen, not by the words' order: not planned.
  if (/[\u0590-\u08FF]/.test(span.exact) && /[A-Za-z0-9]/.test(span.exact)) return null;
  return { kind: 'tag', tag, by: rng.chance(0.35) ? 'key' : 'click', ...span };
}

function planPopover(model, rng) {
  const clickable = model.anchored().filter((a) => model.clickPoint(a) !== null);
  if (!clickable.length) return null;
  const a = rng.pick(clickable);
  const at = model.clickPoint(a);
  const what = rng.weighted([
    ['retag', 3],
    ['note', 3],
    ['delete', model.anns.size > 20 ? 6 : 2],
  ]);
  if (what === 'retag') {
    const tags = TAGS.filter((t) => t !== a.tag && !model.anchored().some((b) => b.start === a.start && b.end === a.end && b.tag === t));
    if (!tags.length) return null;
    return { kind: 'popover', what, id: a.id, at, tag: rng.pick(tags) };
  }
  if (what === 'note') {
    const note = rng.chance(0.15) && a.note ? '' : rng.pick(NOTES.filter((n) => n !== a.note));
    return { kind: 'popover', what, id: a.id, at, note };
  }
  return { kind: 'popover', what, id: a.id, at };
}

function planUpdate(model, rng) {
  const drawn = model.anchored();
  if (!drawn.length) return rng.chance(0.5) ? { kind: 'update', id: model.newId(), unknown: true, tag: 'claim', note: '' } : null;
  const a = rng.pick(drawn);
  const times = rng.chance(0.5) ? 'kept' : 'dropped';
  if (rng.chance(0.5)) {
    const tags = TAGS.filter((t) => t !== a.tag && !drawn.some((b) => b.start === a.start && b.end === a.end && b.tag === t));
    if (tags.length) return { kind: 'update', id: a.id, tag: rng.pick(tags), note: a.note, times };
  }
  const note = rng.chance(0.15) && a.note ? '' : rng.pick(NOTES.filter((n) => n !== a.note));
  return { kind: 'update', id: a.id, tag: a.tag, note, times };
}

function planRemove(model, rng) {
  const which = rng.weighted([
    ['drawn', model.anchored().length ? 4 : 0],
    ['orphan', model.orphans().length ? 4 : 0],
    ['unknown', 1],
  ]);
  if (which === 'drawn') return { kind: 'remove', which, id: rng.pick(model.anchored()).id };
  if (which === 'orphan') return { kind: 'remove', which, id: rng.pick(model.orphans()).id };
  return { kind: 'remove', which, id: model.removed.length ? rng.pick(model.removed) : 'soak-never-made' };
}

function planSet(model, rng) {
  // A drawn one's note is edited; the orphans go back as annotations() gave them (README: they stay, "kept").
  const drawn = model.anchored();
  if (!drawn.length) return null;
  const a = rng.pick(drawn);
  return { kind: 'set', id: a.id, note: rng.pick(NOTES.filter((n) => n !== a.note)) };
}

function planInsert(model, rng) {
  const lay = model.layout();
  if (lay.length >= 14) return null;
  const choice = rng.pick(INSERTS);
  let text = choice.text;
  if (model.blocks.some((b) => model.blockText(b) === text)) text = `${text.slice(0, -1)}, again.`;
  if (model.blocks.some((b) => model.blockText(b) === text)) return null;
  const index = rng.int(lay.length + 1);
  const block = { key: `n${model.blocks.length}`, kind: 'p', dir: choice.dir, lang: choice.lang, parts: [{ text }], gone: false };
  const blocks = trial(model, (bs) => {
    if (index < lay.length) bs.splice(bs.findIndex((b) => b.key === lay[index].block.key), 0, block);
    else bs.push(block);
  });
  if (!model.decidable(blocks)) return null;
  return { kind: 'insert', index, block, before: index < lay.length ? lay[index].block.key : null };
}

function planWord(model, rng) {
  const options = [];
  for (const l of model.layout()) {
    let partAt = 0;
    l.block.parts.forEach((p, part) => {
      for (const w of tokens(p.text)) {
        const start = l.start + partAt + w.start;
        const end = l.start + partAt + w.end;
        if (!SWAPS[w.word] || model.anchored().some((a) => a.start < end && start < a.end)) continue;
        options.push({ key: l.block.key, part, partStart: w.start, old: w.word, word: SWAPS[w.word] });
      }
      partAt += cpLen(p.text);
    });
  }
  for (let tries = 0; tries < 5 && options.length; tries++) {
    const o = rng.pick(options);
    const blocks = trial(model, (bs) => {
      const p = bs.find((b) => b.key === o.key).parts[o.part];
      const chars = cps(p.text);
      p.text = [...chars.slice(0, o.partStart), o.word, ...chars.slice(o.partStart + cpLen(o.old))].join('');
    });
    if (model.decidable(blocks)) return { kind: 'word', ...o };
  }
  return null;
}

/** A paragraph to delete: its text is nowhere else, and each annotation on it has its words nowhere else, nor
 *  near (so it must become an orphan); at least five paragraphs stay. */
function planDelete(model, rng) {
  const lay = model.layout();
  if (lay.length <= 5) return null;
  const options = lay.filter((l) => {
    const text = model.blockText(l.block);
    if (lay.filter((o) => model.blockText(o.block) === text).length > 1) return false;
    const blocks = trial(model, (bs) => (bs.find((b) => b.key === l.block.key).gone = true));
    if (!model.decidable(blocks)) return false;
    const rest = blocks.filter((b) => !b.gone).map((b) => model.blockText(b)).join('\n');
    const orphaned = (a) => a.start >= l.start && a.end <= l.end && !findable(a.exact, rest);
    return model.anchored().every((a) => a.end <= l.start || a.start >= l.end || orphaned(a));
  });
  if (!options.length) return null;
  // A paragraph holding annotations, most of the time: that is what makes orphans.
  const holding = options.filter((l) => model.anchored().some((a) => a.start >= l.start && a.end <= l.end));
  const l = holding.length && rng.chance(0.8) ? rng.pick(holding) : rng.pick(options);
  return { kind: 'delete', key: l.block.key };
}

function planRestore(model, rng) {
  const gone = model.blocks.filter((b) => b.gone);
  if (!gone.length) return null;
  const block = rng.pick(gone);
  const blocks = trial(model, (bs) => (bs.find((b) => b.key === block.key).gone = false));
  // Its own orphans come back; no other orphan may find its words in it.
  const others = model.orphans().filter((a) => a.orphan.key !== block.key);
  const text = blocks.filter((b) => !b.gone).map((b) => model.blockText(b)).join('\n');
  if (others.some((a) => findable(a.exact, text))) return null;
  // Each of its own comes back where it was: its words once in the whole text.
  const own = model.orphans().filter((a) => a.orphan.key === block.key);
  if (own.some((a) => occurrences(cps(collapse(text)), cps(collapse(a.exact))).length !== 1)) return null;
  const texts = blocks.filter((b) => !b.gone).map((b) => model.blockText(b));
  if (texts.some((t, i) => i > 0 && t === texts[i - 1])) return null;
  const present = blocks.filter((b) => !b.gone);
  const next = present[present.findIndex((b) => b.key === block.key) + 1];
  return { kind: 'restore', key: block.key, before: next ? next.key : null };
}

/** Every planner by kind. */
const PLANNERS = {
  tag: planTag,
  popover: planPopover,
  note: planPopover,
  add: planAdd,
  update: planUpdate,
  remove: planRemove,
  set: planSet,
  insert: planInsert,
  word: planWord,
  delete: planDelete,
  restore: planRestore,
};

/** A change that does happen (not one the handle refuses), which a later step carries out as part of itself:
 *  before a reload, in another tab, with storage full. */
export function planChange(model, rng, kinds) {
  const refused = (plan) =>
    (plan.kind === 'add' && !plan.expect) || (plan.kind === 'update' && plan.unknown) || (plan.kind === 'remove' && plan.which === 'unknown');
  for (let tries = 0; tries < 10; tries++) {
    const plan = PLANNERS[rng.pick(kinds)](model, rng);
    if (plan && !refused(plan)) return plan;
  }
  return null;
}

/** Two adds, one per tab, that do not land on the same words with the same tag. */
function planRace(model, rng) {
  const mine = planChange(model, rng, ['add']);
  if (!mine) return null;
  const theirs = planChange(model, rng, ['add']);
  if (!theirs || theirs.id === mine.id) return null;
  const same = theirs.expect.start === mine.expect.start && theirs.expect.end === mine.expect.end && theirs.tag === mine.tag;
  return same ? null : { kind: 'race', mine, theirs, busy: rng.chance(0.5) };
}

/** The next step. */
export function planStep(model, rng) {
  // Past two dozen annotations, removals take over from additions, so the page stays one a reader could check.
  const many = model.anns.size > 24;
  for (let tries = 0; tries < 30; tries++) {
    const kind = rng.weighted([
      ['tag', many ? 4 : 12],
      ['popover', 9],
      ['add', many ? 3 : 8],
      ['update', 5],
      ['remove', many ? 10 : 5],
      ['set', 3],
      ['undo', model.undo.length ? 6 : 0],
      ['redo', model.redo.length ? 3 : 0],
      ['reload', 2],
      ['reloadNow', 2],
      ['insert', 3],
      ['word', 3],
      ['delete', 3],
      ['restore', model.blocks.some((b) => b.gone) ? 3 : 0],
      ['tab', 2],
      ['race', 1.5],
      ['quota', 1],
    ]);
    let plan = null;
    if (PLANNERS[kind]) plan = PLANNERS[kind](model, rng);
    // Ctrl+Z goes to the widget last used; with none used since the load, the panel's button.
    else if (kind === 'undo' || kind === 'redo') plan = { kind, by: model.activated ? 'keys' : 'button' };
    else if (kind === 'reload') plan = { kind };
    else if (kind === 'reloadNow') {
      const change = planChange(model, rng, ['tag', 'add', 'update', 'note', 'remove']);
      plan = change && { kind, change };
    } else if (kind === 'tab') {
      const change = planChange(model, rng, ['add', 'add', 'update', 'remove', 'tag']);
      plan = change && { kind, change };
    } else if (kind === 'race') plan = planRace(model, rng);
    else if (kind === 'quota') {
      const first = planChange(model, rng, ['add', 'tag']);
      plan = first && { kind, first, then: rng.chance(0.5) ? 'change' : 'reload' };
    }
    if (plan) return plan;
  }
  return { kind: 'reload' };
}

/** One line of the walk's log. */
export function describe(plan) {
  const q = (s) => JSON.stringify(s.length > 40 ? `${s.slice(0, 39)}…` : s);
  const note = plan.note ? ` note ${q(plan.note)}` : '';
  switch (plan.kind) {
    case 'tag':
      return `tag ${plan.tag} by ${plan.by} ${q(plan.exact)}@${plan.start}-${plan.end}${plan.id ? ` → ${plan.id}` : ''}`;
    case 'popover': {
      const what = plan.what === 'retag' ? ` → ${plan.tag}` : plan.what === 'note' ? ` note ${q(plan.note)}` : '';
      return `popover ${plan.what} ${plan.id} (click at ${plan.at})${what}`;
    }
    case 'add': {
      const where = plan.expect ? ` → ${plan.expect.start}-${plan.expect.end}` : ' → refused';
      return `add ${plan.id} ${plan.tag} ${plan.how} ${q(plan.exact)}${where}${note}`;
    }
    case 'update':
      if (plan.unknown) return `update ${plan.id} (unknown) → refused`;
      return `update ${plan.id} tag ${plan.tag} note ${q(plan.note)} (times ${plan.times})`;
    case 'remove':
      return `remove ${plan.which} ${plan.id}`;
    case 'set':
      return `setAnnotations with ${plan.id}'s note → ${q(plan.note)}`;
    case 'insert':
      return `host inserts ${q(plan.block.parts[0].text)} at ${plan.index}`;
    case 'word':
      return `host changes ${plan.old} → ${plan.word} in ${plan.key}`;
    case 'delete':
      return `host deletes ${plan.key}`;
    case 'restore':
      return `host puts ${plan.key} back`;
    case 'reloadNow':
      return `reload right after: ${describe(plan.change)}`;
    case 'tab':
      return `second tab: ${describe(plan.change)}`;
    case 'race':
      return `two tabs at once${plan.busy ? ', this one busy' : ''}: here ${describe(plan.mine)}; there ${describe(plan.theirs)}`;
    case 'quota':
      return `storage full: ${describe(plan.first)}; then ${plan.then}`;
    default:
      return `${plan.kind}${plan.by ? ` by ${plan.by}` : ''}`;
  }
}
