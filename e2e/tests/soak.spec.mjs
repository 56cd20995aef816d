// The soak: a seeded random walk through the embed widget on a host page of
// our own (repeated text, several scripts), in the real UI (mouse drags, the
// picker by click and by key, the popover, Ctrl+Z) and the real handle, with
// reloads, the host editing its article, a second tab and storage filled to
// quota, checked after every step against the model in soak-model.mjs: every
// annotation painted on exactly its words (their document offsets, so the
// right copy of repeated text), listed in the panel, held by annotations()
// and export('w3c'), and saved. MARGINALIA_SOAK_SEED (one seed; default a
// fixed few) and MARGINALIA_SOAK_STEPS (per seed) set the walk; a break
// prints the seed, the step and the last steps, to replay it.
import { test, expect, THROTTLE, serveHost, fillStorage, readSaved } from './fixtures.mjs';
import { Model, Rng, planStep, planChange, describe, LABEL, KEY, ANNOTATION_IRI } from './soak-model.mjs';

const PATH = '/soak-host.html';
const CONTROLS = 'body > [data-marginalia]';
const DOCUMENT = 'soak';
const STORAGE_KEY = `marginalia:v1:doc:${DOCUMENT}`;
const SEEDS = process.env.MARGINALIA_SOAK_SEED ? [Number(process.env.MARGINALIA_SOAK_SEED)] : [1, 2, 3];
const STEPS = Number(process.env.MARGINALIA_SOAK_STEPS ?? 100);
/** How long one wait of a step may take: the config's expect timeout, which THROTTLE scales. */
const WAIT = 5_000 * THROTTLE;
/** MARGINALIA_SOAK_VERBOSE=1 prints every step as it is taken, with its time. */
const VERBOSE = Boolean(process.env.MARGINALIA_SOAK_VERBOSE);

const esc = (s) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** One block of the model as the host renders it; `data-k` names it, `data-t` marks the element holding its text. */
function blockHtml(b) {
  const inner = b.parts.map((p) => (p.em ? `<em>${esc(p.text)}</em>` : esc(p.text))).join('');
  const attrs = `${b.dir ? ` dir="${b.dir}"` : ''}${b.lang ? ` lang="${b.lang}"` : ''}`;
  if (b.kind === 'figcaption') {
    const img = '<img alt="" width="240" height="40" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">';
    return `<figure data-k="${b.key}">${img}<figcaption data-t${attrs}>${inner}</figcaption></figure>`;
  }
  return `<${b.kind} data-k="${b.key}" data-t${attrs}>${inner}</${b.kind}>`;
}

const articleHtml = (model) => `<article id="host">\n${model.present().map(blockHtml).join('\n')}\n</article>`;

/**
 * Helpers every page of the walk gets (an init script): a code point's box on screen, a trigger for two pages
 * to act at once, and one snapshot of everything the checks compare (the host's text, the painted ranges as
 * document offsets, the handle's lists, the panel).
 */
