// Taking part in a tender in the browser (issue 3): a consortium
// registers, applies, asks a question and sees the published nota,
// submits a bid and gets its receipt; two buyers open the vault after
// the deadline, one buyer alone is refused.
//
// Set up through the API: two buyers' vault passphrases, a restricted
// procedure with one lot, a selection criterion, its stages planned in
// order with the application deadline and the tender deadline seconds
// ahead, its publication and its vault.  Everything the bidder does is
// on the pages, from the public /tenders list on; the buyer answers the
// question and publishes the nota on the questions page and opens the
// vault on its page.
import { createHash, randomBytes } from 'node:crypto';
import { Tap, Api, startServer, launch, login, localInSecs, sleep, shotPath } from './kavel.mjs';

const PASS_A = 'browser tender passphrase A';
const PASS_B = 'browser tender passphrase B';
const APPLY_IN = 16;      // seconds from planning to the application deadline
const TENDER_IN = 27;     // ... and to the tender deadline
const REF = 'DOR-TENDER-BROWSER';
const CONSORTIUM = 'Samen Wijkkracht (browser)';
const LEAD = { org: 'Wijkkracht (browser)', kvk: '81234567' };
const MEMBER = { org: 'Buurtmaat (browser)', kvk: '82345678' };
const BIDDER = { name: 'Anna Aanvrager', email: 'anna@wijkkracht-browser.example', password: 'wijkkracht-2026!' };
const QUESTION = 'Mag een consortium ook onderaannemers inzetten?';
const ANSWER = 'Ja, mits zij in het consortium zijn genoemd.';
const ANSWER_TEXT = 'Twaalf jaar wijkteams in Dordrecht en Zwijndrecht.';

