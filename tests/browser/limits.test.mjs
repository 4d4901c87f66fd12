// The login and registration limits as a person meets them (issue 13
// item 2): five wrong passwords for one account from one browser, and the
// sixth attempt, even with the right password, is refused on the login
// page saying when to try again (the device cookie that spares a known
// browser is tests/api/test_login_limits.py's).  Thirty registrations from one address, and the next one
// through the public form is refused on the form, with what was typed
// kept.  Screenshots at 1400 and 390 px go to build-screens/.
import { Tap, startServer, launch, login, Api, shotPath } from './kavel.mjs';

const t = new Tap();
const srv = await startServer();
const browser = await launch();
try {
  const api = new Api(srv.base);
  t.ok((await api.login('buyer@dordrecht.example')).status === 200, 'a buyer logs in (API)');
  const procs = (await api.get('/api/v1/procedures')).json.procedures;
  const wor = procs.find(p => p.reference === 'DOR-2027-WOR-DEMO').id;

  for (const [width, height] of [[1400, 900], [390, 844]]) {
    const ctx = await browser.newContext({ viewport: { width, height } });
    const p = await ctx.newPage();
    const who = width === 1400 ? 'council@haarlem.example' : 'assessor@haarlem.example';
    for (let i = 0; i < 5; i++) {
      await p.goto(srv.base + '/login');
      await p.fill('form[action="/login"] input[name=email]', who);
      await p.fill('form[action="/login"] input[name=password]', 'not-the-password');
      await Promise.all([p.waitForNavigation(), p.click('form.form button[type=submit]')]);
    }
    await p.goto(srv.base + '/login');
    await p.fill('form[action="/login"] input[name=email]', who);
    await p.fill('form[action="/login"] input[name=password]', 'kavel-demo-2022');
    const [resp] = await Promise.all([p.waitForNavigation(), p.click('form.form button[type=submit]')]);
    const msg = await p.locator('.error-summary, .error').first().innerText().catch(() => '');
    t.ok(resp.status() === 429 && /(probeer|try).*(opnieuw|again)/i.test(msg),
      `at ${width} px the sixth attempt, right password and all, is refused saying when to try again`,
      `${resp.status()} ${msg}`);
    t.ok(await p.inputValue('form[action="/login"] input[name=email]') === who,
      'the e-mail address stays filled in');
    const sw = await p.evaluate(() => document.documentElement.scrollWidth);
    t.ok(sw <= width, `at ${width} px nothing scrolls sideways`, String(sw));
    await p.screenshot({ path: shotPath(`limits-login-${width}.png`), fullPage: true });
    await ctx.close();
  }

  // Registrations: 30 from this address, then the form refuses.
  let made = 0;
  for (let i = 0; i < 30; i++) {
    const x = await new Api(srv.base).post(`/api/v1/tenders/${wor}/register`, {
      org_name: `Aanmelder ${i} (browser)`, kvk: `8${String(i).padStart(7, '0')}`,
      name: `Aanmelder ${i}`, email: `aanmelder${i}@browser.example`, password: 'aanmelden-2026!',
    });
    made += x.status === 201;
  }
  t.ok(made === 30, 'thirty organisations register from one address (API)', String(made));
  for (const [width, height] of [[1400, 900], [390, 844]]) {
    const p = await browser.newPage({ viewport: { width, height } });
    await p.goto(`${srv.base}/tenders/${wor}/register`);
    await p.fill('#f-org_name', 'Eenendertig (browser)');
    await p.fill('#f-kvk', '89999999');
    await p.fill('#f-name', 'Eva Eenendertig');
    await p.fill('#f-email', `eva${width}@browser.example`);
    await p.fill('#f-password', 'aanmelden-2026!');
    const [resp] = await Promise.all([p.waitForNavigation(),
      p.locator(`form[action="/tenders/${wor}/register"] button[type=submit]`).click()]);
    const msg = await p.locator('.error-summary').first().innerText().catch(() => '');
    t.ok(resp.status() === 429 && msg.length > 0,
      `at ${width} px the next registration is refused on the form, saying why`, `${resp.status()} ${msg}`);
    t.ok(await p.inputValue('#f-org_name') === 'Eenendertig (browser)', 'what was typed is kept');
    const sw = await p.evaluate(() => document.documentElement.scrollWidth);
    t.ok(sw <= width, `at ${width} px nothing scrolls sideways`, String(sw));
    await p.screenshot({ path: shotPath(`limits-register-${width}.png`), fullPage: true });
    await p.close();
  }
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