function pageHelpers() {
  const cpLen = (s) => [...s].length;
  const blocks = () => [...document.querySelectorAll('#host [data-t]')];
  /** A Range over the code point at document offset `cp`, and its block. */
  const charRange = (cp) => {
    let base = 0;
    for (const el of blocks()) {
      const len = cpLen(el.textContent);
      if (cp < base + len) {
        let k = cp - base;
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node; (node = walker.nextNode()); ) {
          const chars = [...node.data];
          if (k < chars.length) {
            const r = document.createRange();
            const at = chars.slice(0, k).join('').length;
            r.setStart(node, at);
            r.setEnd(node, at + chars[k].length);
            return { r, el };
          }
          k -= chars.length;
        }
      }
      base += len + 1;
    }
    throw new Error(`no character at ${cp}`);
  };
  /** The document offset (code points) of a boundary point, or null outside the article's blocks. */
  const cpOf = (node, offset) => {
    const all = blocks();
    const i = all.findIndex((b) => b.contains(node));
    if (i < 0) return null;
    let base = 0;
    for (let j = 0; j < i; j++) base += cpLen(all[j].textContent) + 1;
    const r = document.createRange();
    r.setStart(all[i], 0);
    r.setEnd(node, offset);
    return base + cpLen(r.toString());
  };
  const view = (iri, a) => {
    const bodies = [a.body ?? []].flat();
    const selectors = [a.target?.selector ?? []].flat();
    const quote = selectors.find((s) => s.type === 'TextQuoteSelector');
    const position = selectors.find((s) => s.type === 'TextPositionSelector');
    return {
      id: String(a.id).replace(iri, ''),
      tag: bodies.find((b) => b.purpose === 'tagging')?.value,
      note: bodies.find((b) => b.purpose === 'commenting')?.value ?? '',
      exact: quote?.exact,
      start: position?.start,
      end: position?.end,
    };
  };
  window.__soak = {
    /** The box of the code point at `cp`, and whether its paragraph runs right to left. A paragraph near an edge of
     *  the window is scrolled to its middle first: a drag near the edge would scroll the page under the mouse. */
    async box(cp) {
      const { el } = charRange(cp);
      const b = el.getBoundingClientRect();
      if (b.top < 80 || b.bottom > innerHeight - 80) {
        el.scrollIntoView({ block: 'center' });
        await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      }
      const { r } = charRange(cp);
      const rect = r.getClientRects()[0];
      // Which way this character runs: Hebrew and Arabic letters right to left, other letters and digits left to
      // right (a Latin word in a Hebrew paragraph too), anything else as its paragraph does.
      const ch = r.toString();
      const strong = /[\p{L}\p{N}]/u.test(ch);
      const rtl = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/.test(ch) || (!strong && getComputedStyle(el).direction === 'rtl');
      return { left: rect.left, right: rect.right, top: rect.top, bottom: rect.bottom, rtl };
    },
    /** Arms this page to add `item` through its handle the moment another page writes `soak:go` (a storage
     *  event reaches every other page at once, so two pages act together). With `busy` (ms), the page then runs
     *  one long task, and at its end the widget's write on leaving (its `pagehide` listener) runs in that same
     *  task: the browser has not yet told this page of anything another tab saved meanwhile. */
    arm(item, busy = 0) {
      window.__soakAnswer = null;
      const go = (e) => {
        if (e.key !== 'soak:go') return;
        removeEventListener('storage', go);
        window.__soakAnswer = window.handle.addAnnotation(item);
        if (!busy) return;
        const until = performance.now() + busy;
        while (performance.now() < until);
        dispatchEvent(new PageTransitionEvent('pagehide'));
      };
      addEventListener('storage', go);
    },
    observe(iri) {
      const text = [...blocks().map((b) => b.textContent).join('\n')];
      const painted = [];
      for (const [name, highlight] of CSS.highlights) {
        if (!name.startsWith('marginalia-') || name === 'marginalia--active' || name.startsWith('marginalia-suggested-')) continue;
        for (const r of highlight) {
          const start = cpOf(r.startContainer, r.startOffset);
          const end = cpOf(r.endContainer, r.endOffset);
          const inside = start !== null && end !== null;
          const words = inside ? text.slice(start, end).join('') : 'not in the article';
          painted.push({ tag: name.slice('marginalia-'.length), start, end, text: words });
        }
      }
      const shadow = window.handle.controls.shadowRoot;
      const collection = window.handle.export('w3c');
      return {
        text: text.join(''),
        painted,
        annotations: window.handle.annotations().map((a) => view(iri, a)),
        exported: (collection.first?.items ?? []).map((a) => view(iri, a)),
        total: collection.total,
        panel: {
          items: [...shadow.querySelectorAll('ol.annotation-list > li')].map((li) => ({
            id: li.dataset.annotationId,
            tag: li.dataset.tag,
            note: li.querySelector('.panel-note')?.textContent ?? '',
          })),
          orphans: [...shadow.querySelectorAll('ul[aria-label="Orphaned annotations"] > li')].map((li) => ({
            id: li.dataset.annotationId,
            tag: li.querySelector('.tag-label')?.dataset.tag,
          })),
          counts: shadow.querySelector('[data-testid=counts]')?.textContent,
          toggle: shadow.querySelector('.panel-toggle')?.textContent,
        },
        alerts: [...shadow.querySelectorAll('[role=alert]')].map((e) => e.textContent).filter((t) => t.trim()),
      };
    },
  };
}

// ---- the checks ----

/** "1 claim · 2 quotes · 0 captions", as the panel counts. */
function countsText(drawn) {
  return ['claim', 'quote', 'caption']
    .map((tag) => {
      const n = drawn.filter((a) => a.tag === tag).length;
      return `${n} ${tag}${n === 1 ? '' : 's'}`;
    })
    .join(' · ');
}

