// Evaluation and award in the browser: two assessors score, the consensus
// is recorded, the buyer awards and a bidder reads its letter.
//
// Set up through the API (as tests/api/test_award.py does): two buyers'
// vault passphrases, a procedure with one lot, its award rules, a tender
// deadline seconds ahead, the vault, three bidders with a bid and a
// sealed price, the demo assessor made assessor and assigned, buyer B
// assigned to the plan; the vault is opened through the API after the
// deadline (its page is vault.test.mjs's).  Then on the pages: each
// assessor scores blind and hands in (neither sees the other's scores
// before both have), the buyer records the consensus and makes the
// quality final, opens the prices (one buyer alone is refused), reads
// the ranking, sends the decision; the losing bidder follows the link to
// its letter, which names it, the winner and the standstill end, never
// the other loser, and whose PDF link answers a PDF.
import { spawnSync } from 'node:child_process';
import { Tap, Api, startServer, launch, login, localInSecs, localText, sleep, shotPath } from './kavel.mjs';

const PASS_A = 'browser award passphrase A';
const PASS_B = 'browser award passphrase B';
const DEADLINE_IN = 25;   // seconds
const SCALE = [{ value_bp: 0, meaning: 'onvoldoende' }, { value_bp: 2500, meaning: 'matig' },
  { value_bp: 6000, meaning: 'voldoende' }, { value_bp: 10000, meaning: 'goed' }];
const RULES = {
  method: 'weighted', price_scoring: 'relative', price_weight_bp: 4000,
  tie_rule: 'lowest-price', price_after_quality: true,
  criteria: [
    { key: 'plan', name: 'Plan van aanpak', weight_bp: 6000 },
    { key: 'plan-wijk', parent: 'plan', name: 'Aanpak in de wijk', weight_bp: 5000, scale: SCALE },
    { key: 'plan-samen', parent: 'plan', name: 'Samenwerking', weight_bp: 5000, scale: SCALE },
    { key: 'team', name: 'Team', weight_bp: 4000, marks: [1, 10] },
  ],
};
const NAMES = ['Inschrijver Alfa (browser)', 'Inschrijver Bravo (browser)', 'Inschrijver Charlie (browser)'];
const PRICES = ['1.000.000,00', '900.000,00', '1.200.000,00'];
const CENTS = [100000000, 90000000, 120000000];
// Steps per bidder: the assessor's, buyer B's (the plan only) and the consensus.
const ASSESSOR = [{ 'plan-wijk': 3, 'plan-samen': 1, team: 7 }, { 'plan-wijk': 2, 'plan-samen': 2, team: 8 },
  { 'plan-wijk': 1, 'plan-samen': 1, team: 4 }];
const BUYER_B = [{ 'plan-wijk': 2, 'plan-samen': 2 }, { 'plan-wijk': 1, 'plan-samen': 2 },
  { 'plan-wijk': 1, 'plan-samen': 0 }];
const CONSENSUS = [{ 'plan-wijk': 3, 'plan-samen': 2, team: 7 }, { 'plan-wijk': 2, 'plan-samen': 2, team: 8 },
  { 'plan-wijk': 1, 'plan-samen': 1, team: 4 }];
const motivation = (who, b, key) => `${who} over bod ${b + 1} op ${key}: onderbouwd.`;

// The weighted factor by hand (see test_award.py): quality and total in
// ppm, rounded half up.
function expected() {
  const stepValue = (key, step) => key === 'team' ? Math.round((1 + step) * 10000 / 10) : SCALE[step].value_bp;
  const lowest = Math.min(...CENTS);
  return CONSENSUS.map((s, b) => {
    const wijk = stepValue('plan-wijk', s['plan-wijk']) * 100;
    const samen = stepValue('plan-samen', s['plan-samen']) * 100;
    const plan = Math.floor((wijk * 5000 + samen * 5000 + 5000) / 10000);
    const team = stepValue('team', s.team) * 100;
    const quality = (6000 * plan + 4000 * team) / 10000;
    const total = (4000 * (lowest * 1e6 / CENTS[b]) + 6000 * quality) / 10000;
    return { b, quality: Math.floor(quality + 0.5), total: Math.floor(total + 0.5) };
  });
}
// "84 %" or "83,25 %", as the Dutch pages print a ppm figure.
const pct = ppm => {
  const h = Math.floor((ppm + 50) / 100);
  return `${Math.floor(h / 100)}${h % 100 ? ',' + String(h % 100).padStart(2, '0') : ''} %`;
};

