// The buyer's journey, whole (issue 12, "Must hold"), in Chromium, in
// Dutch as the demo starts.
//
// As a buyer of Dordrecht: a new procedure with two lots through the
// form; the application deadline planned on the timeline; lot 1's award
// rules built with the form (two criteria in percent, the method from the
// list), lot 2's too (price only); an assessor assigned by ticking both
// lots; the procedure published for registration (ticking a confirmation
// box where the form has one).  An organisation registers at /tenders
// (API) and its bidder asks a question on the questions page.  The buyer's
// dashboard: before the question no question item of the procedure, after
// it one, which leads to the question; answered, the item becomes "waits
// for a nota"; the nota published (confirming where asked), nothing of
// the procedure waits.  As a council member: the report lists the
// procedure with its stage now and next, its reference leading to the
// procedure; the contract page's and the budget page's charts are there
// with their values; Haarlem's council member follows the report to a
// contract with KPI charts.  Every page
// of the journey is shot at 1400 and 390 px (shotPath: $SCREENSHOT_DIR,
// default build-screens/) and none scrolls sideways at 390 px.
import { Api, Tap, startServer, launch, login, localIn, shotPath } from './kavel.mjs';

const t = new Tap();
const srv = await startServer();
const browser = await launch();
const REF = 'DOR-REIS-1';
const QUESTION = 'Mag de inloop ook op zaterdag worden georganiseerd? (reistest)';
const text = async (page, sel = 'main') =>
  (await page.locator(sel).first().innerText().catch(() => '')).replace(/\s+/g, ' ');