/** What differs between two lists of lines (as multisets), under `name`. */
function compare(name, want, got, out) {
  const left = [...got];
  const missing = [];
  for (const w of want) {
    const i = left.indexOf(w);
    if (i < 0) missing.push(w);
    else left.splice(i, 1);
  }
  if (missing.length) out.push(`${name}: missing ${missing.join(' | ')}`);
  if (left.length) out.push(`${name}: not in the model ${left.join(' | ')}`);
}

/** One annotation as a line: with its position when drawn, without when orphaned (its span is of an older text). */
function line(a, orphan) {
  const where = orphan ? 'orphan' : `${a.start}-${a.end}`;
  return `${a.id} ${a.tag} ${where} ${JSON.stringify(a.exact)} note ${JSON.stringify(a.note)}`;
}

/** Every way the page differs from the model (none: they agree). `alerts`: an alert is expected. */
function differences(model, seen, { alerts = false } = {}) {
  const out = [];
  if (seen.text !== model.text()) out.push(`harness: the host's text is not the model's: ${JSON.stringify(seen.text)}`);
  const drawn = model.anchored();
  const orphans = model.orphans();
  const isOrphan = (id) => orphans.some((a) => a.id === id);
  const all = [...drawn.map((a) => line(a, false)), ...orphans.map((a) => line(a, true))];
  compare(
    'painted',
    drawn.map((a) => `${a.tag} ${a.start}-${a.end} ${JSON.stringify(a.exact)}`),
    seen.painted.map((r) => `${r.tag} ${r.start}-${r.end} ${JSON.stringify(r.text)}`),
    out,
  );
  // Orphans included: kept, never drawn (README "Using it"), and the handle's to read and remove.
  compare('annotations()', all, seen.annotations.map((a) => line(a, isOrphan(a.id))), out);
  // In order (README "The handle"): the drawn ones in document order, then the orphans; the panel lists the
  // drawn ones in document order too.
  const order = drawn.map((a) => a.id).join(' ');
  const handleOrder = seen.annotations.slice(0, drawn.length).map((a) => a.id).join(' ');
  if (!out.length && handleOrder !== order) out.push(`annotations() order: ${handleOrder}; the model's ${order}`);
  const panelOrder = seen.panel.items.map((a) => a.id).join(' ');
  if (!out.length && panelOrder !== order) out.push(`panel order: ${panelOrder}; the model's ${order}`);
  compare("export('w3c')", all, seen.exported.map((a) => line(a, isOrphan(a.id))), out);
  if (seen.total !== model.anns.size) out.push(`export('w3c'): total ${seen.total}, the model holds ${model.anns.size}`);
  compare(
    'panel',
    drawn.map((a) => `${a.id} ${a.tag} note ${JSON.stringify(a.note)}`),
    seen.panel.items.map((a) => `${a.id} ${a.tag} note ${JSON.stringify(a.note)}`),
    out,
  );
  compare('panel, Orphaned', orphans.map((a) => `${a.id} ${a.tag}`), seen.panel.orphans.map((a) => `${a.id} ${a.tag}`), out);
  if (seen.panel.counts !== countsText(drawn)) out.push(`panel counts: ${seen.panel.counts}, the model ${countsText(drawn)}`);
  // The closed side panel's button counts the drawn annotations and what waits for the reader's check (orphans
  // here), and any unsaved drafts (not modelled); an open one says "Close panel". Whether it opens by itself
  // is not this walk's question.
  const toggle = seen.panel.toggle ?? '';
  const counted = toggle.match(/^Annotations \((\d+)(?: · (\d+) to check)?(?: · \d+ drafts?)?\)$/);
  const button = counted ? `${counted[1]} drawn, ${counted[2] ?? 0} to check` : toggle;
  if (toggle !== 'Close panel' && button !== `${drawn.length} drawn, ${orphans.length} to check`) {
    out.push(`panel button: ${toggle}, the model ${drawn.length} drawn, ${orphans.length} to check`);
  }
  if (!alerts && seen.alerts.length) out.push(`alerts: ${seen.alerts.join(' | ')}`);
  return out;
}

/** What the saved envelope holds that differs from the model. */
function storedDifferences(model, stored) {
  if (stored === null) return model.anns.size ? ['storage: nothing saved'] : [];
  const orphans = model.orphans();
  const out = [];
  const all = [...model.anchored().map((a) => line(a, false)), ...orphans.map((a) => line(a, true))];
  const saved = stored.annotations.map((a) => {
    const orphan = orphans.some((o) => o.id === a.id);
    return line({ id: a.id, tag: a.tag, start: a.span.start, end: a.span.end, exact: a.quote.exact, note: a.note ?? '' }, orphan);
  });
  compare('storage', all, saved, out);
  return out;
}

