// The pages a role reaches, crawled in the browser (for a11y.test.mjs and
// layout.test.mjs): breadth-first from the start paths, following every
// same-origin <a href> and every GET form submitted with the values it
// shows (as tests/api/test_crawl.py does), GET only.  Only HTML answers are
// looked at; the rest (a PDF, an XLSX or a CSV, which the browser takes as
// a download) is counted.  A path's query variants are capped, as
// the HTTP crawl caps them, so a filter form cannot multiply the pages.
//
// Nothing here names a demo object: the pages come from the links.

const SKIP = /^\/(static\/|api\/|healthz$|logout$)/;

// Path and query with the parameters sorted, no fragment.
export function normalise(href, base) {
  const u = new URL(href, base);
  const q = [...u.searchParams.entries()].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const s = new URLSearchParams(q).toString();
  return u.pathname + (s ? '?' + s : '');
}

// The pattern of a path: its numbers as '#' ("/procedures/#/lots").
export const shape = path => path.split('?')[0].replace(/\/\d+(?=\/|$)/g, '/#');

// Every URL the page in the browser leads to with a GET.
async function linksOf(page) {
  return page.evaluate(() => {
    const out = [];
    for (const a of document.querySelectorAll('a[href]')) out.push(a.getAttribute('href'));
    for (const f of document.querySelectorAll('form')) {
      if ((f.getAttribute('method') || 'get').toLowerCase() !== 'get') continue;
      const q = new URLSearchParams();
      for (const el of f.elements) {
        if (!el.name || el.disabled) continue;
        const type = (el.type || '').toLowerCase();
        if (['submit', 'image', 'reset', 'button', 'file'].includes(type)) continue;
        if ((type === 'checkbox' || type === 'radio') && !el.checked) continue;
        if (el.tagName === 'SELECT' && el.multiple) {
          for (const o of el.selectedOptions) q.append(el.name, o.value);
        } else q.append(el.name, el.value);
      }
      const action = f.getAttribute('action') || location.pathname;
      const s = q.toString();
      out.push(s ? action + (action.includes('?') ? '&' : '?') + s : action);
    }
    return out;
  });
}

// Crawls as the page's context is logged in; calls visit(page, path,
// status) on every HTML page after it has loaded.  Returns
// { pages: [path...], other: {contentType: count}, capped: bool }.
export async function crawl(page, base, starts, visit, { variantCap = 12, pageCap = 1500 } = {}) {
  const origin = new URL(base).origin;
  const queue = [...starts];
  const seen = new Set(starts.map(s => normalise(s, base)));
  const variants = new Map();
  const pages = [];
  const other = {};
  let capped = false;
  while (queue.length) {
    if (pages.length >= pageCap) { capped = true; break; }
    const path = queue.shift();
    let resp;
    try {
      resp = await page.goto(base + path, { waitUntil: 'load' });
    } catch (e) {
      // A PDF, XLSX or CSV is sent as an attachment: a download.
      if (!/Download is starting/.test(e.message)) throw e;
      other.download = (other.download || 0) + 1;
      continue;
    }
    const ctype = ((resp && resp.headers()['content-type']) || '').split(';')[0].trim();
    if (ctype !== 'text/html') {
      other[ctype || '(none)'] = (other[ctype || '(none)'] || 0) + 1;
      continue;
    }
    const status = resp.status();
    pages.push(path);
    await visit(page, path, status);
    for (const href of await linksOf(page)) {
      let u;
      try { u = new URL(href, page.url()); } catch { continue; }
      if (u.origin !== origin || !['http:', 'https:'].includes(u.protocol)) continue;
      const n = normalise(u.href, base);
      if (seen.has(n) || SKIP.test(u.pathname)) continue;
      if (u.search) {
        const v = variants.get(u.pathname) || new Set();
        if (v.size >= variantCap) continue;
        v.add(n);
        variants.set(u.pathname, v);
      }
      seen.add(n);
      queue.push(n);
    }
  }
  return { pages, other, capped };
}

// What an accessibility check of a page can depend on, without what it
// cannot: the DOM with every text reduced to whether it is empty; of the
// attributes that tie or name things (id, for, class, role, type, lang,
// tabindex, headers, scope, aria-*) the value with its digits as '#', of
// the others whether they are empty; a run of siblings alike as one; and
// whether any id is given twice.  Two pages with one fingerprint (the same
// tab of two procedures, a list's next page, a table with more rows) are
// one check; a page that differs in anything else is checked on its own.
const KEEP = /^(id|for|class|role|type|lang|tabindex|headers|scope|aria-.*)$/;
export async function fingerprint(page) {
  return page.evaluate(keep => {
    const KEEP = new RegExp(keep);
    const ids = new Set();
    let dup = false;
    const walk = n => {
      if (n.nodeType === Node.TEXT_NODE) return n.data.trim() ? 'T' : '';
      if (n.nodeType !== Node.ELEMENT_NODE) return '';
      if (n.id) { dup = dup || ids.has(n.id); ids.add(n.id); }
      const attrs = [...n.attributes].map(a => KEEP.test(a.name)
        ? `${a.name}=${a.value.replace(/\d+/g, '#')}` : `${a.name}${a.value ? '*' : ''}`).join(' ');
      const kids = [];
      for (const c of n.childNodes) {
        const k = walk(c);
        if (k && k !== kids[kids.length - 1]) kids.push(k);
      }
      return `<${n.tagName} ${attrs}>${kids.join('')}</>`;
    };
    return `${dup}|${walk(document.documentElement)}`;
  }, KEEP.source);
}
