// Issue 11's whole way, in the browser: an organisation takes part in
// tenders with one account, and the assessors do their job inside Kavel.
//
// Set up through the API (the buyer's side, tested elsewhere): two buyers'
// vault passphrases; procedure A (restricted, one lot) with three bid
// documents, award rules, the demo assessor assigned, its application
// deadline and tender deadline seconds ahead, published, with its vault;
// procedure B, published, its deadlines far ahead.
//
// In the browser: a new organisation registers for A from the public
// tender page as the penvoerder of a consortium naming a member; it
// invites a colleague, who makes an account with the one-time link; it
// takes part in B with the same account (two clicks); the member
// organisation registers for B with its own account and confirms its
// membership of A from there, which the penvoerder then sees; the
// colleague uploads the bid's three documents, one on a throttled
// connection to see the progress, and gets the receipt listing all three;
// after the deadline two buyers open the vault; the assessor opens a
// bid's document from the scoring matrix, fills the matrix and hands
// in; the buyer records the consensus.  Screenshots at 1400 and 390 px.
import { createHash, randomBytes } from 'node:crypto';
import { Tap, Api, startServer, launch, login, localInSecs, sleep, shotPath } from './kavel.mjs';

const PASS_A = 'org journey vault passphrase A';
const PASS_B = 'org journey vault passphrase B';
const APPLY_IN = 45;      // seconds from planning to A's application deadline
const TENDER_IN = 80;     // ... and to its tender deadline
const LEAD = { org: 'Wijkverband Reis (browser)', kvk: '83456780' };
const MEMBER = { org: 'Buurtmaat Reis (browser)', kvk: '83456781' };
const ANNA = { name: 'Anna Penvoerder', email: 'anna@wijkverband-reis.example', password: 'wijkverband-reis-2026' };
const BERT = { name: 'Bert Collega', email: 'bert@wijkverband-reis.example', password: 'bert-collega-2026!' };
const MIA = { name: 'Mia Lid', email: 'mia@buurtmaat-reis.example', password: 'buurtmaat-reis-2026' };
const sha = b => createHash('sha256').update(b).digest('hex');

const t = new Tap();
const srv = await startServer();
const browser = await launch();
const text = async (page, sel = 'main') =>
  (await page.locator(sel).first().innerText().catch(() => '')).replace(/\s+/g, ' ');
const submit = async (page, form, timeout = 30000) => {
  await Promise.all([page.waitForNavigation({ timeout }), form.locator('button[type=submit]').click()]);
};
const noSideways = async page => page.evaluate(() =>
  document.documentElement.scrollWidth <= window.innerWidth + 1);
