// Accessibility (issue 12): axe-core over every page the crawl reaches, as
// an anonymous visitor and as a buyer, an assessor, a bidder, council
// members and a reporter of the demo: no serious or critical violation
// (WCAG 2.1 A/AA and axe's best practices: labels, contrast, landmarks,
// duplicate ids, lang, names of images and controls, ...).
//
// axe runs in the page as it is served, under Kavel's own CSP (no
// bypass): it is evaluated through the DevTools protocol, not as an
// inline script, so what it checks is what a visitor's browser shows.
// Each failure names the rule, its impact, the pages (at most five) and
// the elements.  A11Y_ROLES=email,... limits the accounts (anon for the
// visitor without an account).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Tap, startServer, launch, login } from './kavel.mjs';
import { crawl, fingerprint } from './crawl.mjs';

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

const ROLES = (process.env.A11Y_ROLES ||
  'anon,buyer@dordrecht.example,assessor@dordrecht.example,bidder@wijkzorg.example,' +
  'council@dordrecht.example,council@haarlem.example,reporter@gidw.example').split(',');
const STARTS = { anon: ['/', '/login', '/tenders'] };
// Pages a role must reach at least, so that a crawl stopped by a broken
// login cannot pass with nothing checked.
const AT_LEAST = { anon: 3 };

async function axeOn(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map(v => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.filter(n => n.impact === 'serious' || n.impact === 'critical')
        .map(n => ({ target: n.target.join(' '), summary: n.failureSummary })),
    })).filter(v => v.nodes.length);
  });
}

const t = new Tap();
const srv = await startServer();
const browser = await launch();
const started = Date.now();
try {
  // Two accounts at a time: the server and Chromium each have a core.
  const queue = [...ROLES];
  const results = [];
  const seen = new Set();              // fingerprints checked, over all roles
  async function worker() {
    while (queue.length) {
      const role = queue.shift();
      const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await ctx.newPage();
      const found = new Map();         // rule -> {impact, help, pages: [[path, nodes]]}
      // The CSP stays strict: anything it refuses (an inline style or
      // script) is a page that does not look or work as written.
      const refused = [];
      page.on('console', m => {
        if (m.type() === 'error' && /Content Security Policy/.test(m.text()))
          refused.push(`${new URL(page.url()).pathname}: ${m.text().slice(0, 160)}`);
      });
      let loggedIn = true;
      if (role !== 'anon') {
        await login(page, srv.base, role);
        loggedIn = !new URL(page.url()).pathname.startsWith('/login');
      }
      const t0 = Date.now();
      let checked = 0;
      const r = await crawl(page, srv.base, STARTS[role] || ['/'], async (p, path) => {
        const key = await fingerprint(p);
        if (seen.has(key)) return;
        seen.add(key);
        checked++;
        for (const v of await axeOn(p)) {
          const f = found.get(v.id) || { impact: v.impact, help: v.help, pages: [] };
          f.pages.push([path, v.nodes]);
          found.set(v.id, f);
        }
      });
      results.push({ role, loggedIn, r, found, checked, refused, secs: (Date.now() - t0) / 1000 });
      await ctx.close();
    }
  }
  await Promise.all([worker(), worker()]);
  for (const role of ROLES) {
    const { loggedIn, r, found, checked, refused, secs } = results.find(x => x.role === role);
    t.ok(loggedIn && r.pages.length >= (AT_LEAST[role] || 5) && !r.capped,
      `${role}: the crawl reached ${r.pages.length} pages (${checked} of another structure ` +
      `than any before, checked by axe) in ${secs.toFixed(0)} s`,
      loggedIn ? (r.capped ? 'the page cap was reached' : r.pages.join('\n')) : 'the login failed');
    const detail = [];
    for (const [id, f] of found) {
      detail.push(`${id} (${f.impact}): ${f.help} — on ${f.pages.length} pages`);
      for (const [path, nodes] of f.pages.slice(0, 5)) {
        detail.push(`  ${path}: ${nodes.length} elements, e.g. ${nodes[0].target}`);
        detail.push(`    ${nodes[0].summary.split('\n').slice(0, 3).join(' ')}`);
      }
    }
    t.ok(refused.length === 0, `${role}: the CSP refused nothing on any page`, refused.join('\n'));
    // Every finding, not only the first lines the TAP detail keeps.
    if (!t.ok(found.size === 0, `${role}: no serious or critical accessibility violation on any page`))
      detail.forEach(l => console.log(`#   ${l}`));
  }
  console.log(`# ${((Date.now() - started) / 1000).toFixed(0)} s in all`);
} catch (e) {
  t.ok(false, 'the accessibility crawl ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
