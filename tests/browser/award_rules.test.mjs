// Award rules built with the form, and an assessor assigned by ticking.
//
// A buyer of Dordrecht (Dutch, as the demo starts) opens the rules page of
// a new lot and builds the rules without typing JSON or basis points: two
// main criteria, one sub-criterion nested under the first, the weights in
// percent with their sums following the typing (JavaScript), the method
// chosen from the list (absolute price scoring between two bounds) with
// its worked example scored on sample bids by the server after "update the
// sums and examples", a refused save that keeps everything typed and says
// what is wrong at its field, then the save; the rules read back on the
// page and through the API.  Then an assessor is assigned by ticking a lot
// and a criterion on the award page.  Without JavaScript the form's buttons
// still add a criterion and the form still saves.  Screenshots at 1400 and
// 390 px go to build-screens/ (SCREENSHOT_DIR elsewhere); at 390 px no
// page of this journey scrolls sideways.
import { Tap, Api, startServer, launch, login, shotPath } from './kavel.mjs';


const t = new Tap();
const srv = await startServer();
const browser = await launch();
const text = async (page, sel = 'main') =>
  (await page.locator(sel).first().innerText().catch(() => '')).replace(/\s+/g, ' ');
const press = async (page, locator) => {
  await Promise.all([page.waitForNavigation(), locator.click()]);
};
// The page does not scroll sideways: its width is the viewport's.
const sideways = page => page.evaluate(() =>
  document.documentElement.scrollWidth - document.documentElement.clientWidth);
async function shoot(page, name) {
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: shotPath(`rules-${name}-${width}.png`), fullPage: true });
    if (width === 390) {
      const over = await sideways(page);
      t.ok(over <= 0, `${name}: no sideways scrolling at 390 px`, `scrollWidth exceeds by ${over} px`);
    }
  }
  await page.setViewportSize({ width: 1400, height: 900 });
}