async function shots(page, name) {
  let ok = true;
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: shotPath(`journey-org-${name}-${width}.png`), fullPage: true });
    ok &&= await noSideways(page);
  }
  await page.setViewportSize({ width: 1400, height: 900 });
  return ok;
}
const newPage = async () => (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();

try {
  // ---- the buyer's set-up, through the API ----
  const a = new Api(srv.base);
  const b = new Api(srv.base);
  t.ok((await a.login('buyer@dordrecht.example')).status === 200 &&
       (await b.login('buyer2@dordrecht.example')).status === 200, 'two buyers log in (API)');
  t.ok((await a.post('/api/v1/account/vault-key', { passphrase: PASS_A })).status === 201 &&
       (await b.post('/api/v1/account/vault-key', { passphrase: PASS_B })).status === 201,
  'both set a vault passphrase');
  const made = async (reference, title) => (await a.post('/api/v1/procedures', {
    reference, title, type: 'restricted', cpv: '85310000-5', value: '400.000',
    lots: [{ title: 'Wijkteam Oost', value: '200.000' }],
  })).json;
  const A = await made('DOR-REIS-A', 'Wijkteams Oost (reis)');
  const B = await made('DOR-REIS-B', 'Jongerenwerk (reis)');
  t.ok(A && B, 'two restricted procedures are made');
  const baseA = `/api/v1/procedures/${A.id}`;
  const lot = A.lots[0].id;
  let ok = true;
  for (const [name, mib, req] of [['Plan van aanpak', 20, true], ['Prijsformulier', 2, true], ['Bijlagen', 10, false]])
    ok &&= (await a.post(`${baseA}/lots/${lot}/bid-documents`, { name, max_mib: mib, required: req })).status === 201;
  ok &&= (await a.post(`${baseA}/lots/${lot}/award/rules`, {
    method: 'weighted', price_scoring: 'relative', price_weight_bp: 4000, tie_rule: 'lowest-price',
    price_after_quality: true,
    criteria: [{ key: 'plan', name: 'Plan van aanpak', weight_bp: 10000, marks: [1, 10] }],
  })).status === 200;
  ok &&= (await a.post(`${baseA}/assessors`, { email: 'assessor@dordrecht.example' })).status === 201;
  ok &&= (await a.post(`${baseA}/lots/${lot}/award/assign`,
    { assessor: 'assessor@dordrecht.example', criteria: ['*'] })).status === 200;
  t.ok(ok, 'A asks for three documents per bid, has award rules and an assigned assessor');
  for (const [P, apply, tender] of [[A, APPLY_IN, TENDER_IN], [B, 30 * 86400, 40 * 86400]]) {
    const base = `/api/v1/procedures/${P.id}`;
    ok &&= (await a.post(`${base}/selection-criteria`, { key: 'ervaring', title: 'Ervaring' })).status === 201;
    const t0 = Date.now();
    const at = secs => localInSecs(secs - (Date.now() - t0) / 1000);
    const plan = {
      'pre-announcement': [2], registration: [2, apply], 'document-issued': [3],
      'application-deadline': [apply], selection: [apply + 1, apply + 2], 'tender-deadline': [tender],
    };
    for (const s of (await a.get(base)).json.stages) {
      const p = plan[s.kind];
      if (!p) break;
      const body = { start: at(p[0]) };
      if (p[1]) body.end = at(p[1]);
      const m = await a.post(`${base}/stages/${s.id}/move`, body);
      ok &&= m.status === 200;
      if (s.kind === 'tender-deadline') P.deadline = m.json.stages.find(x => x.id === s.id).end.utc;
    }
    ok &&= (await a.post(`${base}/publish`, {})).status === 201;
  }
  ok &&= (await a.post(`${baseA}/vault`, {})).status === 201;
  t.ok(ok && A.deadline, 'both are planned and published; A has its vault');

  // ---- a new organisation registers for A from its tender page ----
  const anna = await newPage();
  await anna.goto(`${srv.base}/tenders/${A.id}`);
  const regLink = anna.locator(`main a[href="/tenders/${A.id}/register"]`).first();
  t.ok(await regLink.count() === 1, 'the public tender page offers to register interest');
  await Promise.all([anna.waitForNavigation(), regLink.click()]);
  await anna.fill('#f-org_name', LEAD.org);
  await anna.fill('#f-kvk', LEAD.kvk);
  await anna.fill('#f-name', ANNA.name);
  await anna.fill('#f-email', ANNA.email);
  await anna.fill('#f-password', ANNA.password);
  await anna.fill('#f-consortium_name', 'Samen Oost (browser)');
  await anna.fill('#f-parties_1_org_name', MEMBER.org);
  await anna.fill('#f-parties_1_kvk', MEMBER.kvk);
  await anna.selectOption('#f-parties_1_role', 'member');
  await submit(anna, anna.locator(`form[action="/tenders/${A.id}/register"]`));
  t.ok(new URL(anna.url()).pathname === '/login', 'the registration makes the organisation account', anna.url());
  await login(anna, srv.base, ANNA.email, ANNA.password);
  await anna.goto(`${srv.base}/organisation`);
  let org = await text(anna);
  t.ok(org.includes(LEAD.org) && org.includes('DOR-REIS-A'), 'its organisation page shows tender A', org.slice(0, 300));

  // ---- it invites a colleague ----
  const invite = anna.locator('form[action="/organisation/invitations"]');
  await invite.locator('input[name=email]').fill(BERT.email);
  await submit(anna, invite);
  const link = await anna.locator('a.invite-link').getAttribute('href').catch(() => null);
  t.ok(link && /token=/.test(link), 'the invitation shows its one-time link', link);
  await shots(anna, 'invitation');
  const bert = await newPage();
  await bert.goto(new URL(link, srv.base).href);
  await bert.fill('#f-name', BERT.name);
  await bert.fill('#f-password', BERT.password);
  await submit(bert, bert.locator('form[action="/invitation"]'));
  await login(bert, srv.base, BERT.email, BERT.password);
  await bert.goto(`${srv.base}/organisation`);
  t.ok((await text(bert)).includes(LEAD.org) && (await text(bert)).includes(ANNA.email),
    'the colleague joins the organisation with the link and logs in');

  // ---- the same account takes part in B: two clicks ----
  await anna.goto(`${srv.base}/tenders/${B.id}`);
  await Promise.all([anna.waitForNavigation(), anna.locator(`main a[href="/tenders/${B.id}/register"]`).first().click()]);
  t.ok((await text(anna)).includes(LEAD.kvk), 'logged in, the registration knows the organisation');
  await submit(anna, anna.locator(`form[action="/tenders/${B.id}/register"]`));
  org = await text(anna);
  t.ok(new URL(anna.url()).pathname === '/organisation' && org.includes('DOR-REIS-A') && org.includes('DOR-REIS-B'),
    'one account takes part in both tenders', org.slice(0, 400));

  // ---- the member organisation confirms from its own account ----
  const mia = await newPage();
  await mia.goto(`${srv.base}/tenders/${B.id}/register`);
  await mia.fill('#f-org_name', MEMBER.org);
  await mia.fill('#f-kvk', MEMBER.kvk);
  await mia.fill('#f-name', MIA.name);
  await mia.fill('#f-email', MIA.email);
  await mia.fill('#f-password', MIA.password);
  await submit(mia, mia.locator(`form[action="/tenders/${B.id}/register"]`));
  await login(mia, srv.base, MIA.email, MIA.password);
  await mia.goto(`${srv.base}/organisation`);
  const confirm = mia.locator('form[action^="/organisation/memberships/"]');
  t.ok(await confirm.count() === 1 && (await text(mia)).includes('DOR-REIS-A'),
    'the member sees the consortium of A naming it, with a confirm button');
  await anna.goto(`${srv.base}/organisation`);
  t.ok(/niet bevestigd|not confirmed/i.test(await text(anna)), 'the penvoerder sees the member as not confirmed yet');
  const box = confirm.locator('input[type=checkbox]');
  if (await box.count()) await box.check();
  await submit(mia, confirm);
  await anna.goto(`${srv.base}/organisation`);
  t.ok(/bevestigd|confirmed/i.test(await text(anna)) && !/niet bevestigd|not confirmed/i.test(await text(anna)),
    'after the member confirms, the penvoerder sees it confirmed', (await text(anna)).slice(0, 400));
  t.ok(await shots(anna, 'organisation'), 'the organisation page: no sideways scroll at 1400 and 390 px');
  t.ok(Date.now() / 1000 < A.deadline - (TENDER_IN - APPLY_IN), 'all this before the application deadline');

  // ---- the colleague hands in the bid's three documents ----
  const bctx = bert.context();
  await bert.goto(`${srv.base}/procedures/${A.id}/lots/${lot}/submit`);
  t.ok(await bert.locator('ol.checklist > li').count() === 3, 'the bid page lists three documents');
  const files = {
    plan: Buffer.concat([Buffer.from('%PDF-1.4\n% plan van aanpak (reis)\n'), randomBytes(3 * 1024 * 1024)]),
    price: Buffer.concat([Buffer.from('PK\x03\x04 prijsformulier'), randomBytes(30 * 1024)]),
    annex: Buffer.concat([Buffer.from('%PDF-1.4\n% bijlage\n'), randomBytes(20 * 1024)]),
  };
  const cdp = await bctx.newCDPSession(bert);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 20, downloadThroughput: 10e6, uploadThroughput: 1.5e6 });
  const f1 = bert.locator('ol.checklist > li').nth(0).locator('form.upload');
  await f1.locator('input[type=file]').setInputFiles({ name: 'plan.pdf', mimeType: 'application/pdf', buffer: files.plan });
  const nav = bert.waitForNavigation({ timeout: 60000 });
  await f1.locator('button[type=submit]').click();
  await bert.waitForSelector('form.upload progress', { timeout: 5000 });
  const during = await bert.evaluate(() => new Promise(res => setTimeout(() => {
    const bar = document.querySelector('form.upload progress');
    const btn = bar && bar.closest('form').querySelector('button[type=submit]');
    res({ value: bar ? bar.value : -1, disabled: btn ? btn.disabled : false });
  }, 700)));
  t.ok(during.value > 0 && during.value < 100 && during.disabled,
    'the upload shows its progress with the button disabled', JSON.stringify(during));
  await bert.screenshot({ path: shotPath('journey-org-progress-1400.png') });
  await nav;
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  for (const [i, name, buf] of [[1, 'prijs.xlsx', files.price], [2, 'bijlage.pdf', files.annex]]) {
    const f = bert.locator('ol.checklist > li').nth(i).locator('form.upload');
    await f.locator('input[type=file]').setInputFiles({ name, mimeType: 'application/octet-stream', buffer: buf });
    await Promise.all([bert.waitForNavigation(), f.locator('button[type=submit]').click()]);
  }
  await bert.goto(`${srv.base}/procedures/${A.id}/lots/${lot}/bid`);
  const receipt = await text(bert);
  t.ok([files.plan, files.price, files.annex].every(x => receipt.includes(sha(x))) &&
       await bert.locator('#bid-digest').count() === 1,
  'one receipt lists the three documents with their SHA-256 and the bid digest');
  t.ok(await shots(bert, 'receipt'), 'the receipt: no sideways scroll at 1400 and 390 px');
  t.ok(Date.now() / 1000 < A.deadline, 'the bid is in before the tender deadline',
    `${Math.round(A.deadline - Date.now() / 1000)} s left`);

  // ---- after the deadline: two buyers open the vault ----
  await sleep(A.deadline * 1000 + 1500 - Date.now());
  const buyer = await newPage();
  await login(buyer, srv.base, 'buyer@dordrecht.example');
  await buyer.goto(`${srv.base}/procedures/${A.id}/vault`);
  const open = buyer.locator('form[action$="/vault/open"]');
  await open.locator('#f-email_a').selectOption('buyer@dordrecht.example');
  await open.locator('#f-passphrase_a').fill(PASS_A);
  await open.locator('#f-email_b').selectOption('buyer2@dordrecht.example');
  await open.locator('#f-passphrase_b').fill(PASS_B);
  await open.locator('input[name=confirm]').check();
  await submit(buyer, open, 60000);
  t.ok(/3 \/ 3/.test(await text(buyer, 'p.notice[role=status]')),
    'two buyers open the vault; the three documents match their receipts');
  t.ok(await buyer.locator(`a[href^="/procedures/${A.id}/submissions/"][href$="/document"]`).count() === 3,
    'the vault page links each document to read');
  t.ok(await shots(buyer, 'vault-opened'), 'the opened vault: no sideways scroll at 1400 and 390 px');

  // ---- the assessor reads a document and fills the matrix ----
  const asr = await newPage();
  await login(asr, srv.base, 'assessor@dordrecht.example');
  const scoring = `${srv.base}/procedures/${A.id}/lots/${lot}/award/scoring`;
  await asr.goto(scoring);
  const m = asr.locator('form#score-matrix');
  const docLink = m.locator('a.bid-doc', { hasText: 'plan.pdf' }).first();
  t.ok(await docLink.count() === 1, 'the matrix links the bid\'s plan');
  const href = await docLink.getAttribute('href');
  const got = await asr.context().request.get(new URL(href, srv.base).href);
  const body = await got.body();
  t.ok(got.status() === 200 && got.headers()['content-type'] === 'application/pdf' &&
       /^inline/.test(got.headers()['content-disposition'] || '') && sha(body) === sha(files.plan),
  'the assessor opens the plan in the browser (a PDF, inline), byte for byte', `${got.status()} ${got.headers()['content-type']}`);
  const cell = m.locator('td.cell').first();
  await cell.locator('select').selectOption('8');
  await cell.locator('textarea').fill('Een sterk plan met de wijk (reis).');
  await submit(asr, m);
  const hand = asr.locator('form[action$="/award/hand-in"]');
  await hand.locator('input[name=confirm]').check();
  await submit(asr, hand);
  t.ok(await asr.locator('form#score-matrix').count() === 0 &&
       (await text(asr, 'table.matrix')).includes('Een sterk plan met de wijk (reis).'),
  'the assessor fills the matrix and hands in');
  t.ok(await shots(asr, 'matrix-handed-in'), 'the handed-in matrix: no sideways scroll at 1400 and 390 px');
  const audit = await a.get(`${baseA}/audit`);
  const reads = audit.json.events.filter(e => e.action === 'submission.read');
  t.ok(reads.some(e => e.actor_name.startsWith('Beoordelaar')), 'the read is in the audit trail', reads.length);

  // ---- the buyer records the consensus ----
  await buyer.goto(scoring);
  const cf = buyer.locator('table.consensus form[action$="/award/consensus"]').first();
  t.ok(await cf.count() === 1 && (await text(buyer, 'table.consensus')).includes('Een sterk plan met de wijk (reis).'),
    'the consensus session shows the assessor\'s score and motivation');
  await cf.locator('select[name=step]').selectOption('8');
  await cf.locator('textarea[name=motivation]').fill('Eens met de beoordelaar (reis).');
  await submit(buyer, cf);
  const after = (await a.get(`${baseA}/lots/${lot}/award/scoring`)).json;
  t.ok(after.consensus && after.consensus.some(s => s.motivation === 'Eens met de beoordelaar (reis).'),
    'the consensus is recorded with its motivation', JSON.stringify(after.consensus).slice(0, 200));
  t.ok(await shots(buyer, 'consensus'), 'the consensus: no sideways scroll at 1400 and 390 px');
} catch (err) {
  t.ok(false, 'the organisation journey runs to the end', err.stack);
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
