// The sealed vault in the browser.  Set up through the API (two buyers'
// vault passphrases, a procedure whose tender deadline is seconds ahead,
// its vault, a candidate with a bidder account); then the bidder uploads
// a file through the submit page and sees its receipt with the SHA-256
// this test computes itself; after the deadline one buyer with his own
// passphrase twice is refused, and two buyers open the vault together on
// its page.
import { createHash, randomBytes } from 'node:crypto';
import { Tap, startServer, launch, login, PASSWORD } from './kavel.mjs';

const PASS_A = 'browser vault passphrase A';
const PASS_B = 'browser vault passphrase B';
const DEADLINE_IN = 25;   // seconds

// "2030-05-01T10:00:05" in Europe/Amsterdam, `secs` from now.
function localInSecs(secs) {
  const d = new Date(Date.now() + secs * 1000);
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(d).replace(' ', 'T');
}

// A minimal API client: cookies and the CSRF header.
class Api {
  constructor(base) { this.base = base; this.cookies = {}; this.csrf = ''; }
  async req(method, path, body) {
    const headers = { 'Content-Type': 'application/json' };
    const jar = Object.entries(this.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
    if (jar) headers.Cookie = jar;
    if (this.csrf) headers['X-CSRF-Token'] = this.csrf;
    const r = await fetch(this.base + path, {
      method, headers, body: method === 'GET' ? undefined : JSON.stringify(body || {}),
      redirect: 'manual',
    });
    for (const c of r.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const i = kv.indexOf('=');
      this.cookies[kv.slice(0, i)] = kv.slice(i + 1);
    }
    let json = null;
    try { json = await r.json(); } catch { /* not JSON */ }
    return { status: r.status, json };
  }
  async login(email, password = PASSWORD) {
    const r = await this.req('POST', '/api/v1/login', { email, password });
    if (r.json) this.csrf = r.json.csrf;
    return r;
  }
}

const t = new Tap();
const srv = await startServer();
const browser = await launch();
try {
  // ---- set-up through the API ----
  const a = new Api(srv.base);
  const b = new Api(srv.base);
  t.ok((await a.login('buyer@dordrecht.example')).status === 200, 'buyer A logs in (API)');
  t.ok((await b.login('buyer2@dordrecht.example')).status === 200, 'buyer B logs in (API)');
  t.ok((await a.req('POST', '/api/v1/account/vault-key', { passphrase: PASS_A })).status === 201,
    'buyer A sets a vault passphrase');
  t.ok((await b.req('POST', '/api/v1/account/vault-key', { passphrase: PASS_B })).status === 201,
    'buyer B sets a vault passphrase');
  let r = await a.req('POST', '/api/v1/procedures', {
    reference: 'DOR-VAULT-BROWSER', title: 'Kluis in de browser', type: 'open',
    cpv: '85310000-5', value: '100.000', lots: [{ title: 'Wijkteam', value: '50.000' }],
  });
  t.ok(r.status === 201, 'a procedure is created', JSON.stringify(r.json).slice(0, 200));
  const pid = r.json.id;
  const lot = r.json.lots[0].id;
  const spans = new Set(['registration', 'selection', 'dialogue-round', 'evaluation', 'standstill']);
  const t0 = Date.now();
  let deadline = 0;
  for (const [i, s] of r.json.stages.entries()) {
    if (s.kind === 'tender-deadline') {
      const m = await a.req('POST', `/api/v1/procedures/${pid}/stages/${s.id}/move`,
        { start: localInSecs(DEADLINE_IN - (Date.now() - t0) / 1000) });
      t.ok(m.status === 200, 'the tender deadline is planned seconds ahead');
      deadline = m.json.stages.find(x => x.kind === 'tender-deadline').end.utc;
      break;
    }
    const body = { start: localInSecs(2 + i) };
    if (spans.has(s.kind)) body.end = localInSecs(3 + i);
    await a.req('POST', `/api/v1/procedures/${pid}/stages/${s.id}/move`, body);
  }
  t.ok((await a.req('POST', `/api/v1/procedures/${pid}/vault`, {})).status === 201, 'the vault is made');
  r = await a.req('POST', `/api/v1/procedures/${pid}/candidates`, {
    name: 'Browserbieder (test)', consortium: false,
    parties: [{ org_name: 'Browserbieder (test)', kvk: '92345678', role: 'penvoerder' }],
  });
  const cand = r.json.id;
  r = await a.req('POST', `/api/v1/procedures/${pid}/candidates/${cand}/accounts`, {
    email: 'bieder@browser.example', name: 'Bieder Browser', password: 'browser-bieder-2024',
  });
  t.ok(r.status === 201, 'a bidder account is made for the candidate');

  // ---- the bidder uploads through the submit page ----
  const bctx = await browser.newContext();
  const bp = await bctx.newPage();
  await bp.goto(srv.base + '/login');
  await bp.fill('form[action="/login"] input[name=email]', 'bieder@browser.example');
  await bp.fill('form[action="/login"] input[name=password]', 'browser-bieder-2024');
  await Promise.all([bp.waitForNavigation(), bp.click('form.form button[type=submit]')]);
  await bp.goto(`${srv.base}/procedures/${pid}/lots/${lot}/submit`);
  t.ok(await bp.locator('form[enctype="multipart/form-data"] input[type=file][name=file]').count() === 1,
    'the submit page has a file field in a multipart form');
  const content = Buffer.concat([Buffer.from('%PDF-1.4\n% browserbod\n'), randomBytes(300 * 1024)]);
  const sha = createHash('sha256').update(content).digest('hex');
  await bp.setInputFiles('#f-file', { name: 'inschrijving.pdf', mimeType: 'application/pdf', buffer: content });
  await Promise.all([bp.waitForNavigation(), bp.click('form[enctype="multipart/form-data"] button[type=submit]')]);
  t.ok(/\/procedures\/\d+\/submissions\/\d+\/receipt$/.test(new URL(bp.url()).pathname),
    'the upload lands on the receipt page', bp.url());
  const shown = (await bp.locator('#receipt-sha256').innerText().catch(() => '')).trim();
  t.ok(shown === sha, 'the receipt shows the SHA-256 the test computed', `${shown} vs ${sha}`);
  t.ok((await bp.locator('#receipt-file').innerText().catch(() => '')) === 'inschrijving.pdf',
    'and the file name');
  t.ok((await bp.locator('#receipt-size').innerText().catch(() => '')) === String(content.length),
    'and the size');
  t.ok((await bp.locator('#receipt-type').innerText().catch(() => '')) === 'PDF-document',
    'and the type sniffed from its bytes');
  t.ok(/UTC/.test(await bp.locator('#receipt-utc').innerText().catch(() => '')),
    'and the server time in UTC');

  // ---- after the deadline, the buyers open the vault on its page ----
  const wait = deadline * 1000 + 1500 - Date.now();
  if (wait > 0) await new Promise(res => setTimeout(res, wait));
  const page = await browser.newPage();
  await login(page, srv.base, 'buyer@dordrecht.example');
  await page.goto(`${srv.base}/procedures/${pid}/vault`);
  t.ok(await page.getByText(sha).count() > 0, 'the vault page lists the bid by its hash');
  await page.selectOption('#f-email_a', 'buyer@dordrecht.example');
  await page.fill('#f-passphrase_a', PASS_A);
  await page.selectOption('#f-email_b', 'buyer@dordrecht.example');
  await page.fill('#f-passphrase_b', PASS_A);
  await page.check('form[action$="/vault/open"] input[name=confirm]');
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/vault/open"] button[type=submit]')]);
  t.ok(await page.locator('.error-summary').count() === 1 &&
       await page.locator('form[action$="/vault/open"]').count() === 1,
    'one buyer with his own passphrase twice is refused; the vault stays sealed',
    (await page.content()).slice(0, 300));
  await page.selectOption('#f-email_a', 'buyer@dordrecht.example');
  await page.fill('#f-passphrase_a', PASS_A);
  await page.selectOption('#f-email_b', 'buyer2@dordrecht.example');
  await page.fill('#f-passphrase_b', PASS_B);
  await page.check('form[action$="/vault/open"] input[name=confirm]');
  await Promise.all([page.waitForNavigation({ timeout: 60000 }),
    page.click('form[action$="/vault/open"] button[type=submit]')]);
  const notice = await page.locator('p.notice[role=status]').innerText().catch(() => '');
  t.ok(/1 \/ 1/.test(notice), 'two buyers open the vault on one screen; the bid matches its receipt', notice);
  t.ok(await page.locator('form[action$="/vault/open"]').count() === 0, 'the open form is gone');
  await page.goto(`${srv.base}/procedures/${pid}/vault/record`);
  t.ok(await page.getByText(sha).count() > 0, 'the opening record lists the bid');
} finally {
  await browser.close();
  await srv.stop();
}
process.exit(t.done());