const t = new Tap();
const srv = await startServer();
const browser = await launch();
const text = async (page, sel = 'main') => (await page.locator(sel).first().innerText().catch(() => '')).replace(/\s+/g, ' ');
const submit = async (page, form, timeout = 30000) => {
  await Promise.all([page.waitForNavigation({ timeout }), form.locator('button[type=submit]').click()]);
};
try {
  // ---- set-up through the API ----
  const a = new Api(srv.base);
  const b = new Api(srv.base);
  t.ok((await a.login('buyer@dordrecht.example')).status === 200 &&
       (await b.login('buyer2@dordrecht.example')).status === 200, 'two buyers log in (API)');
  t.ok((await a.post('/api/v1/account/vault-key', { passphrase: PASS_A })).status === 201 &&
       (await b.post('/api/v1/account/vault-key', { passphrase: PASS_B })).status === 201,
  'both buyers set a vault passphrase');
  let r = await a.post('/api/v1/procedures', {
    reference: REF, title: 'Wijkteams (browsertest)', type: 'restricted',
    cpv: '85310000-5', value: '500.000', lots: [{ title: 'Wijkteam Noord', value: '250.000' }],
  });
  t.ok(r.status === 201, 'a restricted procedure with one lot is created', r.text.slice(0, 200));
  const pid = r.json.id;
  const lot = r.json.lots[0].id;
  const base = `/api/v1/procedures/${pid}`;
  r = await a.post(`${base}/selection-criteria`,
    { key: 'experience', title: 'Ervaring met wijkteams', description: 'Beschrijf uw ervaring.' });
  t.ok(r.status === 201, 'a selection criterion is defined');
  // Stages in order: the application deadline and the tender deadline
  // seconds ahead, the selection between them.
  const t0 = Date.now();
  const at = secs => localInSecs(secs - (Date.now() - t0) / 1000);
  const plan = {
    'pre-announcement': [2], registration: [2, APPLY_IN], 'document-issued': [3],
    'application-deadline': [APPLY_IN], selection: [APPLY_IN + 1, APPLY_IN + 2],
    'tender-deadline': [TENDER_IN],
  };
  let ok = true;
  let deadline = 0;
  let applyBy = 0;
  for (const s of (await a.get(base)).json.stages) {
    const p = plan[s.kind];
    if (!p) break;
    const body = { start: at(p[0]) };
    if (p[1]) body.end = at(p[1]);
    const m = await a.post(`${base}/stages/${s.id}/move`, body);
    ok &&= m.status === 200;
    if (!ok) { t.ok(false, `plan ${s.kind}`, m.text.slice(0, 300)); break; }
    const st = m.json.stages.find(x => x.id === s.id);
    if (s.kind === 'application-deadline') applyBy = st.end.utc;
    if (s.kind === 'tender-deadline') deadline = st.end.utc;
  }
  t.ok(ok && applyBy && deadline > applyBy, 'the stages are planned in order, both deadlines seconds ahead');
  t.ok((await a.post(`${base}/publish`, {})).status === 201, 'the buyer publishes the procedure');
  t.ok((await a.post(`${base}/vault`, {})).status === 201, 'the vault is made');

  // ---- the consortium finds the tender and registers ----
  const bp = await (await browser.newContext()).newPage();
  await bp.goto(srv.base + '/tenders');
  const row = bp.locator('main tr', { hasText: REF });
  t.ok(await row.count() === 1, 'the public /tenders page lists the published procedure');
  const reg = row.locator(`a[href="/tenders/${pid}/register"]`);
  t.ok(await reg.count() === 1, 'with a link to register interest');
  await Promise.all([bp.waitForNavigation(), reg.click()]);
  const form = bp.locator(`form[action="/tenders/${pid}/register"]`);
  await bp.fill('#f-org_name', LEAD.org);
  await bp.fill('#f-kvk', LEAD.kvk);
  await bp.fill('#f-name', BIDDER.name);
  await bp.fill('#f-email', BIDDER.email);
  await bp.fill('#f-password', 'short');
  await bp.fill('#f-consortium_name', CONSORTIUM);
  await bp.fill('#f-parties_1_org_name', MEMBER.org);
  await bp.fill('#f-parties_1_kvk', MEMBER.kvk);
  await bp.selectOption('#f-parties_1_role', 'member');
  await submit(bp, form);
  t.ok(await bp.locator('#err-f-password').isVisible() && await bp.inputValue('#f-org_name') === LEAD.org &&
       await bp.inputValue('#f-parties_1_kvk') === MEMBER.kvk,
  'a short password is refused next to its field; the form keeps the rest', (await text(bp)).slice(0, 300));
  await bp.fill('#f-password', BIDDER.password);
  await submit(bp, form);
  t.ok(new URL(bp.url()).pathname === '/login', 'the registration lands on the login page', bp.url());
  await login(bp, srv.base, BIDDER.email, BIDDER.password);
  t.ok(new URL(bp.url()).pathname !== '/login', 'the new bidder account logs in');
  await bp.goto(`${srv.base}/procedures/${pid}/candidates`);
  const cand = await text(bp, 'article.candidate');
  t.ok(await bp.locator('article.candidate').count() === 1 && cand.includes(CONSORTIUM) &&
       cand.includes(LEAD.org) && cand.includes(LEAD.kvk) && cand.includes(MEMBER.org) &&
       cand.includes(MEMBER.kvk) && /penvoerder/i.test(cand),
  'the bidder sees its consortium: the penvoerder and the member with their KvK numbers', cand);

  // ---- the application ----
  await bp.goto(`${srv.base}/procedures/${pid}/application`);
  const app = bp.locator(`form[action="/procedures/${pid}/application"]`);
  t.ok(await app.locator('textarea[name=answer_experience]').count() === 1,
    'the application page asks for the selection criterion');
  await app.locator('textarea[name=answer_experience]').fill(ANSWER_TEXT);
  await submit(bp, app);
  console.log(`# application saved ${Math.round(applyBy - Date.now() / 1000)} s before its deadline`);
  t.ok(await bp.locator('textarea[name=answer_experience]').inputValue() === ANSWER_TEXT,
    'the application is saved and shown again');
  r = await a.get(`${base}/application`);
  t.ok(r.json && r.json.applications.some(x => x.candidate_name === CONSORTIUM),
    'the buyer sees that the consortium applied', r.text.slice(0, 300));

  // ---- a question, its answer in a nota ----
  await bp.goto(`${srv.base}/procedures/${pid}/questions`);
  const ask = bp.locator(`form[action="/procedures/${pid}/questions"]`);
  await ask.locator('#f-text').fill(QUESTION);
  await submit(bp, ask);
  t.ok(await bp.locator('p.notice[role=status]').count() === 1 &&
       (await text(bp, 'article.question')).includes(QUESTION), 'the bidder asks a question and sees it sent');
  const buyer = await (await browser.newContext()).newPage();
  await login(buyer, srv.base, 'buyer@dordrecht.example');
  await buyer.goto(`${srv.base}/procedures/${pid}/questions`);
  const q = buyer.locator('article.question', { hasText: QUESTION });
  t.ok(await q.count() === 1 && (await q.innerText()).includes(CONSORTIUM),
    'the buyer sees the question with who asked it');
  await q.locator('textarea[name=answer]').fill(ANSWER);
  await submit(buyer, q.locator('form'));
  await buyer.locator(`form[action="/procedures/${pid}/notas"] input[name=confirm]`).check();
  await submit(buyer, buyer.locator(`form[action="/procedures/${pid}/notas"]`));
  const nota = await text(buyer);
  t.ok(new URL(buyer.url()).pathname === `/procedures/${pid}/notas/1` && nota.includes(QUESTION) &&
       nota.includes(ANSWER) && !nota.includes(CONSORTIUM) && !nota.includes(BIDDER.name),
  'the buyer answers and publishes nota 1, which names nobody', buyer.url() + ' ' + nota.slice(0, 300));
  await bp.reload();
  const mine = bp.locator('article.question', { hasText: QUESTION });
  t.ok((await mine.innerText()).includes(ANSWER), 'the bidder sees the answer with its question');
  const notaLink = bp.locator(`main a[href="/procedures/${pid}/notas/1"]`).first();
  await Promise.all([bp.waitForNavigation(), notaLink.click()]);
  const seen = await text(bp);
  t.ok(seen.includes(QUESTION) && seen.includes(ANSWER), 'and reads the published nota');

  // ---- the bid and its receipt ----
  await bp.goto(`${srv.base}/procedures/${pid}/lots/${lot}/submit`);
  const content = Buffer.concat([Buffer.from('%PDF-1.4\n% inschrijving consortium\n'), randomBytes(64 * 1024)]);
  const sha = createHash('sha256').update(content).digest('hex');
  await bp.setInputFiles('#f-file', { name: 'inschrijving.pdf', mimeType: 'application/pdf', buffer: content });
  await submit(bp, bp.locator('form[enctype="multipart/form-data"]'));
  t.ok(/\/procedures\/\d+\/submissions\/\d+\/receipt$/.test(new URL(bp.url()).pathname),
    'the bid lands on its receipt page', bp.url());
  const shown = (await bp.locator('#receipt-sha256').innerText().catch(() => '')).trim();
  t.ok(shown === sha, 'the receipt shows the SHA-256 the test computed', `${shown} vs ${sha}`);
  t.ok((await bp.locator('#receipt-file').innerText().catch(() => '')) === 'inschrijving.pdf' &&
       (await bp.locator('#receipt-size').innerText().catch(() => '')) === String(content.length),
  'and the file name and size');
  console.log(`# bid received ${Math.round(deadline - Date.now() / 1000)} s before the tender deadline`);
  t.ok(Date.now() / 1000 < deadline, 'all this before the tender deadline',
    `${Math.round(deadline - Date.now() / 1000)} s left`);

  // ---- after the deadline: the vault ----
  await sleep(deadline * 1000 + 1500 - Date.now());
  await buyer.goto(`${srv.base}/procedures/${pid}/vault`);
  t.ok(await buyer.getByText(sha).count() > 0, 'the vault page lists the bid by its hash');
  const open = async (emailB, passB) => {
    const f = buyer.locator('form[action$="/vault/open"]');
    await f.locator('#f-email_a').selectOption('buyer@dordrecht.example');
    await f.locator('#f-passphrase_a').fill(PASS_A);
    await f.locator('#f-email_b').selectOption(emailB);
    await f.locator('#f-passphrase_b').fill(passB);
    await f.locator('input[name=confirm]').check();
    await submit(buyer, f, 60000);
  };
  await open('buyer@dordrecht.example', PASS_A);
  const refusal = await text(buyer, '.error-summary');
  t.ok(await buyer.locator('.error-summary').isVisible() && refusal.length > 10 &&
       await buyer.locator('form[action$="/vault/open"]').count() === 1,
  'one buyer entering his own e-mail twice is refused with a visible message; the vault stays sealed', refusal);
  await open('buyer2@dordrecht.example', PASS_B);
  const notice = await text(buyer, 'p.notice[role=status]');
  t.ok(/1 \/ 1/.test(notice), 'two buyers open the vault; the one bid matches its receipt', notice);
  t.ok(await buyer.locator('form[action$="/vault/open"]').count() === 0, 'the open form is gone');
  await buyer.goto(`${srv.base}/procedures/${pid}/vault/record`);
  t.ok(await buyer.getByText(sha).count() > 0, 'the opening record lists the bid');
  await buyer.screenshot({ path: shotPath('tender-vault-1400.png'), fullPage: true });
} catch (e) {
  t.ok(false, 'browser flow ran to the end', e.stack);
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
