// The public tender pages in the browser (issue 11): the buyer publishes
// a procurement document on the procedure's Documenten tab; /tenders is
// filtered with its GET form; the tender page lists the lots, stages and
// the document, which downloads; photographed at 1400 and 390 px, with
// no sideways scrolling at 390.
//
// Set up through the API: a restricted procedure of two lots, its first
// stages planned an hour ahead, and its publication.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Tap, Api, startServer, launch, login, localInSecs, shotPath } from './kavel.mjs';

const REF = 'DOR-TENDERPAGE-BROWSER';
const TITLE = 'Schoonmaak wijkcentra (browsertest)';
const PDF = Buffer.from('%PDF-1.4\n% leidraad voor de browsertest\n');

const t = new Tap();
const srv = await startServer();
const browser = await launch();
const text = async (page, sel = 'main') => (await page.locator(sel).first().innerText().catch(() => '')).replace(/\s+/g, ' ');
const overflow = page => page.evaluate(() =>
  document.documentElement.scrollWidth - document.documentElement.clientWidth);
try {
  const a = new Api(srv.base);
  t.ok((await a.login('buyer@dordrecht.example')).status === 200, 'the buyer logs in (API)');
  let r = await a.post('/api/v1/procedures', {
    reference: REF, title: TITLE, type: 'restricted', cpv: '90910000-9', value: '300.000',
    lots: [{ title: 'Wijkcentrum Noord', value: '150.000' }, { title: 'Wijkcentrum Zuid', value: '150.000' }],
  });
  t.ok(r.status === 201, 'a restricted procedure of two lots is created', r.text.slice(0, 200));
  const pid = r.json.id;
  const stages = r.json.stages;
  for (let i = 0; i < 4; i++) {
    const s = stages[i];
    const body = { start: localInSecs(3600 + i) };
    if (s.kind === 'registration') body.end = localInSecs(7200);
    if (s.kind === 'application-deadline') body.start = localInSecs(7200);
    await a.post(`/api/v1/procedures/${pid}/stages/${s.id}/move`, body);
  }
  t.ok((await a.post(`/api/v1/procedures/${pid}/publish`, {})).status === 201, 'and published');

  // ---- the buyer publishes a document on the Documenten tab ----
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const buyer = await ctx.newPage();
  await login(buyer, srv.base, 'buyer@dordrecht.example');
  await buyer.goto(`${srv.base}/procedures/${pid}`);
  const tab = buyer.locator(`a[href="/procedures/${pid}/documents"]`).first();
  t.ok(await tab.count() === 1, 'the procedure has a Documenten tab');
  await Promise.all([buyer.waitForNavigation(), tab.click()]);
  const form = buyer.locator(`form[action="/procedures/${pid}/documents"]`);
  t.ok(await form.count() === 1, 'the tab holds the publishing form');
  // Refused first: no title.
  const file = join(tmpdir(), 'Aanbestedingsleidraad schoonmaak.pdf');
  writeFileSync(file, PDF);
  await form.locator('select[name=kind]').selectOption('leidraad');
  await form.locator('input[type=file][name=content]').setInputFiles(file);
  await Promise.all([buyer.waitForNavigation(), form.locator('button[type=submit]').click()]);
  t.ok(await buyer.locator('#f-title[aria-invalid="true"]').count() === 1,
    'without a title the form is refused at the title', await text(buyer, '.error-summary'));
  const form2 = buyer.locator(`form[action="/procedures/${pid}/documents"]`);
  await form2.locator('select[name=kind]').selectOption('leidraad');
  await form2.locator('input[name=title]').fill('Aanbestedingsleidraad');
  await form2.locator('input[type=file][name=content]').setInputFiles(file);
  await Promise.all([buyer.waitForNavigation(), form2.locator('button[type=submit]').click()]);
  const listed = await text(buyer, 'ul.docs');
  t.ok(/Aanbestedingsleidraad/.test(listed) && /leidraad/.test(listed),
    'the document is listed with its version', listed);
  await buyer.screenshot({ path: shotPath('tender-documents-1400.png'), fullPage: true });

  // ---- anyone: /tenders filtered ----
  const anon = await (await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })).newPage();
  await anon.goto(`${srv.base}/tenders`);
  const filter = anon.locator('form[action="/tenders"]');
  t.ok(await filter.count() === 1 && (await filter.getAttribute('method')) === 'get', 'the list has a GET filter form');
  await filter.locator('input[name=cpv]').fill('9091');
  await Promise.all([anon.waitForNavigation(), filter.locator('button[type=submit]').click()]);
  const rows = anon.locator('table.tenders tbody tr');
  t.ok(await rows.count() === 1 && /schoonmaak/i.test(await text(anon, 'table.tenders')),
    'filtered on CPV 9091 the list holds this procedure only', await text(anon, 'table.tenders'));
  t.ok(/cpv=9091/.test(anon.url()), 'the filter is in the URL');
  await anon.screenshot({ path: shotPath('tender-list-1400.png'), fullPage: true });

  // ---- the tender page and the download ----
  await Promise.all([anon.waitForNavigation(), anon.locator(`a[href="/tenders/${pid}"]`).click()]);
  const main = await text(anon);
  t.ok(main.includes(TITLE) && main.includes('Wijkcentrum Noord') && main.includes('Wijkcentrum Zuid'),
    'the tender page shows the title and both lots');
  t.ok(/\d{1,2} (januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december) 20\d\d, \d\d:\d\d/.test(main),
    'with dates in Dutch words');
  t.ok(await anon.locator(`a[href="/tenders/${pid}/register"]`).count() === 1, 'and the register button');
  const link = anon.locator('ul.docs a').first();
  const href = await link.getAttribute('href');
  const got = await fetch(srv.base + href);
  const body = Buffer.from(await got.arrayBuffer());
  t.ok(got.status === 200 && body.equals(PDF) && got.headers.get('content-type') === 'application/pdf' &&
       /^inline; filename\*=UTF-8''Aanbestedingsleidraad%20schoonmaak\.pdf$/.test(got.headers.get('content-disposition')),
  'the document downloads as it was published, inline with its name', got.headers.get('content-disposition'));
  await anon.screenshot({ path: shotPath('tender-page-1400.png'), fullPage: true });

  // ---- 390 px ----
  const small = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  for (const [name, path] of [['tender-list', '/tenders?cpv=9091'], ['tender-list-all', '/tenders'],
    ['tender-page', `/tenders/${pid}`]]) {
    await small.goto(srv.base + path);
    const over = await overflow(small);
    t.ok(over <= 0, `${name}: no sideways scrolling at 390 px`, `scrollWidth exceeds by ${over} px`);
    await small.screenshot({ path: shotPath(`${name}-390.png`), fullPage: true });
  }
  const sb = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await login(sb, srv.base, 'buyer@dordrecht.example');
  await sb.goto(`${srv.base}/procedures/${pid}/documents`);
  const over = await overflow(sb);
  t.ok(over <= 0, 'the documents tab: no sideways scrolling at 390 px', `scrollWidth exceeds by ${over} px`);
  await sb.screenshot({ path: shotPath('tender-documents-390.png'), fullPage: true });
} catch (e) {
  t.ok(false, 'browser flow ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
