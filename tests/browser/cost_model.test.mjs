// The cost model of a reëel budget in the browser (issue 16 item 1): the
// Dordrecht buyer opens the demo's awarded contract, follows the link to
// the cost model, reads the demo model's verdict (short from the third
// year), builds the model of the hand-worked example on the form (one
// FTE typed wrong first: refused at its field, what was typed kept),
// saves it and reads the new verdict and the year's sum.  The council
// member reads the verdict without the form.  Screenshots at 1400 and
// 390 px go to build-screens/.
import { Tap, startServer, launch, login, Api, shotPath } from './kavel.mjs';

const t = new Tap();
const srv = await startServer();
const browser = await launch();
try {
  const api = new Api(srv.base);
  await api.login('buyer@dordrecht.example');
  const cs = (await api.get('/api/v1/contracts')).json.contracts;
  const cid = cs.find(c => c.reference === 'DOR-2026-MBS-DEMO-C').id;

  const p = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await login(p, srv.base, 'buyer@dordrecht.example');
  await p.goto(`${srv.base}/contracts/${cid}`);
  const link = p.locator('#cost-model-link');
  t.ok(await link.count() === 1, 'the contract page links to the cost model');
  await Promise.all([p.waitForNavigation(), link.click()]);
  let verdict = await p.locator('#verdict').innerText();
  t.ok(/(niet meer|no longer)/.test(verdict), 'the demo model: the budget no longer covers it from a year', verdict);
  await p.screenshot({ path: shotPath('cost-model-demo-1400.png'), fullPage: true });

  const fill = async (page, fte2) => {
    const v = {
      '#f-fn1_name': 'Wijkcoach', '#f-fn1_cao': 'CAO Sociaal Werk, schaal 8, trede 6', '#f-fn1_fte': '3',
      '#f-fn1_salary': '48.000', '#f-fn1_charges': '30',
      '#f-fn2_name': 'Teamleider', '#f-fn2_cao': 'CAO Sociaal Werk, schaal 10, trede 4', '#f-fn2_fte': fte2,
      '#f-fn2_salary': '66.000', '#f-fn2_charges': '30',
      '#f-fn3_name': '', '#f-fn3_cao': '', '#f-fn3_fte': '', '#f-fn3_salary': '', '#f-fn3_charges': '',
      '#f-productive_hours': '1300', '#f-overhead': '15', '#f-management': '8',
      '#f-material': '6.000', '#f-housing': '12.000', '#f-efficiency': '5',
      '#f-efficiency_reason': 'Eén team in plaats van drie aanbieders.',
    };
    for (const [sel, val] of Object.entries(v)) await page.fill(sel, val);
    await Promise.all([page.waitForNavigation(), page.click('form[action$="/cost-model"] button[type=submit]')]);
  };
  await fill(p, 'een half');
  const err = await p.locator('#err-f-fn2_fte').innerText().catch(() => '');
  t.ok(err.length > 0, 'an FTE typed in words is refused at its field', err);
  t.ok(await p.inputValue('#f-fn2_fte') === 'een half' && await p.inputValue('#f-fn1_name') === 'Wijkcoach',
    'and what was typed is kept');
  await p.screenshot({ path: shotPath('cost-model-refused-1400.png'), fullPage: true });
  await fill(p, '0,5');
  verdict = await p.locator('#verdict').innerText();
  const table = await p.locator('#cost-years').innerText();
  t.ok(/285\.971,85/.test(table), 'the first year\'s minimum is the hand-worked 285.971,85', table.slice(0, 400));
  t.ok(/187\.200,00/.test(await p.locator('main').innerText()), 'the function\'s sum is shown (187.200,00)');
  t.ok(verdict.length > 20, 'the verdict is one sentence', verdict);
  const sw = await p.evaluate(() => document.documentElement.scrollWidth);
  t.ok(sw <= 1400, 'at 1400 px nothing scrolls sideways', String(sw));
  await p.screenshot({ path: shotPath('cost-model-1400.png'), fullPage: true });

  const m = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await login(m, srv.base, 'council@dordrecht.example');
  await m.goto(`${srv.base}/contracts/${cid}/cost-model`);
  t.ok(/285\.971,85/.test(await m.locator('#cost-years').innerText()), 'the council member reads the same verdict');
  t.ok(await m.locator('form[action$="/cost-model"]').count() === 0, 'without the form');
  const sw2 = await m.evaluate(() => document.documentElement.scrollWidth);
  t.ok(sw2 <= 390, 'at 390 px the page does not scroll sideways (the table scrolls in its box)', String(sw2));
  await m.screenshot({ path: shotPath('cost-model-390.png'), fullPage: true });
  const b = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await login(b, srv.base, 'buyer@dordrecht.example');
  await b.goto(`${srv.base}/contracts/${cid}/cost-model#model-form`);
  await b.screenshot({ path: shotPath('cost-model-form-390.png'), fullPage: true });
  const sw3 = await b.evaluate(() => document.documentElement.scrollWidth);
  t.ok(sw3 <= 390, 'the buyer\'s form fits 390 px', String(sw3));
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
