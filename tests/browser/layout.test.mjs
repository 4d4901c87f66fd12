// Layout (issue 12): every page the crawl reaches, as an anonymous visitor
// and as each demo role, on a phone (390 px) with JavaScript off:
// - no sideways scroll: document.documentElement.scrollWidth is at most
//   its clientWidth (tables and charts scroll or shrink in their own box);
//   a failure names the elements that stick out;
// - it works without JavaScript: the crawl follows the same links and GET
//   forms a visitor would use; no visible control needs a script (a
//   <button type="button"> outside a form's submit does nothing without
//   one); every POST form can be sent (it has a submit button);
// and at 1280 px, on the pages of the menu, the menu's links in one line.
//
// KAVEL_SCREENS=DIR: screenshots at 1400 and 390 px of the dashboard, a
// procedure, the contract with its charts and the council report.
// LAYOUT_ROLES=email,... limits the accounts (anon: no account).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Tap, startServer, launch, login } from './kavel.mjs';
import { crawl } from './crawl.mjs';

const ROLES = (process.env.LAYOUT_ROLES ||
  'anon,buyer@dordrecht.example,assessor@dordrecht.example,bidder@wijkzorg.example,' +
  'council@dordrecht.example,council@haarlem.example,reporter@gidw.example').split(',');
const STARTS = { anon: ['/', '/login', '/tenders'] };
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, javaScriptEnabled: false };

// What sticks out of the viewport: the outermost elements whose right edge
// lies past it and that no box of their own scrolls (or clips).
async function overflow(page) {
  return page.evaluate(() => {
    const de = document.documentElement;
    if (de.scrollWidth <= de.clientWidth) return null;
    const limit = de.clientWidth + 0.5;
    const scrolls = el => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      }
      return false;
    };
    const out = [];
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.right <= limit || r.width === 0 || scrolls(el)) continue;
      const parentOut = el.parentElement && el.parentElement.getBoundingClientRect().right > limit;
      if (parentOut && el.parentElement !== document.body) continue;
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
        (el.classList.length ? '.' + [...el.classList].join('.') : '');
      out.push(`${name} right=${Math.round(r.right)} "${(el.textContent || '').trim().slice(0, 40)}"`);
      if (out.length >= 6) break;
    }
    return { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, elements: out };
  });
}

// Controls that do nothing without a script, and POST forms without a way
// to send them.
async function needsScript(page) {
  return page.evaluate(() => {
    const out = [];
    const visible = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
    for (const b of document.querySelectorAll('button[type="button"]'))
      if (visible(b)) out.push(`a visible <button type="button"> "${b.textContent.trim().slice(0, 40)}"`);
    for (const f of document.querySelectorAll('form')) {
      if ((f.getAttribute('method') || 'get').toLowerCase() !== 'post') continue;
      const send = [...f.elements].some(e => (e.tagName === 'BUTTON' && (e.type || 'submit') === 'submit') ||
        (e.tagName === 'INPUT' && ['submit', 'image'].includes(e.type)));
      if (!send) out.push(`a POST form to ${f.getAttribute('action')} without a submit button`);
    }
    return out;
  });
}

// The menu's links (not the account's row): their lines.
async function menuLines(page) {
  return page.evaluate(() => {
    const links = [...document.querySelectorAll('header nav > a')];
    const tops = new Set(links.map(a => Math.round(a.getBoundingClientRect().top)));
    const right = Math.max(0, ...links.map(a => a.getBoundingClientRect().right));
    return { n: links.length, lines: tops.size, right, width: document.documentElement.clientWidth,
      hrefs: links.map(a => a.getAttribute('href')) };
  });
}

// Contrast (WCAG 2.1, relative luminance) of two CSS colours; the
// background is the first opaque one behind an element.
const CONTRAST = `
  const rgb = c => { const m = c.match(/[\\d.]+/g).map(Number); return m.length > 3 && m[3] === 0 ? null : m.slice(0, 3); };
  const lum = ([r, g, b]) => { const f = v => (v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const behind = el => { for (let p = el; p; p = p.parentElement) { const c = rgb(getComputedStyle(p).backgroundColor); if (c) return c; }
    return [255, 255, 255]; };
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' "' + (el.textContent || el.value || '').trim().slice(0, 30) + '"';
`;

// fn run in the page with the helpers above (as one expression: the
// page's CSP allows no eval()).
const inPage = (page, fn) => page.evaluate(`(() => { ${CONTRAST}\n return (${fn.toString()})(); })()`);

// The borders of the fields on the page against their own background and
// the one around them: at least 3:1 (a field must be seen as one).
async function fieldBorders(page) {
  return inPage(page, () => {
    const out = [];
    for (const el of document.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not([type=submit]), select, textarea')) {
      if (!el.offsetWidth) continue;
      const cs = getComputedStyle(el);
      const border = rgb(cs.borderTopColor);
      if (!border || parseFloat(cs.borderTopWidth) < 1) { out.push(`${name(el)}: no border`); continue; }
      const inside = behind(el), outside = behind(el.parentElement);
      const r = Math.min(ratio(border, inside), ratio(border, outside));
      if (r < 3) out.push(`${name(el)}: border ${cs.borderTopColor} at ${r.toFixed(2)}:1`);
    }
    return out;
  });
}