const observe = (p) => p.evaluate((iri) => window.__soak.observe(iri), ANNOTATION_IRI);
/** What storage holds: the envelope with its log laid over it. */
const storedValue = (p) => readSaved(p, STORAGE_KEY);

/** Waits until the page shows what the model holds (painted, listed, held by the handle). */
async function shows(p, model, options) {
  await expect
    .poll(async () => differences(model, await observe(p), options), { timeout: WAIT, message: 'the page agrees with the model' })
    .toEqual([]);
}

/** Waits for the widget's own save signal (README "Saving": the unsaved mark goes at the write that stores the change). */
async function saved(p) {
  await expect(p.locator(CONTROLS), 'the change is saved').not.toHaveAttribute('data-marginalia-unsaved', { timeout: WAIT });
}

/** The check after every step: shown as the model says, then saved as it says. */
async function check(p, model) {
  await shows(p, model);
  await saved(p);
  expect(storedDifferences(model, await storedValue(p)), 'storage agrees with the model').toEqual([]);
}

// ---- the changes, through the real UI and the real handle ----

async function ready(p) {
  await p.waitForFunction(() => window.mounted);
  await p.evaluate(() => window.handle.ready.then(() => true));
}

/** A real mouse drag over document offsets [start, end): from inside the first character, on the side where it
 *  begins, to inside the last one, on the side where it ends, in the direction each runs (fixtures' dragSelect
 *  goes left to right, which right-to-left text does not). A quarter in from the edge: the caret goes to the
 *  nearer side of the character under the mouse. */
async function dragSpan(p, start, end) {
  const at = (box, side) => ({ x: box.left + (box.right - box.left) * side, y: (box.top + box.bottom) / 2 });
  const first = await p.evaluate((cp) => window.__soak.box(cp), start);
  const from = at(first, first.rtl ? 0.75 : 0.25);
  const last = await p.evaluate((cp) => window.__soak.box(cp), end - 1);
  const to = at(last, last.rtl ? 0.25 : 0.75);
  await p.mouse.move(from.x, from.y);
  await p.mouse.down();
  await p.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
  await p.mouse.move(to.x, to.y, { steps: 4 });
  await p.mouse.up();
}

/** The one annotation id annotations() holds that the model does not (one the reader just made). */
async function newId(p, model) {
  let fresh = [];
  const ids = ([iri, known]) =>
    window.handle
      .annotations()
      .map((a) => a.id.replace(iri, ''))
      .filter((id) => !known.includes(id));
  await expect
    .poll(async () => (fresh = await p.evaluate(ids, [ANNOTATION_IRI, [...model.anns.keys()]])), {
      timeout: WAIT,
      message: 'the new highlight is in annotations()',
    })
    .toHaveLength(1);
  return fresh[0];
}

function w3c(plan) {
  const quote = { type: 'TextQuoteSelector', exact: plan.exact };
  if (plan.prefix !== undefined) Object.assign(quote, { prefix: plan.prefix, suffix: plan.suffix });
  const selector = [quote];
  if (plan.position) selector.push({ type: 'TextPositionSelector', ...plan.position });
  return {
    '@context': 'http://www.w3.org/ns/anno.jsonld',
    id: `${ANNOTATION_IRI}${plan.id}`,
    type: 'Annotation',
    body: [
      { type: 'TextualBody', purpose: 'tagging', value: plan.tag },
      ...(plan.note ? [{ type: 'TextualBody', purpose: 'commenting', value: plan.note }] : []),
    ],
    target: { source: `urn:marginalia:document:${DOCUMENT}`, selector },
  };
}

/** The handle's answer for one item says what the plan carried out: accepted, or refused and why. */
function expectAnswer(answer, accepted, reason, item = null) {
  if (accepted) {
    expect(answer, 'the handle answers accepted: 1').toMatchObject({ accepted: 1, refused: [], ...(item ? { items: [item] } : {}) });
  } else {
    expect(answer.accepted, 'the handle answers accepted: 0').toBe(0);
    expect(answer.refused?.[0]?.reason, 'the handle says why').toMatch(reason);
  }
}

/** How an add is placed (README "Anchoring"): by its position, else by its quote, decided as the model says. */
const placedAs = (plan) => (plan.how === 'position' ? { anchored: 'position' } : { anchored: 'quote', decidedBy: plan.expect.decidedBy });

