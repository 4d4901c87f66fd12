// The scoring matrix in the browser (page_award.c, tmpl/award_scoring.tmpl,
// static/kavel.js): on the demo's procedure in evaluation (demo_stages.c:
// the vault open, the demo assessor on every criterion, two of three bids
// scored) the assessor fills the matrix.  A cell saves itself when focus
// leaves it (the script, through the single score's route) and says so; a
// cell with a score but no motivation refuses the Save of the whole
// matrix at that cell, nothing saved, what was typed kept; then Save
// saves the rest and the assessor hands in below the matrix.  Once buyer
// 2 has handed in too (API), the buyer reads the scores side by side in
// the consensus session.  Photographed at 1400 and 390 px, where the
// tables scroll in their own box and the page never sideways.
import { Tap, Api, startServer, launch, login, shotPath } from './kavel.mjs';

const REF = 'DOR-2027-GGZ-DEMO';
const LEAVES = ['aanpak', 'samenwerking', 'team'];

const t = new Tap();
const srv = await startServer();
const browser = await launch();
const noSideways = async page => page.evaluate(() =>
  document.documentElement.scrollWidth <= window.innerWidth + 1);
async function shots(page, name) {
  let ok = true;
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: shotPath(`${name}-${width}.png`), fullPage: true });
    const box = page.locator('.matrix-box').first();
    if (await box.count()) await box.screenshot({ path: shotPath(`${name}-table-${width}.png`) });
    ok &&= await noSideways(page);
  }
  await page.setViewportSize({ width: 1400, height: 900 });
  return ok;
}
try {
  const api = new Api(srv.base);
  await api.login('assessor@dordrecht.example');
  const procs = (await api.get('/api/v1/procedures')).json.procedures;
  const pid = procs.find(p => p.reference === REF).id;
  const lot = (await api.get(`/api/v1/procedures/${pid}`)).json.lots[0].id;
  const el = `/api/v1/procedures/${pid}/lots/${lot}/award`;
  const own = async () => new Map((await api.get(`${el}/scoring`)).json.own_scores
    .map(s => [`${s.candidate}-${s.criterion}`, s]));
  const v = (await api.get(`${el}/scoring`)).json;
  const cands = v.bids.map(b => b.candidate);
  const before = await own();
  const empty = cands.find(c => !before.has(`${c}-team`));
  t.ok(before.size === 6 && empty, 'the demo assessor has scored two of three bids', before.size);

  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await login(page, srv.base, 'assessor@dordrecht.example');
  const scoring = `${srv.base}/procedures/${pid}/lots/${lot}/award/scoring`;
  await page.goto(scoring);
  const m = page.locator('form#score-matrix');
  t.ok(await m.count() === 1 && await m.locator('td.cell').count() === 9,
    'one matrix form with a cell per bid and criterion', await m.locator('td.cell').count());
  t.ok(await page.locator('details.scale-legend ul.scale-steps li').count() > 1,
    'the scale\'s steps and their meanings are at hand');
  t.ok(await m.locator('a.bid-doc').count() === 3 &&
       (await m.locator('a.bid-doc').first().getAttribute('href')).match(new RegExp(`^/procedures/${pid}/submissions/\\d+/document$`)),
  'each bid\'s row links its file', await m.locator('a.bid-doc').count());
  t.ok(await shots(page, 'score-matrix'), 'the matrix: no sideways scroll at 1400 and 390 px');

  // A cell saves itself when focus leaves it.
  const cell = key => m.locator(`td.cell[data-candidate="${empty}"][data-key="${key}"]`);
  await cell('aanpak').locator('select').selectOption('3');
  await cell('aanpak').locator('textarea').fill('Sterk plan (browser).');
  await cell('aanpak').locator('textarea').press('Tab');
  await page.waitForFunction(sel => /opgeslagen|saved/.test(document.querySelector(sel)?.textContent || ''),
    `td.cell[data-candidate="${empty}"][data-key="aanpak"] .cell-status`, { timeout: 10000 }).catch(() => {});
  let now = await own();
  t.ok(/opgeslagen|saved/.test(await cell('aanpak').locator('.cell-status').innerText()) &&
       now.get(`${empty}-aanpak`)?.motivation === 'Sterk plan (browser).',
  'a filled cell saves itself when focus leaves it, and says so', await cell('aanpak').locator('.cell-status').innerText());

  // A score without motivation: the Save refuses the matrix at that cell.
  await cell('samenwerking').locator('select').selectOption('2');
  await cell('samenwerking').locator('textarea').fill('Redelijk (browser).');
  await cell('team').locator('select').selectOption('1');
  await Promise.all([page.waitForNavigation(), m.locator('button[type=submit]').click()]);
  t.ok(await page.locator('#matrix-errors[role=alert]').count() === 1 &&
       await page.locator(`#score-${empty}-team-error`).count() === 1,
  'a score without motivation is refused at its cell', (await page.locator('main').innerText()).slice(0, 300));
  t.ok(await page.locator(`textarea[name="motivation-${empty}-samenwerking"]`).inputValue() === 'Redelijk (browser).' &&
       await page.locator(`select[name="step-${empty}-team"]`).inputValue() === '1',
  'the matrix keeps what was typed');
  now = await own();
  // (The script saved the complete cells as focus left them; the API
  // test shows a refused matrix saves none.)
  t.ok(!now.has(`${empty}-team`), 'the refused cell was not saved', now.size);
  t.ok(await shots(page, 'score-matrix-refused'), 'the refusal: no sideways scroll at 1400 and 390 px');

  await page.locator(`textarea[name="motivation-${empty}-team"]`).fill('Klein team (browser).');
  await Promise.all([page.waitForNavigation(), page.locator('form#score-matrix button[type=submit]').click()]);
  now = await own();
  t.ok(now.size === 9 && now.get(`${empty}-team`)?.step === 1 &&
       now.get(`${empty}-samenwerking`)?.motivation === 'Redelijk (browser).',
  'Save saves the filled cells at once', now.size);
  t.ok(await page.locator('#empty-cells').count() === 1 &&
       !/\d+ (of|van) 9/.test(await page.locator('#empty-cells').innerText()),
  'no cell is left empty', await page.locator('#empty-cells').innerText());

  // Hand in below the matrix.
  const hand = page.locator('form[action$="/award/hand-in"]');
  await hand.locator('input[name=confirm]').check();
  await Promise.all([page.waitForNavigation(), hand.locator('button[type=submit]').click()]);
  t.ok(await page.locator('form#score-matrix').count() === 0 &&
       await page.locator('table.matrix').count() === 1 &&
       (await page.locator('table.matrix').innerText()).includes('Klein team (browser).'),
  'handed in: the scores stand in the matrix, with no form');
  t.ok(await shots(page, 'score-matrix-handed-in'), 'handed in: no sideways scroll at 1400 and 390 px');

  // Buyer 2 scores the rest and hands in (API); the consensus session.
  const b2 = new Api(srv.base);
  await b2.login('buyer2@dordrecht.example');
  const have = new Set((await b2.get(`${el}/scoring`)).json.own_scores.map(s => `${s.candidate}-${s.criterion}`));
  let ok = true;
  for (const c of cands)
    for (const k of LEAVES.slice(0, 2))
      if (!have.has(`${c}-${k}`))
        ok &&= (await b2.post(`${el}/scores`, { candidate: c, criterion: k, step: 2, motivation: 'Voldoende (browser).' })).status === 200;
  ok &&= (await b2.post(`${el}/hand-in`, {})).status === 200;
  t.ok(ok, 'buyer 2 scores the rest and hands in (API)');
  const bp = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  await login(bp, srv.base, 'buyer@dordrecht.example');
  await bp.goto(scoring);
  const heads = await bp.locator('table.consensus thead th').allInnerTexts();
  t.ok(heads.length === 5 && await bp.locator('table.consensus tbody tr').count() === 9 &&
       await bp.locator('table.consensus form[action$="/award/consensus"]').count() === 9,
  'the consensus session: per bid and criterion each assessor\'s score side by side, then the buyer\'s form', JSON.stringify(heads));
  t.ok((await bp.locator('table.consensus').innerText()).includes('Klein team (browser).'),
    'the assessor\'s motivation is there');
  t.ok(await shots(bp, 'score-matrix-consensus'), 'the consensus session: no sideways scroll at 1400 and 390 px');
} catch (err) {
  t.ok(false, 'the scoring matrix runs without error', err.stack);
} finally {
  await browser.close();
  await srv.stop();
  t.done();
}