const t = new Tap();
const srv = await startServer();
const browser = await launch();
const text = async (page, sel = 'main') => (await page.locator(sel).first().innerText().catch(() => '')).replace(/\s+/g, ' ');
const submit = async (page, form) => {
  // an irreversible action's confirmation (form.h FIELD_CONFIRM)
  const box = form.locator('input[name=confirm]');
  if (await box.count()) await box.check();
  await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').click()]);
};
try {
  // ---- set-up through the API ----
  const a = new Api(srv.base);
  const b = new Api(srv.base);
  t.ok((await a.login('buyer@dordrecht.example')).status === 200, 'buyer A logs in (API)');
  t.ok((await b.login('buyer2@dordrecht.example')).status === 200, 'buyer B logs in (API)');
  t.ok((await a.post('/api/v1/account/vault-key', { passphrase: PASS_A })).status === 201 &&
       (await b.post('/api/v1/account/vault-key', { passphrase: PASS_B })).status === 201,
  'both buyers set a vault passphrase');
  let r = await a.post('/api/v1/procedures', {
    reference: 'DOR-AWARD-BROWSER', title: 'Gunning in de browser', type: 'open',
    cpv: '85310000-5', value: '3.000.000', lots: [{ title: 'Wijkteam', value: '1.200.000' }],
  });
  t.ok(r.status === 201, 'a procedure with one lot is created', r.text.slice(0, 200));
  const pid = r.json.id;
  const lot = r.json.lots[0].id;
  const base = `/api/v1/procedures/${pid}`;
  const lbase = `${base}/lots/${lot}/award`;
  const stages = r.json.stages;
  r = await a.post(`${lbase}/rules`, RULES);
  t.ok(r.status === 200, 'the award rules are set', r.text.slice(0, 200));
  const spans = new Set(['registration', 'selection', 'dialogue-round', 'evaluation', 'standstill']);
  const t0 = Date.now();
  let deadline = 0;
  for (const [i, s] of stages.entries()) {
    if (s.kind === 'tender-deadline') {
      const m = await a.post(`${base}/stages/${s.id}/move`,
        { start: localInSecs(DEADLINE_IN - (Date.now() - t0) / 1000) });
      t.ok(m.status === 200, 'the tender deadline is planned seconds ahead', m.text.slice(0, 200));
      deadline = m.json.stages.find(x => x.kind === 'tender-deadline').end.utc;
      break;
    }
    const body = { start: localInSecs(2 + i) };
    if (spans.has(s.kind)) body.end = localInSecs(3 + i);
    await a.post(`${base}/stages/${s.id}/move`, body);
  }
  t.ok((await a.post(`${base}/vault`, {})).status === 201, 'the vault is made (bids and prices)');
  const cands = [];
  let ok = true;
  for (const [i, name] of NAMES.entries()) {
    r = await a.post(`${base}/candidates`, {
      name, consortium: false, parties: [{ org_name: name, kvk: `9${i + 1}345678`, role: 'penvoerder' }],
    });
    ok &&= r.status === 201;
    cands.push(r.json.id);
    const email = `bieder${i + 1}@award-browser.example`;
    ok &&= (await a.post(`${base}/candidates/${r.json.id}/accounts`,
      { email, name, password: 'award-bieder-2026' })).status === 201;
    const c = new Api(srv.base);
    ok &&= (await c.login(email, 'award-bieder-2026')).status === 200;
    r = await c.req('POST', `${base}/lots/${lot}/submissions`, null, {
      raw: Buffer.from('%PDF-1.4 plan van aanpak ' + name), headers: { 'X-File-Name': 'plan.pdf' },
    });
    ok &&= r.status === 201;
    r = await c.post(`${base}/lots/${lot}/price`, { price: PRICES[i] });
    ok &&= r.status === 201;
  }
  t.ok(ok, 'three bidders with an account submit a bid and seal a price');
  ok = (await a.post(`${base}/assessors`, { email: 'assessor@dordrecht.example' })).status === 201;
  ok &&= (await a.post(`${lbase}/assign`, { assessor: 'assessor@dordrecht.example', criteria: ['*'] })).status === 200;
  ok &&= (await a.post(`${lbase}/assign`, { assessor: 'buyer2@dordrecht.example', criteria: ['plan'] })).status === 200;
  t.ok(ok, 'the demo assessor (every criterion) and buyer B (the plan) are assigned');

  // ---- log in the browsers while the deadline comes ----
  const asx = await (await browser.newContext()).newPage();
  const bbx = await (await browser.newContext()).newPage();
  const abx = await (await browser.newContext()).newPage();
  await login(asx, srv.base, 'assessor@dordrecht.example');
  await login(bbx, srv.base, 'buyer2@dordrecht.example');
  await login(abx, srv.base, 'buyer@dordrecht.example');
  await sleep(deadline * 1000 + 1500 - Date.now());
  r = await a.post(`${base}/vault/open`, {
    email_a: 'buyer@dordrecht.example', passphrase_a: PASS_A,
    email_b: 'buyer2@dordrecht.example', passphrase_b: PASS_B,
  });
  t.ok(r.status === 200, 'after the deadline two buyers open the bids (API)', r.text.slice(0, 200));

  // ---- the assessors score on the scoring page ----
  const scoring = `${srv.base}/procedures/${pid}/lots/${lot}/award/scoring`;
  // One score: the form of this bid and criterion (the consensus forms).
  const scoreForm = (page, action, cand, key) => page.locator(
    `form[action$="/award/${action}"]:has(input[name=candidate][value="${cand}"]):has(input[name=criterion][value="${key}"])`);
  // The assessor's scores: one matrix form, a cell per bid and criterion;
  // every cell filled, then one Save.
  const matrix = page => page.locator('form[action$="/award/scores/matrix"]');
  const matrixCells = page => matrix(page).locator('td.cell');
  async function score(page, who, steps) {
    let n = 0;
    const m = matrix(page);
    for (const [bi, s] of steps.entries()) {
      for (const [key, step] of Object.entries(s)) {
        const sel = m.locator(`select[name="step-${cands[bi]}-${key}"]`);
        if (await sel.count() !== 1) continue;
        await sel.selectOption(String(step));
        await m.locator(`textarea[name="motivation-${cands[bi]}-${key}"]`).fill(motivation(who, bi, key));
        n++;
      }
    }
    await submit(page, m);
    return n;
  }
  await asx.goto(scoring);
  t.ok(await matrix(asx).count() === 1 && await matrixCells(asx).count() === 9,
    'the assessor has one matrix with a cell per bid and criterion (3 x 3)', await matrixCells(asx).count());
  t.ok(await score(asx, 'Assessor', ASSESSOR) === 9, 'the assessor scores all nine with step and motivation');
  t.ok(/\/award\/scoring$/.test(new URL(asx.url()).pathname), 'the save returns to the scoring page', asx.url());
  t.ok(await matrix(asx).locator(`select[name="step-${cands[0]}-team"]`).inputValue() === '7' &&
       await matrix(asx).locator(`textarea[name="motivation-${cands[0]}-team"]`).inputValue() === motivation('Assessor', 0, 'team'),
  'a saved score shows its step and motivation again');
  await submit(asx, asx.locator('form[action$="/award/hand-in"]'));
  t.ok(await matrix(asx).count() === 0 &&
       await asx.locator('form[action$="/award/hand-in"]').count() === 0,
  'after handing in the assessor has no form to change a score');
  const mine = await text(asx);
  t.ok(mine.includes(motivation('Assessor', 1, 'plan-samen')), 'the assessor still reads its own scores');

  // Blind: buyer B has not handed in.
  await bbx.goto(scoring);
  let seen = await text(bbx);
  t.ok(!seen.includes('Assessor over') && await bbx.locator('form[action$="/award/consensus"]').count() === 0,
    'buyer B sees none of the assessor\'s scores and no consensus session before handing in');
  t.ok(await matrixCells(bbx).count() === 6,
    'buyer B scores the plan only (3 x 2 cells)', await matrixCells(bbx).count());
  t.ok(await score(bbx, 'Koper B', BUYER_B) === 6, 'buyer B scores all six');
  await asx.reload();
  seen = await text(asx);
  t.ok(!seen.includes('Koper B over') && await asx.locator('main table.consensus').count() === 0,
    'the assessor, handed in, still sees neither buyer B\'s scores nor a consensus table', seen.slice(0, 300));
  await submit(bbx, bbx.locator('form[action$="/award/hand-in"]'));
  await asx.reload();
  seen = await text(asx);
  t.ok(seen.includes(motivation('Koper B', 2, 'plan-wijk')) && seen.includes(motivation('Assessor', 2, 'plan-wijk')),
    'once both handed in, the consensus session shows every individual score');
  t.ok(await asx.locator('form[action$="/award/consensus"]').count() === 0,
    'the assessor gets no form to record the consensus');

  // ---- the buyer records the consensus and makes the quality final ----
  await abx.goto(scoring);
  t.ok(await abx.locator('form[action$="/award/consensus"]').count() === 9,
    'the buyer has a consensus form per bid and criterion', await abx.locator('form[action$="/award/consensus"]').count());
  ok = true;
  for (const [bi, s] of CONSENSUS.entries()) {
    for (const [key, step] of Object.entries(s)) {
      const f = scoreForm(abx, 'consensus', cands[bi], key);
      await f.locator('select[name=step]').selectOption(String(step));
      await f.locator('textarea[name=motivation]').fill(`Consensus over ${NAMES[bi]} op ${key}.`);
      await submit(abx, f);
      ok &&= /\/award\/scoring$/.test(new URL(abx.url()).pathname);
    }
  }
  t.ok(ok, 'the buyer records the nine consensus scores');
  await submit(abx, abx.locator('form[action$="/award/final"]'));
  t.ok(await abx.locator('form[action$="/award/consensus"]').count() === 0 &&
       await abx.locator('a[href$="/award/ranking"]').count() > 0 &&
       (await text(abx)).includes(`Consensus over ${NAMES[1]} op team.`),
  'the quality is final: the consensus stands, no form changes it, the ranking is linked');

  // ---- the prices: one buyer alone is refused, two open them ----
  const award = `${srv.base}/procedures/${pid}/award`;
  async function openPrices(emailB, passB) {
    await abx.goto(award);
    const f = abx.locator('form[action$="/price-vault/open"]');
    await f.locator('#f-email_a').selectOption('buyer@dordrecht.example');
    await f.locator('#f-passphrase_a').fill(PASS_A);
    await f.locator('#f-email_b').selectOption(emailB);
    await f.locator('#f-passphrase_b').fill(passB);
    await f.locator('input[name=confirm]').check();
    await Promise.all([abx.waitForNavigation({ timeout: 60000 }), f.locator('button[type=submit]').click()]);
  }
  await openPrices('buyer@dordrecht.example', PASS_A);
  t.ok(await abx.locator('main .error-summary[role=alert]').count() === 1,
    'one buyer with his own passphrase twice cannot open the prices; the refusal is shown',
    (await text(abx)).slice(0, 300));
  await openPrices('buyer2@dordrecht.example', PASS_B);
  t.ok(new URL(abx.url()).pathname === `/procedures/${pid}/award` &&
       await abx.locator('main .error-summary[role=alert]').count() === 0,
  'two buyers open the prices on the award page', (await text(abx)).slice(0, 300));

  // ---- the ranking ----
  await Promise.all([abx.waitForNavigation(), abx.locator('a[href$="/award/ranking"]').first().click()]);
  const exp = expected().sort((x, y) => y.total - x.total);
  const rows = abx.locator('main table.list').first().locator('tbody tr');
  const cells = [];
  for (let k = 0; k < await rows.count(); k++) cells.push((await rows.nth(k).innerText()).replace(/\s+/g, ' '));
  t.ok(cells.length === 3 && exp.every((e, k) => cells[k].startsWith(String(k + 1)) &&
       cells[k].includes(NAMES[e.b]) && cells[k].includes(PRICES[e.b]) && cells[k].includes(pct(e.total))),
  'the ranking lists the bids in order, with their price and the total of the announced formula',
  `got ${JSON.stringify(cells)}\nwant ${JSON.stringify(exp.map(e => [NAMES[e.b], pct(e.total)]))}`);
  const winner = exp[0].b, loser = exp[1].b, other = exp[2].b;

  // ---- the decision ----
  const summary = 'Het winnende plan verbindt de wijkteams met de huisartsen in elke wijk.';
  await abx.fill('#f-winner_summary', summary);
  t.ok((await abx.inputValue('#f-objection')).length > 20, 'the objection text comes filled in');
  await abx.locator('form[action$="/award/decision"] input[name=confirm]').check();
  await Promise.all([abx.waitForNavigation(), abx.locator('form[action$="/award/decision"] button[type=submit]').click()]);
  const buyerLetter = await text(abx, 'article.letter');
  t.ok(/\/award\/letter$/.test(new URL(abx.url()).pathname) && buyerLetter.includes(summary) &&
       buyerLetter.includes(NAMES[winner]), 'the decision is sent; the buyer lands on the winner\'s letter',
  abx.url() + ' ' + buyerLetter.slice(0, 200));
  const sentDay = localInSecs(0).slice(0, 10);
  const cal = (await a.get(`/api/v1/calendar?year=${sentDay.slice(0, 4)}&sent=${sentDay}`)).json;
  const standstill = localText(cal.standstill.end.utc);

  // ---- the losing bidder reads its letter ----
  const lbx = await (await browser.newContext()).newPage();
  await login(lbx, srv.base, `bieder${loser + 1}@award-browser.example`, 'award-bieder-2026');
  await lbx.goto(award);
  const rulesLink = lbx.locator(`main a[href="/procedures/${pid}/lots/${lot}/award/rules"]`);
  t.ok(await rulesLink.count() === 1, 'the bidder\'s award page links to the award rules');
  await Promise.all([lbx.waitForNavigation(), rulesLink.click()]);
  const rules = await text(lbx);
  t.ok(rules.includes('Aanpak in de wijk') && rules.includes('50 %') && rules.includes('40 %'),
    'the rules page shows the criteria with their weights', rules.slice(0, 300));
  await lbx.goto(award);
  const link = lbx.locator(`main a[href="/procedures/${pid}/lots/${lot}/award/letter"]`);
  t.ok(await link.count() === 1, 'the bidder\'s award page links to its award letter');
  await Promise.all([lbx.waitForNavigation(), link.click()]);
  const letter = await text(lbx, 'article.letter');
  t.ok(letter.includes(NAMES[loser]), 'the letter names its addressee', letter.slice(0, 300));
  t.ok(letter.includes(NAMES[winner]), 'and the intended winner');
  t.ok(letter.includes(standstill), `and the end of the standstill (${standstill}), as the legal calendar gives it`,
    letter.slice(-600));
  t.ok(letter.includes(`Consensus over ${NAMES[loser]} op team.`) && letter.includes(`Consensus over ${NAMES[winner]} op team.`),
    'and its own and the winner\'s motivations');
  t.ok(!(await lbx.content()).includes(NAMES[other]), 'the page never names the other losing bidder');
  const pdfLink = lbx.locator('a[href*="/award/letter/pdf"]');
  t.ok(await pdfLink.count() === 1, 'the letter links to its PDF');
  const pdf = await lbx.request.get(new URL(await pdfLink.getAttribute('href'), lbx.url()).href);
  const body = await pdf.body();
  t.ok(pdf.status() === 200 && pdf.headers()['content-type'] === 'application/pdf' &&
       body.subarray(0, 5).toString() === '%PDF-', 'the PDF link answers a PDF',
  `${pdf.status()} ${pdf.headers()['content-type']}`);
  const pt = spawnSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: body, encoding: 'utf8' });
  if (pt.status === 0 && !pt.error) {
    const flat = pt.stdout.replace(/\s+/g, ' ');
    t.ok(flat.includes(NAMES[loser]) && flat.includes(NAMES[winner]) && !flat.includes(NAMES[other]),
      'the PDF names the addressee and the winner, never the other loser', flat.slice(0, 300));
  } else {
    t.ok(true, 'pdftotext not installed: PDF text not checked # SKIP');
  }
  // Another bidder's letter cannot be asked for.
  await lbx.goto(`${srv.base}/procedures/${pid}/lots/${lot}/award/letter?candidate=${cands[other]}`);
  t.ok(!(await lbx.content()).includes(NAMES[other]), 'asking for another bidder\'s letter still shows its own');
  await lbx.screenshot({ path: shotPath('award-letter-1400.png'), fullPage: true });
} catch (e) {
  t.ok(false, 'browser flow ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
