// The irreversible actions' confirmations, looked at (issue 12): the buyer
// sends, in the demo, the price opening, the definitive award on the
// objections page, the contract's extension and its termination without
// ticking their box.  Each comes back with the error at the box and its
// consequence named; each refused page, and the form before it, is
// photographed at 1400 and 390 px and may not scroll sideways.  Nothing
// was done: the page still offers the same form.
import { Tap, startServer, launch, login, shotPath } from './kavel.mjs';

const FORMS = [
  { name: 'price-opening', page: '/procedures/6/award', action: '/procedures/6/price-vault/open' },
  { name: 'definitive-award', page: '/procedures/5/lots/7/award/objections',
    action: '/procedures/5/lots/7/award/definitive' },
  { name: 'contract-extend', page: '/contracts/2', action: '/contracts/2/extend' },
  { name: 'contract-terminate', page: '/contracts/2', action: '/contracts/2/terminate' },
];

const t = new Tap();
const srv = await startServer();
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  page.on('dialog', d => { t.ok(false, 'no dialog is shown: ' + d.message()); d.dismiss(); });
  await login(page, srv.base, 'buyer@dordrecht.example');

  const sideways = () => page.evaluate(() =>
    document.documentElement.scrollWidth > document.documentElement.clientWidth);

  for (const f of FORMS) {
    await page.setViewportSize({ width: 1400, height: 900 });
    await page.goto(srv.base + f.page);
    const form = page.locator(`form[action="${f.action}"]`);
    t.ok(await form.count() === 1, `${f.name}: the form is on ${f.page}`);
    const box = form.locator('input[type=checkbox][name=confirm]');
    t.ok(await box.count() === 1 && (await form.innerText()).length > 20,
      `${f.name}: the form asks its confirmation in a box that names the consequence`);
    for (const w of [1400, 390]) {
      await page.setViewportSize({ width: w, height: 900 });
      await form.scrollIntoViewIfNeeded();
      await page.screenshot({ path: shotPath(`confirm-${f.name}-form-${w}.png`) });
      t.ok(!(await sideways()), `${f.name}: the form does not scroll sideways at ${w} px`);
    }
    await page.setViewportSize({ width: 1400, height: 900 });
    // Sent unticked (the browser's own check of required fields aside, as
    // a script or an older browser would send it).
    await form.evaluate(el => { el.noValidate = true; });
    await Promise.all([page.waitForNavigation(), form.locator('button[type=submit]').last().click()]);
    const refused = page.locator(`form[action="${f.action}"]`);
    t.ok(await refused.locator('input[name=confirm][aria-invalid=true]').count() === 1 &&
         await refused.locator('.field-error').count() >= 1,
      `${f.name}: sent unticked, it is refused with the error at the box`,
      (await page.locator('main').innerText()).slice(0, 300));
    t.ok(await page.locator('.error-summary').count() === 1,
      `${f.name}: and the summary above says so`);
    for (const w of [1400, 390]) {
      await page.setViewportSize({ width: w, height: 900 });
      await refused.locator('input[name=confirm]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: shotPath(`confirm-${f.name}-refused-${w}.png`) });
      t.ok(!(await sideways()), `${f.name}: the refusal does not scroll sideways at ${w} px`);
    }
    await page.goto(srv.base + f.page);
    t.ok(await page.locator(`form[action="${f.action}"]`).count() === 1,
      `${f.name}: nothing was done, the form is still offered`);
  }
} catch (e) {
  t.ok(false, 'browser flow ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