const press = async (page, locator) => {
  await Promise.all([page.waitForNavigation(), locator.click()]);
};
// A form that asks for a confirmation (a checkbox named "confirm") gets it
// ticked before it is sent; a form without one is sent as it is.
async function submitConfirmed(page, form) {
  const boxes = form.locator('input[type=checkbox][name=confirm]');
  for (let i = 0; i < await boxes.count(); i++) await boxes.nth(i).check();
  await press(page, form.locator('button[type=submit]').last());
}
const shots = [];
// Shoots the page at 1400 and 390 px and measures it at 390 px.
async function shoot(page, name) {
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    const file = shotPath(`journey-${name}-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    shots.push(file);
    if (width === 390) {
      const [sw, cw] = await page.evaluate(() =>
        [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      t.ok(sw <= cw, `${name}: no sideways scroll at 390 px (scrollWidth ${sw} <= clientWidth ${cw})`);
    }
  }
  await page.setViewportSize({ width: 1400, height: 900 });
}

try {
  const api = new Api(srv.base);
  t.ok((await api.login('buyer@dordrecht.example')).status === 200, 'the buyer logs in (API, to check)');
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await login(page, srv.base, 'buyer@dordrecht.example');
  await shoot(page, 'dashboard-start');

  // ---- a procedure with two lots, through the form ----
  await page.goto(`${srv.base}/procedures/new`);
  await page.fill('#f-reference', REF);
  await page.fill('#f-title', 'Inloop en ontmoeting (reistest)');
  await page.selectOption('#f-type', 'restricted');
  await page.fill('#f-cpv', '85310000-5');
  await page.fill('#f-value', '1.500.000');
  await page.fill('#f-lots_1_title', 'Inloop Noord');
  await page.fill('#f-lots_1_value', '900.000');
  await page.fill('#f-lots_2_title', 'Inloop Zuid');
  await page.fill('#f-lots_2_value', '600.000');
  await shoot(page, 'procedure-new');
  await press(page, page.locator('form[action="/procedures"] button[type=submit]'));
  const pid = Number((new URL(page.url()).pathname.match(/^\/procedures\/(\d+)/) || [])[1]);
  let proc = (await api.get(`/api/v1/procedures/${pid}`)).json;
  t.ok(pid && proc && proc.reference === REF && proc.lots.length === 2,
    'the procedure is created with its two lots', page.url());
  const [lot1, lot2] = proc.lots.map(l => l.id);

  // ---- the application deadline on the timeline ----
  const ad = proc.stages.find(s => s.kind === 'application-deadline');
  const li = page.locator(`#stage-${ad.id}`);
  await li.locator('summary').click();
  await li.locator(`#s${ad.id}-start`).fill(localIn(20).slice(0, 11) + '12:00');
  await press(page, li.locator('form.stage-dates button[type=submit]'));
  proc = (await api.get(`/api/v1/procedures/${pid}`)).json;
  const planned = proc.stages.find(s => s.id === ad.id);
  t.ok(planned.start && planned.start.utc > Date.now() / 1000, 'the application deadline is planned, 20 days ahead',
    JSON.stringify(planned.start));
  await shoot(page, 'procedure-timeline');

  // ---- award rules of lot 1 with the form ----
  await page.goto(`${srv.base}/procedures/${pid}/lots/${lot1}/award/rules`);
  await page.fill('#f-c0-name', 'Plan van aanpak');
  await page.fill('#f-c0-weight', '70');
  await press(page, page.locator('button[name=op][value=add]'));
  await page.fill('#f-c1-name', 'Samenwerking in de wijk');
  await page.fill('#f-c1-weight', '30');
  await page.fill('#f-price_weight', '40');
  await page.check('#f-method-weighted-relative');
  await shoot(page, 'rules-lot1-form');
  await press(page, page.locator('button.save'));
  t.ok(/saved=1/.test(page.url()), 'lot 1\'s rules are saved from the form', (await text(page)).slice(0, 400));
  const rules1 = (await api.get(`/api/v1/procedures/${pid}/lots/${lot1}/award/rules`)).json.rules;
  t.ok(rules1 && rules1.method === 'weighted' && rules1.price_scoring === 'relative' &&
       rules1.price_weight_bp === 4000 && rules1.criteria.length === 2 &&
       rules1.criteria[0].weight_bp === 7000 && rules1.criteria[0].name === 'Plan van aanpak',
  'the API reads the rules the form built', JSON.stringify(rules1).slice(0, 300));
  await shoot(page, 'rules-lot1-saved');

  // ---- lot 2: price only ----
  await page.goto(`${srv.base}/procedures/${pid}/lots/${lot2}/award/rules`);
  await page.check('#f-method-lowest-price');
  const del = page.locator('button[name=op][value^="del-"]');
  while (await page.locator('#f-c0-name').count() && await del.count()) await press(page, del.first());
  await press(page, page.locator('button.save'));
  const rules2 = (await api.get(`/api/v1/procedures/${pid}/lots/${lot2}/award/rules`)).json.rules;
  t.ok(/saved=1/.test(page.url()) && rules2 && rules2.method === 'lowest-price',
    'lot 2 is awarded on the lowest price, from the form', (await text(page)).slice(0, 300));

  // ---- an assessor, assigned by ticking ----
  await page.goto(`${srv.base}/procedures/${pid}/award`);
  const assign = page.locator('form.assign-form');
  await assign.locator('#f-assessor').selectOption(
    await assign.locator('#f-assessor option', { hasText: 'assessor@dordrecht.example' }).getAttribute('value'));
  await assign.locator(`#f-lot-${lot1}-all`).check();
  await assign.locator(`#f-lot-${lot2}-all`).check();
  await press(page, assign.locator('button[type=submit]'));
  const as1 = (await api.get(`/api/v1/procedures/${pid}/lots/${lot1}/award/scoring`)).json.assignments;
  const as2 = (await api.get(`/api/v1/procedures/${pid}/lots/${lot2}/award/scoring`)).json.assignments;
  t.ok(/assigned=1/.test(page.url()) && as1.length === 1 && as1[0].criterion === '*' &&
       as2.length === 1 && as2[0].email === 'assessor@dordrecht.example',
  'the assessor scores both lots, assigned by ticking', JSON.stringify([as1, as2]));
  await shoot(page, 'award-assigned');

  // ---- publish for registration ----
  await page.goto(`${srv.base}/procedures/${pid}/application`);
  await shoot(page, 'application-unpublished');
  await submitConfirmed(page, page.locator(`form[action="/procedures/${pid}/publish"]`));
  const tenders = (await api.get('/api/v1/tenders')).json.tenders || [];
  t.ok(tenders.some(x => x.id === pid || x.reference === REF), 'the procedure is published at /tenders',
    JSON.stringify(tenders.map(x => x.reference)));
  t.ok(await page.locator(`form[action="/procedures/${pid}/publish"]`).count() === 0,
    'the publish form is gone', (await text(page)).slice(0, 300));
  await shoot(page, 'application-published');

  // ---- the dashboard before the question ----
  await page.goto(`${srv.base}/`);
  const qItems = () => page.locator('section.attention li.att-question', { hasText: REF });
  t.ok(await qItems().count() === 0, 'no question item of the procedure yet');

  // ---- a bidder registers (API) and asks in the browser ----
  const anon = new Api(srv.base);
  const reg = await anon.post(`/api/v1/tenders/${pid}/register`, {
    org_name: 'Stichting Inloop (reistest)', kvk: '93456781', name: 'Ineke Inloop',
    email: 'ineke@reistest.example', password: 'reistest-bieder-2026',
  });
  t.ok(reg.status === 201, 'an organisation registers for the tender', reg.text.slice(0, 300));
  const bctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const bidder = await bctx.newPage();
  await login(bidder, srv.base, 'ineke@reistest.example', 'reistest-bieder-2026');
  await bidder.goto(`${srv.base}/procedures/${pid}/questions`);
  const ask = bidder.locator(`form[action="/procedures/${pid}/questions"]`);
  await ask.locator('textarea[name=text]').fill(QUESTION);
  await press(bidder, ask.locator('button[type=submit]'));
  t.ok((await text(bidder)).includes(QUESTION), 'the bidder sees its question on the page');
  await shoot(bidder, 'bidder-questions');

  // ---- the buyer's attention list changes ----
  await page.goto(`${srv.base}/`);
  t.ok(await qItems().count() === 1 && /1 vraag zonder antwoord/.test(await qItems().innerText()),
    'the dashboard now has the question as an attention item', await text(page, 'section.attention'));
  await shoot(page, 'dashboard-question');
  await press(page, qItems().locator('a'));
  t.ok(new URL(page.url()).pathname === `/procedures/${pid}/questions`, 'the item leads to the questions', page.url());
  const q = page.locator('li, article, section').filter({ hasText: QUESTION }).locator('form').filter({
    has: page.locator('textarea[name=answer]') }).first();
  await q.locator('textarea[name=answer]').fill('Ja, als de locatie dan toegankelijk is.');
  await shoot(page, 'buyer-questions');
  await press(page, q.locator('button[type=submit]'));
  await page.goto(`${srv.base}/`);
  const notaItem = page.locator('section.attention li.att-nota', { hasText: REF });
  t.ok(await qItems().count() === 0 && await notaItem.count() === 1,
    'answered: the question item is gone, the answer waits for its nota', await text(page, 'section.attention'));
  await press(page, notaItem.locator('a'));
  await submitConfirmed(page, page.locator(`form[action="/procedures/${pid}/notas"]`));
  const notas = (await api.get(`/api/v1/procedures/${pid}/questions`)).json;
  t.ok(JSON.stringify(notas).includes('Ja, als de locatie dan toegankelijk is.') &&
       (notas.notas || []).length === 1, 'the nota is published with the answer', JSON.stringify(notas).slice(0, 400));
  await shoot(page, 'nota-published');
  await page.goto(`${srv.base}/`);
  t.ok(await page.locator('section.attention li', { hasText: REF }).filter({ hasText: /vraag|nota/ }).count() === 0,
    'nothing about questions of the procedure waits any more', await text(page, 'section.attention'));
  await shoot(page, 'dashboard-end');
  t.ok(errors.length === 0, 'no script error on the buyer\'s pages', errors.join('\n'));

  // ---- the council member reads the report and its charts ----
  const cctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const council = await cctx.newPage();
  await login(council, srv.base, 'council@dordrecht.example');
  await council.goto(`${srv.base}/report`);
  const row = council.locator('table.list tr', { hasText: REF });
  t.ok(await row.count() === 1 && (await row.innerText()).includes('Inloop en ontmoeting (reistest)'),
    'the report lists the new procedure', await text(council));
  const rep = (await api.get('/api/v1/report')).json.procedures.find(p => p.reference === REF);
  t.ok(rep && rep.next && (await row.innerText()).includes(rep.next), 'with its next stage by the clock',
    JSON.stringify(rep));
  t.ok(await council.locator('form[action="/risks"]').count() === 0, 'the council gets no form to change anything');
  await shoot(council, 'council-report');
  const contract = (await api.get('/api/v1/contracts')).json.contracts[0];
  await council.goto(`${srv.base}/contracts/${contract.id}`);
  const charts = council.locator('main svg');
  t.ok(await charts.count() >= 1, 'the contract page has its chart', await charts.count());
  const chartText = await charts.first().evaluate(s => s.textContent.replace(/\s+/g, ' '));
  t.ok(/\d/.test(chartText) && await charts.first().getAttribute('role') === 'img',
    'the chart carries values and is an image to a screen reader', chartText.slice(0, 300));
  await shoot(council, 'council-contract');
  await council.goto(`${srv.base}/budget`);
  await shoot(council, 'council-budget');
  await council.goto(`${srv.base}/report`);
  await press(council, council.locator('table.list td.ref a', { hasText: REF }));
  t.ok(new URL(council.url()).pathname === `/procedures/${pid}`, 'the report\'s reference leads to the procedure',
    council.url());
  // Haarlem's council member: a contract with KPIs and their charts.
  const hctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const haarlem = await hctx.newPage();
  await login(haarlem, srv.base, 'council@haarlem.example');
  await haarlem.goto(`${srv.base}/report`);
  await shoot(haarlem, 'council-haarlem-report');
  await press(haarlem, haarlem.locator('table.list td.ref a[href^="/contracts/"]').first());
  const kpis = haarlem.locator('article.kpi svg');
  t.ok(await kpis.count() >= 1, 'the contract of the report has its KPI charts', await kpis.count());
  const kpiText = await kpis.first().evaluate(s => s.textContent.replace(/\s+/g, ' '));
  t.ok(/\d/.test(kpiText), 'a KPI chart carries its values and ticks', kpiText.slice(0, 300));
  await shoot(haarlem, 'council-haarlem-contract');
  await browser.close();
} catch (e) {
  t.ok(false, 'the journey ran to the end', e.stack);
  await browser.close();
} finally {
  await srv.stop();
}
console.log(`# ${shots.length} screenshots`);
process.exit(t.done());
