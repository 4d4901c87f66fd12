// A buyer logs in, creates a procedure with lots, sees its timeline, plans a
// date, and has illegal steps refused with the reason next to the stage.
import { Tap, Api, startServer, launch, login, localIn, localInSecs, sleep, shotPath } from './kavel.mjs';

const t = new Tap();
const srv = await startServer();
const browser = await launch();
try {
  const page = await browser.newPage();
  // No dialog: completing asks its confirmation on the page (a box naming
  // the consequence, checked by the server).
  page.on('dialog', d => { t.ok(false, 'no dialog is shown: ' + d.message()); d.dismiss(); });

  await login(page, srv.base, 'buyer@dordrecht.example');
  t.ok(new URL(page.url()).pathname === '/', 'the buyer lands on the dashboard after login');
  t.ok(await page.locator('html[lang=nl]').count() === 1, 'the interface is Dutch by default');
  t.ok(await page.getByText('DOR-2022-SWT-BW-JW').count() > 0, 'the Dordrecht demo procedure is listed');
  t.ok(await page.getByText('HLM-2021-GIDW').count() === 0, "Haarlem's procedure is not shown to Dordrecht");

  // Create a procedure with lots; a wrong CPV first.
  await page.click('a[href="/procedures/new"]');
  await page.fill('#f-reference', 'DOR-BROWSER-1');
  await page.fill('#f-title', 'Jongerenwerk Noord (browsertest)');
  await page.selectOption('#f-type', 'sas-dialogue');
  await page.fill('#f-dialogue_rounds', '2');
  await page.fill('#f-cpv', '85310000-4');
  await page.fill('#f-value', '2.000.000');
  await page.fill('#f-lots_1_title', 'Noord');
  await page.fill('#f-lots_1_value', '1.200.000');
  await page.fill('#f-lots_2_title', 'Zuid');
  await page.fill('#f-lots_2_value', '800.000');
  await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
  t.ok(await page.locator('#err-f-cpv').isVisible(), 'a wrong CPV check digit shows an error next to the field');
  t.ok(await page.inputValue('#f-title') === 'Jongerenwerk Noord (browsertest)', 'the form keeps what was typed');
  await page.fill('#f-cpv', '85310000-5');
  await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
  t.ok(/\/procedures\/\d+$/.test(new URL(page.url()).pathname), 'the procedure is created');
  const stages = page.locator('ol.timeline li.stage');
  t.ok(await stages.count() === 13, 'its timeline shows 13 stages', await stages.count());
  t.ok(await page.locator('[data-kind=standstill]').count() === 1, 'the standstill is on the timeline');

  // Plan the pre-announcement in the future.
  const pre = page.locator('[data-kind=pre-announcement]');
  await pre.locator('summary').click();
  await pre.locator('input[name=start]').fill(localIn(2));
  await Promise.all([page.waitForNavigation(), pre.locator('form.inline-form button').click()]);
  t.ok(!(await page.locator('[data-kind=pre-announcement] .when').innerText()).match(/niet gepland|not planned/),
    'the planned date shows on the timeline');

  // Illegal: a date in the past.
  const reg = page.locator('[data-kind=registration]');
  await reg.locator('summary').click();
  await reg.locator('input[name=start]').fill(localIn(-3));
  await reg.locator('input[name=end]').fill(localIn(5));
  await Promise.all([page.waitForNavigation(), reg.locator('form.inline-form button').click()]);
  const err1 = page.locator('[data-kind=registration] .field-error');
  t.ok(await err1.isVisible(), 'a date in the past is refused, the reason beside the stage',
    await page.content().then(h => h.slice(0, 400)));

  // A stage whose time has not come offers no completion: it says when it can.
  t.ok(await page.locator('button.complete').count() === 0 &&
       /kan niet eerder worden afgerond/.test(await pre.locator('.not-ready').innerText()),
    'a pre-announcement two days ahead offers no "Markeren als afgerond", it says why');

  // Move it to a few seconds from now (the API takes seconds); once it has
  // come, only the current stage offers completion.
  const api = new Api(srv.base);
  await api.login('buyer@dordrecht.example');
  const pid = new URL(page.url()).pathname.split('/')[2];
  const proc = (await api.get(`/api/v1/procedures/${pid}`)).json;
  const preId = proc.stages.find(s => s.kind === 'pre-announcement').id;
  const moved = await api.post(`/api/v1/procedures/${pid}/stages/${preId}/move`, { start: localInSecs(3) });
  t.ok(moved.status === 200, 'the pre-announcement is moved to a few seconds from now', moved.text.slice(0, 200));
  await sleep(4500);
  await page.goto(`${srv.base}/procedures/${pid}`);
  t.ok(await page.locator('button.complete').count() === 1 &&
       await pre.locator('button.complete').count() === 1, 'only the current stage can be marked completed');
  // Unticked: refused at the box, nothing completed.
  await Promise.all([page.waitForNavigation(), pre.locator('button.complete').click()]);
  t.ok(await page.locator('[data-kind=pre-announcement] input[name=confirm][aria-invalid=true]').count() === 1 &&
       await page.locator('[data-kind=pre-announcement] .field-error').count() === 1,
    'completing without ticking the confirmation is refused at the box');
  // The refused confirmation, looked at on a desktop and a phone.
  const box = page.locator('[data-kind=pre-announcement] input[name=confirm]');
  for (const w of [1400, 390]) {
    await page.setViewportSize({ width: w, height: 900 });
    await box.scrollIntoViewIfNeeded();
    await page.evaluate(() => window.scrollBy(0, 200));
    await page.screenshot({ path: shotPath(`confirm-refused-${w}.png`) });
    t.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
      `the refused confirmation does not scroll sideways at ${w} px`);
  }
  await page.setViewportSize({ width: 1400, height: 900 });
  await page.locator('[data-kind=pre-announcement] input[name=confirm]').check();
  await Promise.all([page.waitForNavigation(), page.locator('[data-kind=pre-announcement] button.complete').click()]);
  t.ok(/Afgerond op/.test(await page.locator('[data-kind=pre-announcement]').innerText()),
    'ticked, the pre-announcement is completed and says when');

  // English on request.
  await Promise.all([page.waitForNavigation(), page.click('form[action="/lang"] button')]);
  t.ok(await page.locator('html[lang=en]').count() === 1, 'English can be chosen');
  t.ok(await page.getByRole('heading', { name: 'Timeline' }).count() === 1, 'the page is in English then');
  await page.screenshot({ path: shotPath('timeline-1400.png'), fullPage: true });
} catch (e) {
  t.ok(false, 'browser flow ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
