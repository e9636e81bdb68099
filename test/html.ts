// A small reader of the HTML Pilotis renders (preact-render-to-string: quoted attributes, escaped text,
// no inline script or style), enough to check a page's structure in tests without a parser package.

export type Tag = {
  name: string;
  closing: boolean;
  attrs: Record<string, string>;
  /** Where the tag ends in the source, to read the text that follows it. */
  end: number;
  /** How many <label> elements are open around this tag. */
  inLabel: number;
};

const TAG = /<!--[\s\S]*?-->|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|nbsp);/gi, (_, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith('#')) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }[lower]!;
  });
}

/** Every start and end tag, in document order, with its attributes decoded (names in lower case). */
export function tags(html: string): Tag[] {
  const out: Tag[] = [];
  let labels = 0;
  for (const m of html.matchAll(TAG)) {
    if (m[2] === undefined) continue;
    const name = m[2].toLowerCase();
    const closing = m[1] === '/';
    const attrs: Record<string, string> = {};
    for (const a of (m[3] ?? '').matchAll(ATTR)) attrs[a[1]!.toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? '');
    if (name === 'label' && closing) labels = Math.max(0, labels - 1);
    out.push({ name, closing, attrs, end: m.index + m[0].length, inLabel: labels });
    if (name === 'label' && !closing) labels++;
  }
  return out;
}

/** The text of the first element with that name (tags inside it dropped). */
export function textOf(html: string, name: string): string | undefined {
  const match = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'i').exec(html);
  return match ? decodeEntities(match[1]!.replace(/<[^>]*>/g, '')).trim() : undefined;
}
