// The DOM work of `text_map.rs` done in JavaScript, each in one call from
// the wasm: the walk of an article (node by node from Rust it was two
// calls across per element and a string copied per text node) and a
// static range (six calls with its init's properties). What is read and
// how it counts stays in Rust: the tag lists below come from there.

// A break (`<br>`) among a block's parts, in `walk`'s layout.
const BREAK = 0xffffffff;

// The text nodes under `root`, cut into blocks by the rule of `text_map.rs`
// (`blocks`, `skipped`: space-separated tag names; `skipAttr`: the
// attribute that leaves an element out). Returns
// [text nodes in document order, their data joined, layout], where layout
// is, for each block: its heading level (0: none), its number of parts,
// then each part's length in UTF-16 units (BREAK for a `<br>`).
export function walk(root, blocks, skipped, skipAttr) {
  const isBlock = new Set(blocks.split(' '));
  const isSkipped = new Set(skipped.split(' '));
  const texts = [];
  const data = [];
  const layout = [];
  let parts = [];
  const headings = [];
  const endBlock = () => {
    if (parts.length === 0) return;
    layout.push(headings.length ? headings[headings.length - 1] : 0, parts.length);
    for (const part of parts) layout.push(part);
    parts = [];
  };
  // Hidden by the host: the `hidden` attribute or `display: none` (an
  // ancestor's is met first, as the walk does not go into it).
  const hidden = (el) => el.hasAttribute('hidden') || getComputedStyle(el).display === 'none';
  const element = (el, isRoot) => {
    const name = el.tagName;
    if (!isRoot && (isSkipped.has(name) || el.hasAttribute(skipAttr) || hidden(el))) return;
    if (name === 'BR') {
      parts.push(BREAK);
      return;
    }
    const block = isBlock.has(name);
    const level = name.length === 2 && name[0] === 'H' && name[1] >= '1' && name[1] <= '6' ? name.charCodeAt(1) - 48 : 0;
    if (block) endBlock();
    if (level) headings.push(level);
    for (let node = el.firstChild; node; node = node.nextSibling) {
      if (node.nodeType === Node.TEXT_NODE) {
        texts.push(node);
        data.push(node.data);
        parts.push(node.data.length);
      } else if (node.nodeType === Node.ELEMENT_NODE) {
        element(node, false);
      }
    }
    if (block) endBlock();
    if (level) headings.pop();
  };
  element(root, true);
  endBlock();
  return [texts, data.join(''), Uint32Array.from(layout)];
}

// A static range from (startNode, startOffset) to (endNode, endOffset).
export function static_range(startContainer, startOffset, endContainer, endOffset) {
  return new StaticRange({ startContainer, startOffset, endContainer, endOffset });
}