// Tab through the page from its start: the first stop is the skip link to
// <main>; every stop shows a focus ring of 2 px or more at 3:1 or more
// against what is behind it.
async function focusRings(page, stops = 25) {
  const out = [];
  let skip = false;
  await page.evaluate(() => { document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0); });
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Tab');
    const f = await inPage(page, () => {
      const el = document.activeElement;
      if (!el || el === document.body) return null;
      // A date field has stops inside it (day, month, year, its picker):
      // its ring is read at the first.
      window.ringsSeen = window.ringsSeen || new WeakSet();
      if (window.ringsSeen.has(el)) return { again: true };
      window.ringsSeen.add(el);
      const cs = getComputedStyle(el);
      const ring = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) >= 2 ? rgb(cs.outlineColor) : null;
      // The ring lies outside the element (outline-offset), on its parent's background.
      const r = ring ? ratio(ring, behind(el.parentElement)) : 0;
      const main = document.getElementById('main');
      return { name: name(el), ratio: r, color: cs.outlineColor,
        skip: el.matches('a.skip[href="#main"]') && !!main && main.tagName === 'MAIN' &&
          el.getBoundingClientRect().top >= 0 };
    });
    if (!f) break;
    if (f.again) continue;
    if (i === 0) skip = f.skip;
    if (f.ratio < 3) out.push(`${f.name}: focus ring ${f.color} at ${f.ratio.toFixed(2)}:1`);
  }
  return { skip, problems: out };
}

const t = new Tap();
const srv = await startServer();
const browser = await launch();
const started = Date.now();
const ringsDone = new Set();
try {
  for (const role of ROLES) {
    const phone = await browser.newContext(PHONE);
    const page = await phone.newPage();
    let loggedIn = true;
    if (role !== 'anon') {
      await login(page, srv.base, role);
      loggedIn = !new URL(page.url()).pathname.startsWith('/login');
    }
    const wide = [], scripted = [];
    const t0 = Date.now();
    const r = await crawl(page, srv.base, STARTS[role] || ['/'], async (p, path) => {
      const o = await overflow(p);
      if (o) wide.push(`${path}: scrollWidth ${o.scrollWidth} > ${o.clientWidth}: ${o.elements.join('; ')}`);
      for (const s of await needsScript(p)) scripted.push(`${path}: ${s}`);
    });
    const secs = ((Date.now() - t0) / 1000).toFixed(0);
    t.ok(loggedIn && r.pages.length >= (role === 'anon' ? 3 : 5) && !r.capped,
      `${role}: the crawl without JavaScript reached ${r.pages.length} pages in ${secs} s`,
      loggedIn ? (r.capped ? 'the page cap was reached' : '') : 'the login failed');
    if (!t.ok(wide.length === 0, `${role}: no page scrolls sideways at 390 px (${wide.length} do)`))
      wide.forEach(l => console.log(`#   ${l}`));
    if (!t.ok(scripted.length === 0, `${role}: every page works without JavaScript`))
      scripted.forEach(l => console.log(`#   ${l}`));
    await phone.close();

    // At 1280 px, with JavaScript: the menu in one line on each of its pages.
    const desk = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const dp = await desk.newPage();
    if (role !== 'anon') await login(dp, srv.base, role);
    await dp.goto(srv.base + '/');
    const first = await menuLines(dp);
    const bad = [], rings = [], borders = [], noskip = [];
    for (const href of ['/', ...first.hrefs.filter(h => h !== '/')]) {
      await dp.goto(srv.base + href);
      const m = await menuLines(dp);
      if (m.lines !== 1 || m.right > m.width) bad.push(`${href}: ${m.n} links in ${m.lines} lines, right edge ${Math.round(m.right)} of ${m.width}`);
      // The rings and borders come from one stylesheet: each menu page
      // is tabbed through once, for the first role that has it.
      if (ringsDone.has(href)) continue;
      ringsDone.add(href);
      const f = await focusRings(dp);
      if (!f.skip) noskip.push(href);
      rings.push(...f.problems.map(p => `${href}: ${p}`));
      borders.push(...(await fieldBorders(dp)).map(p => `${href}: ${p}`));
    }
    t.ok(first.n > 0 && bad.length === 0, `${role}: at 1280 px the menu's ${first.n} links keep one line`, bad.join('\n'));
    t.ok(noskip.length === 0, `${role}: the first Tab reaches a skip link to <main>`, noskip.join('\n'));
    t.ok(rings.length === 0, `${role}: every focus ring has 3:1 or more against its background`, rings.join('\n'));
    t.ok(borders.length === 0, `${role}: every field's border has 3:1 or more`, borders.join('\n'));
    await desk.close();
  }

  const dir = process.env.KAVEL_SCREENS;
  if (dir) {
    mkdirSync(dir, { recursive: true });
    for (const [who, name, find] of [
      ['buyer@dordrecht.example', 'dashboard', async () => '/'],
      ['buyer@dordrecht.example', 'procedure', async p => {
        await p.goto(srv.base + '/');
        return p.locator('main a[href^="/procedures/"]').first().getAttribute('href');
      }],
      ['buyer@dordrecht.example', 'contract', async p => {
        await p.goto(srv.base + '/contracts');
        return p.locator('main a[href^="/contracts/"]:not([href$="/new"])').first().getAttribute('href');
      }],
      ['council@haarlem.example', 'contract-haarlem', async p => {
        await p.goto(srv.base + '/contracts');
        return p.locator('main a[href^="/contracts/"]:not([href$="/new"])').first().getAttribute('href');
      }],
      ['council@haarlem.example', 'report', async () => '/report'],
    ]) {
      for (const width of [1400, 390]) {
        const ctx = await browser.newContext(width === 390
          ? { viewport: { width, height: 844 }, isMobile: true, hasTouch: true }
          : { viewport: { width, height: 900 } });
        const p = await ctx.newPage();
        await login(p, srv.base, who);
        const path = await find(p);
        await p.goto(srv.base + path);
        await p.screenshot({ path: join(dir, `${name}-${width}.png`), fullPage: true });
        await ctx.close();
      }
    }
    console.log(`# screenshots in ${dir}`);
  }
  console.log(`# ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
} catch (e) {
  t.ok(false, 'the layout crawl ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
