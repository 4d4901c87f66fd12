// Storage quotas in the browser (issue 13 item 3).  Set up through the
// API (a procedure with its tender deadline tomorrow, a vault, a
// candidate with a bidder account); the buyer sets the limits on the
// vault page's form (a total below the largest file comes back at its
// field, nothing changed; then 1 file and 5 MiB per bidder and lot); the
// bidder's submit page says what its bid holds against them, one file is
// taken, a second is refused on the page with the reason, and a withdrawn
// file makes room again.  Screenshots at 1400 and 390 px go to
// build-screens/ (kavel.mjs shotPath).
import { randomBytes } from 'node:crypto';
import { Tap, startServer, launch, login, Api, shotPath, tenderWithVault } from './kavel.mjs';

const t = new Tap();
const srv = await startServer();
const browser = await launch();
try {
  const { a, pid, lot } = await tenderWithVault(t, srv.base, {
    reference: 'DOR-QUOTA-BROWSER', title: 'Inschrijven binnen grenzen',
    candidate: 'Quotabieder (browser)', kvk: '92345671', email: 'quota@browser.example',
    password: 'browser-bieder-2024', passes: ['browser quota vault A', 'browser quota vault B'],
  });
  let r;

  // ---- the buyer sets the limits on the vault page ----
  const bp = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await login(bp, srv.base, 'buyer@dordrecht.example');
  await bp.goto(`${srv.base}/procedures/${pid}/vault`);
  const limits = 'form[action$="/vault/limit"]';
  t.ok(await bp.inputValue('#f-quota_files') === '20' && await bp.inputValue('#f-quota_mib') === '1024',
    'the form shows the defaults: 20 files, 1024 MiB');
  await bp.fill('#f-max_mib', '8');
  await bp.fill('#f-quota_files', '1');
  await bp.fill('#f-quota_mib', '5');
  await Promise.all([bp.waitForNavigation(), bp.click(`${limits} button[type=submit]`)]);
  const fieldError = await bp.locator('#f-quota_mib-error, [id="f-quota_mib"] ~ .field-error, .field-error')
    .first().innerText().catch(() => '');
  t.ok(/8 MiB|8 MB/.test(fieldError) && /5 MiB|5 MB/.test(fieldError),
    'a total below the largest file is refused at its field, naming both', fieldError);
  await bp.screenshot({ path: shotPath('quota-limits-refused-1400.png'), fullPage: true });
  r = await a.get(`/api/v1/procedures/${pid}/vault`);
  t.ok(r.json.limits.quota_files === 20, 'and nothing changed', JSON.stringify(r.json.limits));
  await bp.fill('#f-max_mib', '4');
  await bp.fill('#f-quota_files', '1');
  await bp.fill('#f-quota_mib', '5');
  await Promise.all([bp.waitForNavigation(), bp.click(`${limits} button[type=submit]`)]);
  const text = await bp.locator('main').innerText();
  t.ok(/at most 1 files and 5 MiB|ten hoogste 1 bestanden en samen 5 MB/.test(text),
    'the vault page states the new limits', text.slice(0, 400));
  r = await a.get(`/api/v1/procedures/${pid}/vault`);
  t.ok(r.json.limits.quota_files === 1 && r.json.limits.quota_bytes === 5 * 1048576 &&
       r.json.limits.max_bytes === 4 * 1048576, 'and the API shows them', JSON.stringify(r.json.limits));
  await bp.locator(limits).scrollIntoViewIfNeeded();
  await bp.screenshot({ path: shotPath('quota-limits-1400.png'), fullPage: true });
  const bn = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await login(bn, srv.base, 'buyer@dordrecht.example');
  await bn.goto(`${srv.base}/procedures/${pid}/vault`);
  const wide = await bn.evaluate(() => document.documentElement.scrollWidth);
  t.ok(wide <= 390, 'at 390 px the vault page does not scroll sideways', String(wide));
  await bn.screenshot({ path: shotPath('quota-limits-390.png'), fullPage: true });

  // ---- the bidder ----
  for (const [width, height] of [[1400, 900], [390, 844]]) {
    const p = await browser.newPage({ viewport: { width, height } });
    await login(p, srv.base, 'quota@browser.example', 'browser-bieder-2024');
    await p.goto(`${srv.base}/procedures/${pid}/lots/${lot}/submit`);
    if (width === 1400) {
      const room = await p.locator('#room').innerText().catch(() => '');
      t.ok(/0 .*1 .*0 .*5 Mi?B/.test(room), 'the submit page says the bid holds 0 of 1 files, 0 of 5 MiB', room);
      const content = Buffer.concat([Buffer.from('%PDF-1.4\n% quota\n'), randomBytes(200 * 1024)]);
      await p.setInputFiles('#f-file', { name: 'plan.pdf', mimeType: 'application/pdf', buffer: content });
      await Promise.all([p.waitForNavigation(), p.click('form[enctype="multipart/form-data"] button[type=submit]')]);
      t.ok(/\/receipt$/.test(new URL(p.url()).pathname), 'the first file is taken: its receipt', p.url());
      await p.goto(`${srv.base}/procedures/${pid}/lots/${lot}/submit`);
      const room2 = await p.locator('#room').innerText().catch(() => '');
      t.ok(/1 .*1 .*1 .*5 Mi?B/.test(room2), 'now it holds 1 of 1 files, 1 of 5 MiB', room2);
    } else {
      await p.goto(`${srv.base}/procedures/${pid}/lots/${lot}/submit`);
    }
    const second = Buffer.concat([Buffer.from('%PDF-1.4\n% tweede\n'), randomBytes(10 * 1024)]);
    await p.setInputFiles('#f-file', { name: 'bijlage.pdf', mimeType: 'application/pdf', buffer: second });
    // kavel.js sends it with a progress bar; a refusal replaces the page
    // without a navigation.
    await p.click('form[enctype="multipart/form-data"] button[type=submit]');
    await p.waitForSelector('.error-summary, .field-error', { timeout: 30000 }).catch(() => null);
    const err = await p.locator('.error-summary, .field-error').first().innerText().catch(() => '');
    t.ok(/1 file|1 bestand/.test(err), `at ${width} px a second file is refused on the page, saying why`, err);
    const sw = await p.evaluate(() => document.documentElement.scrollWidth);
    t.ok(sw <= width, `at ${width} px the page does not scroll sideways`, String(sw));
    await p.screenshot({ path: shotPath(`quota-refused-${width}.png`), fullPage: true });
    await p.close();
  }

  // A withdrawn file makes room again.
  const bidder = new Api(srv.base);
  await bidder.login('quota@browser.example', 'browser-bieder-2024');
  r = await a.get(`/api/v1/procedures/${pid}/vault`);
  const sub = r.json.submissions.find(s => !s.withdrawn_at);
  r = await bidder.post(`/api/v1/procedures/${pid}/submissions/${sub.id}/withdraw`, {});
  t.ok(r.status === 200, 'the bidder withdraws its file', r.text.slice(0, 200));
  r = await bidder.req('POST', `/api/v1/procedures/${pid}/lots/${lot}/submissions`, null, {
    raw: Buffer.concat([Buffer.from('\0'), randomBytes(1000)]), headers: { 'X-File-Name': 'opnieuw.bin' },
  });
  t.ok(r.status === 201, 'and the next file is taken', r.text.slice(0, 200));
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