/** The model's record of an add the handle accepted. */
const added = (plan) => {
  const { id, tag, note, exact } = plan;
  return { id, tag, note, start: plan.expect.start, end: plan.expect.end, exact, orphan: null };
};

/**
 * Carries out one change (`plan`) in page `p` and makes it in the model. `main`: the walk's own page (the reader's
 * use there makes this widget the one Ctrl+Z goes to); `history`: whether this page's undo holds it.
 */
async function change(p, model, plan, { main = true, history = true } = {}) {
  const controls = p.locator(CONTROLS);
  if (plan.kind === 'tag') {
    await dragSpan(p, plan.start, plan.end);
    const selected = await p.evaluate(() => getSelection().toString());
    if (selected !== plan.exact) throw new Error(`harness: the drag selected ${JSON.stringify(selected)}, not ${JSON.stringify(plan.exact)}`);
    const picker = controls.getByRole('toolbar', { name: 'Tag the selection' });
    await expect(picker, 'the picker offers to tag the selection').toBeVisible({ timeout: WAIT });
    if (plan.by === 'key') await p.keyboard.press(KEY[plan.tag]);
    else await picker.getByRole('button', { name: LABEL[plan.tag], exact: true }).click();
    await expect(picker).toBeHidden({ timeout: WAIT });
    plan.id = await newId(p, model);
    model.change([{ id: plan.id, tag: plan.tag, note: '', start: plan.start, end: plan.end, exact: plan.exact, orphan: null }], { history });
    if (main) model.activated = true;
  } else if (plan.kind === 'popover') {
    // A click on a character only this highlight covers: the popover is its alone.
    const box = await p.evaluate((cp) => window.__soak.box(cp), plan.at);
    await p.mouse.click((box.left + box.right) / 2, (box.top + box.bottom) / 2);
    const dialog = controls.getByRole('dialog', { name: 'Edit highlight' });
    await expect(dialog).toBeVisible({ timeout: WAIT });
    const a = { ...model.anns.get(plan.id) };
    if (plan.what === 'retag') {
      const button = dialog.getByRole('group', { name: 'Tag' }).getByRole('button', { name: LABEL[plan.tag], exact: true });
      await button.click();
      await expect(button).toHaveAttribute('aria-pressed', 'true', { timeout: WAIT });
      a.tag = plan.tag;
    } else if (plan.what === 'note') {
      // The note is in the editor the popover's Edit opens (the popover closes).
      await dialog.getByRole('button', { name: 'Edit', exact: true }).click();
      const editor = controls.getByRole('dialog', { name: 'Edit annotation' });
      await editor.getByRole('textbox', { name: 'Note' }).fill(plan.note);
      await editor.getByRole('button', { name: 'Save note' }).click();
      // The panel's entry carries the note once it is made (the entry is in the DOM of the closed panel too).
      const note = (c, id) => c.shadowRoot.querySelector(`li[data-annotation-id="${id}"] .panel-note`)?.textContent ?? '';
      await expect.poll(() => controls.evaluate(note, plan.id), { timeout: WAIT }).toBe(plan.note);
      a.note = plan.note;
    } else {
      await dialog.getByRole('button', { name: 'Delete' }).click();
      a.gone = true;
    }
    if (plan.what !== 'delete') await p.keyboard.press('Escape');
    await expect(dialog).toBeHidden({ timeout: WAIT });
    await expect(controls.getByRole('dialog', { name: 'Edit annotation' })).toBeHidden({ timeout: WAIT });
    model.change([a], { history });
    if (main) model.activated = true;
  } else if (plan.kind === 'add') {
    const answer = await p.evaluate((item) => window.handle.addAnnotation(item), w3c(plan));
    if (plan.how === 'nowhere') return expectAnswer(answer, false, /not in the text/);
    if (plan.how === 'taken') return expectAnswer(answer, false, /already here/);
    expectAnswer(answer, true, null, placedAs(plan));
    model.change([added(plan)], { history });
  } else if (plan.kind === 'update') {
    if (plan.unknown) {
      const answer = await p.evaluate((item) => window.handle.updateAnnotation(item), w3c({ id: plan.id, tag: 'claim', exact: 'Council' }));
      return expectAnswer(answer, false, /no annotation has this id/);
    }
    // What the handle gave, with another tag or note; its times kept as given, or left out.
    const answer = await p.evaluate(
      ([iri, id, tag, note, times]) => {
        const a = window.handle.getAnnotation(iri + id);
        a.body = [{ type: 'TextualBody', purpose: 'tagging', value: tag }];
        if (note) a.body.push({ type: 'TextualBody', purpose: 'commenting', value: note, format: 'text/plain' });
        if (times === 'dropped') {
          delete a.created;
          delete a.modified;
        }
        return window.handle.updateAnnotation(a);
      },
      [ANNOTATION_IRI, plan.id, plan.tag, plan.note, plan.times],
    );
    expectAnswer(answer, true, null, { anchored: 'position' });
    model.change([{ ...model.anns.get(plan.id), tag: plan.tag, note: plan.note }], { history });
  } else if (plan.kind === 'remove') {
    const id = plan.which === 'orphan' ? `${ANNOTATION_IRI}${plan.id}` : plan.id;
    const answer = await p.evaluate((id) => window.handle.removeAnnotation(id), id);
    if (plan.which === 'unknown') return expectAnswer(answer, false, /no annotation has this id/);
    expectAnswer(answer, true);
    model.change([{ id: plan.id, gone: true }], { history });
  } else if (plan.kind === 'set') {
    const answer = await p.evaluate(
      ([iri, id, note]) => {
        const list = window.handle.annotations();
        const a = list.find((x) => x.id === iri + id);
        // The note edited; `modified` left as annotations() gave it.
        a.body = a.body.filter((b) => b.purpose !== 'commenting');
        a.body.push({ type: 'TextualBody', purpose: 'commenting', value: note, format: 'text/plain' });
        return { ...window.handle.setAnnotations(list), given: list.map((x) => x.id.replace(iri, '')) };
      },
      [ANNOTATION_IRI, plan.id, plan.note],
    );
    // Every item is carried out: the drawn ones as given, the orphans kept as they are.
    expect(answer, 'setAnnotations answers every item accepted').toMatchObject({ accepted: model.anns.size, refused: [] });
    const kept = answer.items.filter((i) => i.kept === 'orphan').map((i) => answer.given[i.index]);
    expect(kept.sort(), 'setAnnotations keeps each orphan given back').toEqual(model.orphans().map((a) => a.id).sort());
    // It replaces everything, and no undo reaches back past it (the product clears its history there).
    model.change([{ ...model.anns.get(plan.id), note: plan.note }], { history: false });
    model.barrier();
  } else throw new Error(`not a change: ${plan.kind}`);
}

