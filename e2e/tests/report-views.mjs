// The fact-check report read back from both its forms — the Markdown
// download and the print view's window — into one shape, so a test can
// assert that both say the same facts for the same claims: shared by
// factcheck.spec.mjs and checking.spec.mjs.

/** What a CommonMark renderer shows for `md`: a backslash before ASCII punctuation shows that character. */
export function shown(md) {
  return md.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/**
 * The Markdown report as `{ heading, summary, claims, quotes }`: each claim
 * `{ quote, facts: { Label: value }, sources: [{ text, href }] }` (href null
 * for a source that is not linked), each quote the line a reader sees.
 */
export function fromMarkdown(text) {
  const lines = text.split('\n');
  const claims = [];
  const quotes = [];
  let section = null;
  let indent = '';
  for (const line of lines) {
    if (line.startsWith('## ')) section = line.slice(3);
    const item = line.match(/^(\d+\. )(.*)$/);
    if (item && section === 'Claims') {
      indent = ' '.repeat(item[1].length);
      claims.push({ quote: shown(item[2]), facts: {}, sources: [] });
    } else if (item && section === 'Quotes') {
      quotes.push(shown(item[2]));
    } else if (section === 'Claims' && line.startsWith(`${indent}  - `)) {
      claims.at(-1).sources.push(markdownSource(line.slice(indent.length + 4)));
    } else if (section === 'Claims' && line.startsWith(`${indent}- `)) {
      const [, label, value] = line.slice(indent.length + 2).match(/^([^:]+):(?: (.*))?$/);
      if (label !== 'Sources') claims.at(-1).facts[label] = shown(value);
    }
  }
  return { heading: shown(lines[0].replace(/^# /, '')), summary: shown(lines[2]), claims, quotes };
}

/** `[text](href)`, or text with why it is not linked. */
function markdownSource(md) {
  const link = md.match(/^\[(.*)\]\(([^()\s]+)\)$/);
  return link ? { text: shown(link[1]), href: link[2] } : { text: shown(md), href: null };
}

/** The print view's report, in the shape `fromMarkdown` gives, read from the window's elements as a reader sees them. */
export async function fromPrintView(view) {
  return view.locator('main').evaluate((main) => {
    const items = (list) => [...main.querySelectorAll(`ol.${list} > li`)];
    const claims = items('claims').map((li) => {
      const facts = {};
      const sources = [];
      for (const fact of li.querySelectorAll(':scope > ul > li')) {
        const label = fact.querySelector(':scope > strong').textContent.replace(/:$/, '');
        if (label !== 'Sources') {
          facts[label] = fact.textContent.slice(label.length + 2);
          continue;
        }
        for (const s of fact.querySelectorAll(':scope > ul > li')) {
          const a = s.querySelector('a');
          sources.push(a ? { text: a.textContent, href: a.getAttribute('href') } : { text: s.textContent, href: null });
        }
      }
      return { quote: li.querySelector(':scope > blockquote').textContent, facts, sources };
    });
    return {
      heading: main.querySelector('h1').textContent,
      summary: main.querySelector(':scope > p').textContent,
      claims,
      quotes: items('quotes').map((li) => li.textContent),
    };
  });
}
