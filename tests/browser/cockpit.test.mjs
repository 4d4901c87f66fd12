// The buyer's cockpit (issue 12, items 1 and 2): a bidder asks a question;
// the buyer sees it first on the dashboard in the attention list, follows
// the item to the question, answers it, and the item is gone (an answer
// now waits for its nota, which the buyer publishes).  The bidder's own
// item stays until the nota.  The tabs and breadcrumbs lead everywhere;
// the dashboard's search and filters keep their state in the URL.
// Screenshots at 1400 and 390 px (shotPath: $SCREENSHOT_DIR, default build-screens/)
// of the dashboard and a procedure page; none scrolls sideways.
import { Api, Tap, startServer, launch, login, shotPath } from './kavel.mjs';

const t = new Tap();
const srv = await startServer();
const browser = await launch();
const QUESTION = 'Mogen wij vrijwilligers inzetten bij de avondopvang? (cockpittest)';

async function noSidewaysScroll(page, what) {
  const [sw, cw] = await page.evaluate(() =>
    [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  t.ok(sw <= cw, `${what}: no sideways scroll (scrollWidth ${sw} <= ${cw})`);
}

try {
  // Set-up through the API: a procedure with one lot, a candidate with a
  // bidder account, and its question.
  const api = new Api(srv.base);
  await api.login('buyer@dordrecht.example');
  const p = await api.post('/api/v1/procedures', {
    reference: 'DOR-COCKPIT-1', title: 'Avondopvang (cockpittest)', type: 'open',
    cpv: '85310000-5', lots: [{ title: 'Avondopvang', value: '80.000' }],
  });
  t.ok(p.status === 201, 'a procedure is created', p.text);
  const pid = p.json.id;
  const c = await api.post(`/api/v1/procedures/${pid}/candidates`, {
    name: 'Stichting Avond (test)', consortium: false,
    parties: [{ org_name: 'Stichting Avond (test)', kvk: '93456781', role: 'penvoerder' }],
  });
  const acc = await api.post(`/api/v1/procedures/${pid}/candidates/${c.json.id}/accounts`, {
    email: 'avond@cockpit.example', name: 'Avond Bieder', password: 'cockpit-bieder-2026',
  });
  t.ok(c.status === 201 && acc.status === 201, 'a candidate with a bidder account');
  const bidder = new Api(srv.base);
  await bidder.login('avond@cockpit.example', 'cockpit-bieder-2026');
  const q = await bidder.post(`/api/v1/procedures/${pid}/questions`, { text: QUESTION });
  t.ok(q.status === 201, 'the bidder asks a question', q.text);

  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await login(page, srv.base, 'buyer@dordrecht.example');
  t.ok(new URL(page.url()).pathname === '/', 'the buyer lands on the dashboard');
  const first = await page.locator('main > *').evaluateAll(els =>
    els.map(e => e.tagName + (e.className ? '.' + e.className : '')));
  const iAtt = first.indexOf('SECTION.attention'), iTable = first.findIndex(s => s.startsWith('DIV.table-scroll'));
  t.ok(iAtt >= 0 && (iTable < 0 || iAtt < iTable), 'the attention list comes before the procedures', first.join(' '));
  const item = page.locator('section.attention li.att-question', { hasText: 'DOR-COCKPIT-1' });
  t.ok(await item.count() === 1, 'the question is an attention item of the procedure');
  t.ok(/1 vraag zonder antwoord/.test(await item.innerText()), 'it says so in Dutch', await item.innerText());
  await page.screenshot({ path: shotPath("cockpit-dashboard-1400.png"), fullPage: true });
  await noSidewaysScroll(page, 'dashboard at 1400 px');

  // Follow it and answer.
  await Promise.all([page.waitForNavigation(), item.locator('a').click()]);
  const url = new URL(page.url());
  t.ok(url.pathname === `/procedures/${pid}/questions` && url.hash === `#q${q.json.id}`,
    'the item leads to the question itself', page.url());
  const crumbs = (await page.locator('nav.crumbs').innerText()).replace(/\s+/g, ' ').trim();
  t.ok(crumbs === 'Procedures › DOR-COCKPIT-1 › Vragen', 'the breadcrumbs say where it is', crumbs);
  const tab = page.locator('nav.tabs a[aria-current=page]');
  t.ok((await tab.innerText()).replace(/\s+/g, ' ').trim() === 'Vragen 1', 'the questions tab counts the open question',
    await tab.innerText());
  await page.screenshot({ path: shotPath("cockpit-procedure-questions-1400.png"), fullPage: true });
  await noSidewaysScroll(page, 'the questions page at 1400 px');
  const question = page.locator(`#q${q.json.id}`);
  t.ok((await question.innerText()).includes(QUESTION), 'the question is on the page');
  await question.locator('textarea[name=answer]').fill('Ja, onder begeleiding van een beroepskracht.');
  await Promise.all([page.waitForNavigation(), question.locator('button[type=submit]').click()]);

  // Back on the dashboard: the item is gone, an answer waits for its nota.
  await Promise.all([page.waitForNavigation(), page.click('header nav a[href="/"]')]);
  t.ok(await page.locator('section.attention li.att-question', { hasText: 'DOR-COCKPIT-1' }).count() === 0,
    'after the answer the question item is gone');
  const nota = page.locator('section.attention li.att-nota', { hasText: 'DOR-COCKPIT-1' });
  t.ok(await nota.count() === 1, 'an answer waits for its nota');
  const mine = (await bidder.get('/api/v1/attention')).json.items.filter(i => i.procedure_id === pid);
  t.ok(mine.length === 1 && mine[0].kind === 'question', "the bidder's own item stays until the nota",
    JSON.stringify(mine));
  await Promise.all([page.waitForNavigation(), nota.locator('a').click()]);
  await page.locator(`form[action="/procedures/${pid}/notas"] input[name=confirm]`).check();
  await Promise.all([page.waitForNavigation(),
    page.locator(`form[action="/procedures/${pid}/notas"] button[type=submit]`).click()]);
  await Promise.all([page.waitForNavigation(), page.click('header nav a[href="/"]')]);
  t.ok(await page.locator('section.attention li', { hasText: 'DOR-COCKPIT-1' }).count() === 0,
    'after the nota nothing of it is left');
  const after = (await bidder.get('/api/v1/attention')).json.items.filter(i => i.procedure_id === pid);
  t.ok(after.length === 0, "and the bidder's item is gone too", JSON.stringify(after));

  // Search and filters keep their state in the URL.
  await page.fill('#f-q', 'cockpit');
  await Promise.all([page.waitForNavigation(), page.click('main form.inline-form button[type=submit]')]);
  t.ok(new URL(page.url()).searchParams.get('q') === 'cockpit', 'the search is in the URL', page.url());
  t.ok(await page.locator('main table.list tbody tr').count() === 1, 'it finds the one procedure');
  t.ok(await page.inputValue('#f-q') === 'cockpit', 'the search field keeps the search');
  await page.selectOption('#f-status', 'done');
  await Promise.all([page.waitForNavigation(), page.click('main form.inline-form button[type=submit]')]);
  t.ok(new URL(page.url()).searchParams.get('status') === 'done' &&
       new URL(page.url()).searchParams.get('q') === 'cockpit', 'the status joins the search in the URL');
  t.ok(await page.locator('main table.list').count() === 0, 'no completed procedure matches');
  await page.reload();
  t.ok(await page.inputValue('#f-status') === 'done', 'a reload keeps the filter');

  // A phone.
  const phone = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await login(phone, srv.base, 'buyer@dordrecht.example');
  await phone.screenshot({ path: shotPath("cockpit-dashboard-390.png"), fullPage: true });
  await noSidewaysScroll(phone, 'dashboard at 390 px');
  await phone.goto(`${srv.base}/procedures/${pid}/questions`);
  await phone.screenshot({ path: shotPath("cockpit-procedure-questions-390.png"), fullPage: true });
  await noSidewaysScroll(phone, 'the questions page at 390 px');
  const demo = (await api.get('/api/v1/procedures')).json.procedures.find(x => x.reference === 'DOR-2027-GGZ-DEMO');
  await phone.goto(`${srv.base}/procedures/${demo.id}`);
  await phone.screenshot({ path: shotPath("cockpit-procedure-390.png"), fullPage: true });
  await noSidewaysScroll(phone, 'a procedure in evaluation at 390 px');
  await page.goto(`${srv.base}/procedures/${demo.id}`);
  await page.screenshot({ path: shotPath("cockpit-procedure-1400.png"), fullPage: true });
  // Every tab of it answers for the buyer.
  const hrefs = await page.locator('nav.tabs a').evaluateAll(as => as.map(a => a.getAttribute('href')));
  const bad = [];
  for (const h of hrefs) {
    const r = await page.goto(srv.base + h);
    if (r.status() !== 200) bad.push(`${h}: ${r.status()}`);
  }
  t.ok(hrefs.length >= 8 && bad.length === 0, `every tab of ${hrefs.length} answers 200`, bad.join('\n'));
} catch (e) {
  t.ok(false, 'browser flow ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