/** Inserts `html` into the host's article before the block `before` (or last): run in the page. */
function insertBlock([html, before]) {
  const t = document.createElement('template');
  t.innerHTML = html;
  const article = document.getElementById('host');
  article.insertBefore(t.content.firstElementChild, before ? article.querySelector(`[data-k="${before}"]`) : null);
}

/** Replaces the word `old` at code point `partStart` of text node `part` of block `key` by `word`: run in the page. */
function replaceWord([key, part, partStart, old, word]) {
  const el = document.querySelector(`#host [data-k="${key}"]`);
  const walker = document.createTreeWalker(el.matches('[data-t]') ? el : el.querySelector('[data-t]'), NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n; (n = walker.nextNode()); ) nodes.push(n);
  const node = nodes[part];
  const at = [...node.data].slice(0, partStart).join('').length;
  if (node.data.slice(at, at + old.length) !== old) throw new Error(`harness: ${old} is not where the model says`);
  node.replaceData(at, old.length, word);
}

/** Takes block `key` out of the host's article: run in the page. */
function removeBlock(key) {
  document.querySelector(`#host [data-k="${key}"]`).remove();
}

/** One walk: its page, model, PRNG, the host page it serves, and the log of its steps. */
class Walk {
  constructor(page, context, seed) {
    Object.assign(this, { page, context, seed });
    this.model = new Model();
    this.rng = new Rng(seed);
    this.controls = page.locator(CONTROLS);
    this.host = {
      style: 'body { font-family: "DejaVu Serif", serif; margin: 40px; max-width: 640px; line-height: 1.6 } figure { margin: 1em 0 }',
      body: articleHtml(this.model),
      script: `window.handle = mount(document.getElementById('host'), { documentId: '${DOCUMENT}' });`,
    };
    this.log = [];
    /** A page of the same origin with no widget, that starts a race. */
    this.starter = null;
  }

  /** The log's last line again, for a plan that learnt its id as it was carried out (a tag made in the UI). */
  relog(plan) {
    this.log[this.log.length - 1] = `${this.log.at(-1).split(' ')[0]} ${describe(plan)}`;
  }

