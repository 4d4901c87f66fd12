// Bids of several documents in the browser (issue 11 item 4).  Set up
// through the API (a procedure with its tender deadline tomorrow, a
// vault, a candidate with a bidder account); the buyer lists the lot's
// documents on the vault page (a refused one comes back at its field);
// the bidder sees the checklist, uploads three documents, one on a
// throttled connection so the progress bar, the disabled button and the
// confirmation can be seen, one without JavaScript (the plain form), and
// gets the receipt of the whole bid listing every document with the
// SHA-256 this test computes itself.  Screenshots at 1400 and 390 px go
// to $SCREENSHOT_DIR (kavel.mjs shotPath: build-screens/).
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Tap, startServer, launch, login, shotPath, tenderWithVault } from './kavel.mjs';

const sha = b => createHash('sha256').update(b).digest('hex');

const t = new Tap();
const srv = await startServer();
const browser = await launch();
try {
  const { a, pid, lot } = await tenderWithVault(t, srv.base, {
    reference: 'DOR-BIDS-BROWSER', title: 'Inschrijven met documenten',
    candidate: 'Documentbieder (browser)', kvk: '92345670', email: 'docs@browser.example',
    password: 'browser-bieder-2024', passes: ['browser bids vault A', 'browser bids vault B'],
  });

  // ---- the buyer lists the documents on the vault page ----
  const bp = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await login(bp, srv.base, 'buyer@dordrecht.example');
  await bp.goto(`${srv.base}/procedures/${pid}/vault`);
  const add = async (name, mib, required) => {
    await bp.fill('#f-lot-1-name', name);
    await bp.fill('#f-lot-1-max_mib', String(mib));
    await bp.setChecked('#f-lot-1-required', required);
    await Promise.all([bp.waitForNavigation(), bp.click('form[action$="/bid-documents"] button[type=submit]')]);
  };
  await add('', 5, true);
  t.ok(await bp.locator('#err-f-lot-1-name').count() === 1,
    'a document without a name is refused at its field');
  await add('Plan van aanpak', 20, true);
  await add('Prijsformulier', 2, true);
  await add('Bijlagen', 10, false);
  const rows = await bp.locator('#bid-documents ~ table tbody tr').allInnerTexts();
  t.ok(rows.length === 3 && /Plan van aanpak/.test(rows[0]) && /20 MB/.test(rows[0]),
    'the vault page lists the three documents with their limits', rows.join(' | '));
  await bp.screenshot({ path: shotPath('bids-buyer-1400.png'), fullPage: true });

  // ---- the bidder: the checklist and three uploads ----
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const p = await ctx.newPage();
  await login(p, srv.base, 'docs@browser.example', 'browser-bieder-2024');
  await p.goto(`${srv.base}/procedures/${pid}/lots/${lot}/submit`);
  t.ok(await p.locator('ol.checklist > li').count() === 3 && await p.locator('#missing').count() === 1,
    'the bidder sees a checklist of three documents, two required still missing');
  await p.screenshot({ path: shotPath('bids-checklist-1400.png'), fullPage: true });

  const files = {
    plan: Buffer.concat([Buffer.from('%PDF-1.4\n% plan van aanpak\n'), randomBytes(3 * 1024 * 1024)]),
    price: Buffer.concat([Buffer.from('PK\x03\x04 prijsformulier'), randomBytes(40 * 1024)]),
    annex: Buffer.concat([Buffer.from('%PDF-1.4\n% bijlage\n'), randomBytes(20 * 1024)]),
  };
  // The plan on a slow connection: the progress is there to be seen.
  const cdp = await ctx.newCDPSession(p);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 20, downloadThroughput: 10e6, uploadThroughput: 1.5e6 });
  const form1 = p.locator('ol.checklist > li').nth(0).locator('form.upload');
  await form1.locator('input[type=file]').setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: files.plan });
  const nav = p.waitForNavigation({ timeout: 60000 });
  await form1.locator('button[type=submit]').click();
  await p.waitForSelector('form.upload progress', { timeout: 5000 });
  const during = await p.evaluate(() => new Promise(res => setTimeout(() => {
    const bar = document.querySelector('form.upload progress');
    const btn = bar && bar.closest('form').querySelector('button[type=submit]');
    res({ value: bar ? bar.value : -1, disabled: btn ? btn.disabled : false,
      text: (document.querySelector('.upload-status') || {}).textContent || '' });
  }, 700)));
  t.ok(during.value > 0 && during.value < 100 && during.disabled && /%/.test(during.text),
    'while it is sent: a progress bar between 0 and 100 %, its text, the button disabled', JSON.stringify(during));
  await p.screenshot({ path: shotPath('bids-progress-1400.png') });
  await nav;
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  t.ok(/\/submit\?received=\d+/.test(p.url()) &&
       (await p.locator('#received').innerText()).includes(sha(files.plan)),
    'at the end the checklist confirms the plan with its SHA-256', p.url());

  const upload = async (i, name, buffer) => {
    const f = p.locator('ol.checklist > li').nth(i).locator('form.upload');
    await f.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
    await Promise.all([p.waitForNavigation(), f.locator('button[type=submit]').click()]);
  };
  await upload(1, 'prijs.xlsx', files.price);
  t.ok(await p.locator('#complete').count() === 1, 'with the price form every required document is in');

  // The annex without JavaScript: the plain form still works.
  const noJs = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 390, height: 844 } });
  const q = await noJs.newPage();
  await login(q, srv.base, 'docs@browser.example', 'browser-bieder-2024');
  await q.goto(`${srv.base}/procedures/${pid}/lots/${lot}/submit`);
  const f3 = q.locator('ol.checklist > li').nth(2).locator('form');
  await f3.locator('input[type=file]').setInputFiles({ name: 'bijlage.pdf', mimeType: 'application/pdf', buffer: files.annex });
  await Promise.all([q.waitForNavigation(), f3.locator('button[type=submit]').click()]);
  t.ok((await q.locator('#received').innerText()).includes(sha(files.annex)),
    'without JavaScript the plain form uploads the annex and confirms it');
  await q.screenshot({ path: shotPath('bids-checklist-390.png'), fullPage: true });

  // ---- the receipt of the whole bid ----
  await p.goto(`${srv.base}/procedures/${pid}/lots/${lot}/bid`);
  const text = await p.locator('main').innerText().catch(async () => p.locator('body').innerText());
  t.ok([files.plan, files.price, files.annex].every(b => text.includes(sha(b))) &&
       /UTC/.test(text) && await p.locator('#bid-digest').count() === 1,
    'one receipt lists every document with its SHA-256, the server time and the bid digest');
  await p.screenshot({ path: shotPath('bids-receipt-1400.png'), fullPage: true });
  await q.goto(`${srv.base}/procedures/${pid}/lots/${lot}/bid`);
  await q.screenshot({ path: shotPath('bids-receipt-390.png'), fullPage: true });
  await noJs.close();
  await ctx.close();
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
