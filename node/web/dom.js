// Building the page's elements: every text the visitor reads comes as a [Chinese, English] pair,
// shown side by side or one at a time by the language switch (the body's lang-* class).

// el builds an element; a child that is a [zh, en] pair becomes two spans, one per language.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(Array.isArray(c) ? bi(c[0], c[1]) : c);
  return e;
}

export function bi(zh, en) {
  const f = document.createDocumentFragment();
  f.append(el('span', {lang: 'zh'}, zh), el('span', {lang: 'en'}, en));
  return f;
}

// beijing shows UTC seconds as Beijing time, "2026-03-02 11:00".
export function beijing(seconds) {
  if (!seconds) return '—';
  return new Date((seconds + 8 * 3600) * 1000).toISOString().slice(0, 16).replace('T', ' ');
}