  async start() {
    await this.context.addInitScript(pageHelpers);
    await serveHost(this.page, PATH, this.host);
    await this.page.goto(PATH);
    await ready(this.page);
    await check(this.page, this.model);
  }

  async reload() {
    await this.page.reload();
    await ready(this.page);
    this.model.barrier();
    this.model.activated = false;
  }

  /** A second page of the walk's context on the same host page, its widget ready. */
  async secondPage() {
    const other = await this.context.newPage();
    await serveHost(other, PATH, this.host);
    await other.goto(PATH);
    await ready(other);
    return other;
  }

  /** A host edit: `dom(args)` run in the page, the model's own edit made, and the served page follows. */
  async hostEdit(dom, args, edit) {
    const fingerprint = () => this.page.evaluate((key) => JSON.parse(localStorage.getItem(key) ?? 'null')?.fingerprint ?? null, STORAGE_KEY);
    const before = await fingerprint();
    await this.page.evaluate(dom, args);
    edit();
    this.host.body = articleHtml(this.model);
    // The widget has taken the edit in once it has saved what it placed on the new text (the envelope names the
    // text's fingerprint): an edit that moves nothing, a word of the same length, shows no other sign.
    await expect.poll(fingerprint, { timeout: WAIT, message: 'the widget saves its annotations on the edited text' }).not.toBe(before);
  }

  /** Carries out one planned step. */
  async step(plan) {
    const { page, model } = this;
    switch (plan.kind) {
      case 'tag':
      case 'popover':
      case 'add':
      case 'update':
      case 'remove':
      case 'set':
        return change(page, model, plan);
      case 'undo':
      case 'redo':
        return this.undoRedo(plan);
      case 'reload':
        return this.reload();
      case 'reloadNow':
        await change(page, model, plan.change);
        // Shown, not waited for its save: the page is left at once (README "Saving": written when it is left).
        await shows(page, model);
        this.log[this.log.length - 1] += (await this.controls.getAttribute('data-marginalia-unsaved')) === null ? ' (saved)' : ' (unsaved)';
        return this.reload();
      case 'insert':
        return this.hostEdit(insertBlock, [blockHtml(plan.block), plan.before], () => model.insertBlock(plan.block, plan.index));
      case 'word': {
        const args = [plan.key, plan.part, plan.partStart, plan.old, plan.word];
        return this.hostEdit(replaceWord, args, () => model.changeWord(...args));
      }
      case 'delete':
        return this.hostEdit(removeBlock, plan.key, () => model.deleteBlock(plan.key));
      case 'restore': {
        const block = model.blocks.find((b) => b.key === plan.key);
        return this.hostEdit(insertBlock, [blockHtml(block), plan.before], () => model.restoreBlock(plan.key));
      }
      case 'tab':
        return this.tab(plan);
      case 'race':
        return this.race(plan);
      case 'quota':
        return this.quota(plan);
      default:
        throw new Error(`no such step: ${plan.kind}`);
    }
  }

  async undoRedo(plan) {
    if (plan.by === 'keys') await this.page.keyboard.press(plan.kind === 'undo' ? 'Control+z' : 'Control+Shift+z');
    else {
      // Nothing used since the load, so no widget is "the widget last used" (README, keyboard map): the panel's button.
      const toggle = this.controls.locator('.panel-toggle');
      const open = (await toggle.getAttribute('aria-expanded')) === 'true';
      if (!open) await toggle.click();
      const name = plan.kind === 'undo' ? 'Undo' : 'Redo';
      await this.controls.getByRole('group', { name: 'History' }).getByRole('button', { name }).click();
      if (!open) await toggle.click();
      await expect(toggle).toHaveAttribute('aria-expanded', String(open));
      this.model.activated = true;
    }
    if (plan.kind === 'undo') this.model.undoOne();
    else this.model.redoOne();
  }

  /** One change in a second tab, saved there; the tab is closed and this page must show it. */
  async tab(plan) {
    const other = await this.secondPage();
    await other.bringToFront();
    await change(other, this.model, plan.change, { main: false, history: false });
    this.relog(plan);
    await saved(other);
    await other.close();
    await this.page.bringToFront();
    this.model.barrier();
  }