try {
  // ---- set-up through the API: a procedure with two lots ----
  const api = new Api(srv.base);
  t.ok((await api.login('buyer@dordrecht.example')).status === 200, 'the buyer logs in (API)');
  let r = await api.post('/api/v1/procedures', {
    reference: 'DOR-RULES-BROWSER', title: 'Gunningsregels in de browser', type: 'open',
    cpv: '85310000-5', value: '2.000.000',
    lots: [{ title: 'Wijkteam', value: '1.200.000' }, { title: 'Jongerenwerk', value: '800.000' }],
  });
  t.ok(r.status === 201, 'a procedure with two lots is created', r.text.slice(0, 200));
  const pid = r.json.id;
  const [lot, lot2] = r.json.lots.map(l => l.id);
  const rulesUrl = `${srv.base}/procedures/${pid}/lots/${lot}/award/rules`;

  const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  const errors = [];
  page.on('pageerror', e => errors.push(String(e)));
  await login(page, srv.base, 'buyer@dordrecht.example');
  await page.goto(rulesUrl);
  const form = page.locator('#rules-form');
  t.ok(await form.count() === 1 && await page.locator('#rules-form textarea[name=rules]').count() === 0,
    'the rules page has the form, no JSON document to type');
  const main = await text(page);
  t.ok(!/basispunt|basis point|weight_bp|JSON/i.test(main), 'the page speaks of no basis points and no JSON', main.slice(0, 300));

  // ---- two main criteria, one sub-criterion ----
  await page.fill('#f-c0-name', 'Plan van aanpak');
  await page.fill('#f-c0-weight', '60');
  await press(page, page.locator('button[name=op][value=add]'));
  t.ok(await page.inputValue('#f-c0-name') === 'Plan van aanpak' && await page.locator('#f-c1-name').count() === 1,
    '"add a criterion" gives a second row and keeps what was typed');
  await page.fill('#f-c1-name', 'Team en continuïteit');
  await page.fill('#f-c1-weight', '30');
  const topSum = page.locator('#f-sum');
  t.ok((await topSum.innerText()).includes('90 %') && await topSum.evaluate(e => e.classList.contains('bad')),
    'the main criteria\'s sum follows the typing: 90 %, marked', await topSum.innerText());
  await page.fill('#f-c1-weight', '40');
  t.ok((await topSum.innerText()).includes('100 %') && !(await topSum.evaluate(e => e.classList.contains('bad'))),
    'at 100 % the sum is no longer marked', await topSum.innerText());
  await page.fill('#f-price_weight', '40');
  t.ok((await page.locator('#row-0 .share').innerText()).includes('36 %'),
    'each criterion shows its share of the total: 60 % of the 60 % quality is 36 %',
    await page.locator('#row-0 .share').innerText());
  await press(page, page.locator('#row-0 button[name=op][value="sub-0"]'));
  t.ok(await page.locator('#row-1').getAttribute('data-level') === '1' &&
       await page.inputValue('#f-c2-name') === 'Team en continuïteit',
  '"add a sub-criterion" nests a row under the plan; the team moves down');
  await page.fill('#f-c1-name', 'Aanpak in de wijk');
  await page.fill('#f-c1-weight', '100');
  t.ok((await page.locator('#f-c0-sum').innerText()).includes('100 %'),
    'the plan shows its sub-criteria\'s sum', await page.locator('#f-c0-sum').innerText());
  t.ok(await page.locator('#row-0 select[name="c0-scale"]').count() === 0 &&
       await page.locator('#row-1 select[name="c1-scale"]').count() === 1,
  'a criterion with a sub-criterion is scored through it: only the sub-criterion has a scale');

  // ---- the scale: four steps with their meanings ----
  const meanings = ['onvoldoende', 'matig', 'voldoende', 'goed', 'uitstekend'];
  for (const [j, m] of meanings.entries()) await page.fill(`#f-s0-${j}-meaning`, m);
  await page.fill('#f-s0-2-value', '60');
  await press(page, page.locator('button[name=op][value="step-del-0-1"]'));
  t.ok(await page.locator('#f-s0-4-value').count() === 0 && await page.inputValue('#f-s0-1-value') === '60',
    'a step is removed: four steps left');

  // ---- the method from the list, with its worked example ----
  await page.check('#f-method-weighted-absolute');
  t.ok(await page.locator('#f-lower').isVisible() && !(await page.locator('#f-budget').isVisible()),
    'choosing absolute price scoring shows its two bounds, not the other methods\' numbers');
  await page.fill('#f-lower', '1.000.000');
  await page.fill('#f-upper', '1.500.000');
  await press(page, page.locator('#f-method button[name=op][value=refresh]'));
  // Sample bids at 90, 100 and 120 % of the lot's 1.200.000 with quality
  // 60, 80 and 95 %: price points (1.500.000 - price) / 500.000, total
  // 40 % price points + 60 % quality.
  const prices = [1080000, 1200000, 1440000], quality = [60, 80, 95];
  const totals = prices.map((p, k) => (0.4 * Math.min(1, Math.max(0, (1500000 - p) / 500000)) * 100 +
    0.6 * quality[k]).toFixed(2).replace(/\.00$/, '').replace('.', ',') + ' %');   // as Dutch pages write it
  const option = page.locator('.method-option:has(#f-method-weighted-absolute)');
  const example = await text(page, '.method-option:has(#f-method-weighted-absolute) table');
  t.ok(await option.locator('details.example').getAttribute('open') !== null &&
       totals.every(x => example.includes(x)) && example.includes('1.080.000'),
  'the chosen method\'s worked example is scored with the bounds typed', `${example}\nwant ${totals}`);
  t.ok((await option.locator('.formula').innerText()).includes('1.500.000'),
    'its formula names the bounds');
  await shoot(page, 'rules-form');

  // ---- a refused save keeps everything and says where ----
  await page.fill('#f-c1-weight', '90');
  await press(page, page.locator('button.save'));
  t.ok(await page.locator('#rules-errors a[href="#f-c0-sum"]').count() === 1 &&
       await page.locator('#err-c0-sum').count() === 1 &&
       await page.inputValue('#f-c2-name') === 'Team en continuïteit' &&
       await page.inputValue('#f-upper') === '1.500.000',
  'a sub-criterion at 90 % is refused at the plan\'s sum, with everything typed kept', (await text(page)).slice(0, 400));
  t.ok((await api.get(`/api/v1/procedures/${pid}/lots/${lot}/award/rules`)).json.rules === null,
    'and nothing is saved');
  await page.fill('#f-c1-weight', '100');
  await press(page, page.locator('button.save'));
  t.ok(/saved=1/.test(page.url()) && await page.locator('.notice.saved').count() === 1,
    'saved: the page says so', page.url());
  const shown = await text(page, 'table.rules-table');
  t.ok(['Plan van aanpak', 'Aanpak in de wijk', 'Team en continuïteit', '36 %', '24 %', '40 %']
    .every(x => shown.includes(x)), 'the rules read back with each share of the total', shown);
  r = await api.get(`/api/v1/procedures/${pid}/lots/${lot}/award/rules`);
  const doc = r.json.rules;
  t.ok(doc && doc.method === 'weighted' && doc.price_scoring === 'absolute' && doc.price_weight_bp === 4000 &&
       doc.lower_cents === 100000000 && doc.upper_cents === 150000000 && doc.criteria.length === 3 &&
       doc.criteria[1].parent === doc.criteria[0].key && doc.criteria[1].scale.length === 4 &&
       doc.criteria[1].scale[1].value_bp === 6000 && doc.criteria[1].scale[1].meaning === 'voldoende',
  'the API reads the document the form built', JSON.stringify(doc).slice(0, 400));
  t.ok(await page.inputValue('#f-c0-name') === 'Plan van aanpak' && await page.inputValue('#f-c0-weight') === '60',
    'the form below shows the saved rules');

  // ---- an assessor assigned by ticking ----
  t.ok((await api.post(`/api/v1/procedures/${pid}/lots/${lot2}/award/rules`, {
    method: 'lowest-price', tie_rule: 'drawing', price_weight_bp: 10000, criteria: [],
  })).status === 200, 'lot 2 is awarded on price alone (API)');
  await page.goto(`${srv.base}/procedures/${pid}/award`);
  const assign = page.locator('form.assign-form');
  t.ok(await assign.count() === 1 && await assign.locator('input[type=checkbox]').count() === 4,
    'the award page has an assignment form: "all criteria" and the two main criteria of lot 1, "all criteria" of lot 2',
    await assign.locator('input[type=checkbox]').count());
  const pickAssessor = await assign.locator('#f-assessor option', { hasText: 'assessor@dordrecht.example' }).getAttribute('value');
  await assign.locator('#f-assessor').selectOption(pickAssessor);
  await assign.getByLabel('Plan van aanpak').check();
  await assign.locator(`#f-lot-${lot2}-all`).check();
  await press(page, assign.locator('button[type=submit]'));
  t.ok(/assigned=1/.test(page.url()) && await page.locator('.notice.saved').count() === 1 &&
       (await text(page, 'table.list')).includes('Plan van aanpak'),
  'saved: each lot lists the assessor with what it scores', await text(page, 'table.list'));
  const as1 = (await api.get(`/api/v1/procedures/${pid}/lots/${lot}/award/scoring`)).json.assignments;
  const as2 = (await api.get(`/api/v1/procedures/${pid}/lots/${lot2}/award/scoring`)).json.assignments;
  t.ok(as1.length === 1 && as1[0].email === 'assessor@dordrecht.example' && as1[0].criterion === doc.criteria[0].key &&
       as2.length === 1 && as2[0].criterion === '*',
  'the assessor scores the plan on lot 1 and everything on lot 2', JSON.stringify([as1, as2]));
  t.ok(await page.locator(`#f-assessor option[value="${pickAssessor}"]`).count() === 1 &&
       await page.locator('form.assign-form input[type=email]').count() === 0,
    'the assessor is picked from the list, no e-mail address is typed');
  await shoot(page, 'award-assign');
  await page.goto(`${srv.base}/procedures/${pid}/lots/${lot}/award/scoring`);
  t.ok((await text(page)).includes('Plan van aanpak') && await page.locator('form.assign-form input[type=checkbox]').count() === 3,
    'the lot\'s scoring page names the assessor\'s criterion and has the lot\'s boxes');
  await shoot(page, 'award-scoring');
  t.ok(errors.length === 0, 'no script error on these pages', errors.join('\n'));

  // ---- without JavaScript ----
  const nojs = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await login(nojs, srv.base, 'buyer@dordrecht.example');
  await nojs.goto(`${srv.base}/procedures/${pid}/lots/${lot2}/award/rules`);
  t.ok(await nojs.locator('#f-c0-name').count() === 0 && await nojs.isChecked('#f-method-lowest-price'),
    'lot 2\'s form shows its rules: lowest price, no criteria');
  await press(nojs, nojs.locator('button[name=op][value=add]'));
  await nojs.fill('#f-c0-name', 'Bereik van jongeren');
  await press(nojs, nojs.locator('button[name=op][value=add]'));
  t.ok(await nojs.locator('#f-c1-name').count() === 1 && await nojs.inputValue('#f-c0-name') === 'Bereik van jongeren',
    'without JavaScript "add a criterion" still adds a row, keeping what was typed');
  await nojs.fill('#f-c0-weight', '50');
  await nojs.fill('#f-c1-name', 'Samenwerking met scholen');
  await nojs.fill('#f-c1-weight', '50');
  await nojs.check('#f-method-weighted-relative');
  t.ok(await nojs.isVisible('#f-price_weight'), 'the price weight shows once a weighted method is chosen (CSS alone)');
  await nojs.fill('#f-price_weight', '30');
  await press(nojs, nojs.locator('button.save'));
  r = await api.get(`/api/v1/procedures/${pid}/lots/${lot2}/award/rules`);
  t.ok(/saved=1/.test(nojs.url()) && r.json.rules.criteria.length === 2 && r.json.rules.price_weight_bp === 3000,
    'and the form saves without JavaScript', JSON.stringify(r.json.rules).slice(0, 200));
} catch (e) {
  t.ok(false, 'browser flow ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