  /**
   * Both pages add at once, moved by one storage event from a third page; the second is closed the moment its own
   * save is done (issue 32: another tab's edit lost when two tabs save within a millisecond and the second closes at
   * once). Made likely, not left to a millisecond, when this page is `busy`: a long task during which the other
   * tab saves and is closed, and at its end this page's write on leaving, before the browser has delivered the
   * other tab's storage event (whose value is then the only copy of its edit).
   */
  async race(plan) {
    const { page, model } = this;
    const other = await this.secondPage();
    const busy = plan.busy ? 1_500 * THROTTLE : 0;
    await page.evaluate(([item, busy]) => window.__soak.arm(item, busy), [w3c(plan.mine), busy]);
    await other.evaluate((item) => window.__soak.arm(item), w3c(plan.theirs));
    if (!this.starter) {
      this.starter = await this.context.newPage();
      const body = '<!doctype html><title>go</title>';
      await this.starter.route('**/soak-go.html', (route) => route.fulfill({ contentType: 'text/html', body }));
      await this.starter.goto('/soak-go.html');
    }
    // With the starter in front both widgets' pages are hidden, and both save on the same schedule.
    await this.starter.bringToFront();
    await this.starter.evaluate((n) => localStorage.setItem('soak:go', String(n)), this.log.length);
    const answer = (p) => p.waitForFunction(() => window.__soakAnswer, null, { timeout: WAIT + busy }).then((h) => h.jsonValue());
    expectAnswer(await answer(other), true, null, placedAs(plan.theirs));
    await saved(other);
    await other.close();
    expectAnswer(await answer(page), true, null, placedAs(plan.mine));
    model.change([added(plan.mine), added(plan.theirs)], { history: false });
    await page.bringToFront();
    await saved(page);
    model.barrier();
  }

  /** Storage full: a change is shown, said not saved and kept marked unsaved; room is made, and the next change
   *  (README: saving is retried on the next change), or leaving the page, saves everything. */
  async quota(plan) {
    const { page, model, controls } = this;
    await fillStorage(page);
    await change(page, model, plan.first);
    await expect(controls.getByRole('alert')).toContainText('Not saved: storage is full', { timeout: WAIT });
    await expect(controls).toHaveAttribute('data-marginalia-unsaved', '', { timeout: WAIT });
    await shows(page, model, { alerts: true });
    expect(storedDifferences(model, await storedValue(page)), 'the full store did not take the change').not.toEqual([]);
    await page.evaluate(() => (window.__full = false));
    const next = plan.then === 'change' && planChange(model, this.rng, ['tag', 'add', 'update']);
    if (next) {
      this.log[this.log.length - 1] += `; next: ${describe(next)}`;
      await change(page, model, next);
      await saved(page);
      await expect(controls.getByRole('alert')).toHaveCount(0, { timeout: WAIT });
    } else await this.reload();
  }
}

for (const seed of SEEDS) {
  const title =
    `soak, seed ${seed}: ${STEPS} random steps through the UI, the handle, reloads, host edits, a second tab ` +
    'and a full store agree with the model after each';
  test(title, async ({ page, context }) => {
    // A step is a few waits of at most WAIT each, most far shorter; reloads and second tabs are the slow ones.
    test.setTimeout((30_000 + STEPS * 6_000) * THROTTLE);
    context.setDefaultTimeout(WAIT);
    const walk = new Walk(page, context, seed);
    await walk.start();
    const began = Date.now();
    for (let step = 1; step <= STEPS; step++) {
      const plan = planStep(walk.model, walk.rng);
      walk.log.push(`#${step} ${describe(plan)}`);
      const stepBegan = Date.now();
      try {
        await walk.step(plan);
        if (plan.kind === 'tag') walk.relog(plan);
        await check(page, walk.model);
        if (VERBOSE) console.log(`${walk.log.at(-1)} (${Date.now() - stepBegan} ms)`);
      } catch (e) {
        const status = await walk.controls
          .evaluate((c) => c.shadowRoot.querySelector('[role=status]')?.textContent ?? '')
          .catch(() => '(none)');
        throw new Error(
          `soak broke: seed ${seed}, step ${step} of ${STEPS}\n` +
            `replay: MARGINALIA_SOAK_SEED=${seed} MARGINALIA_SOAK_STEPS=${step}\n` +
            `last steps:\n  ${walk.log.slice(-15).join('\n  ')}\n` +
            `the widget's status line: ${JSON.stringify(status)}\n\n${e.message}`,
          { cause: e },
        );
      }
    }
    const seconds = (Date.now() - began) / 1000;
    const rate = (STEPS / seconds).toFixed(2);
    console.log(`soak seed ${seed}: ${STEPS} steps in ${seconds.toFixed(1)} s, ${rate} steps/s (CPU slowed ${THROTTLE}×)`);
  });
}
