// Shared helpers for the browser tests: a kavel server on a fresh demo
// database, Debian's Chromium through playwright-core, and TAP output.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const PASSWORD = 'kavel-demo-2022';

export class Tap {
  constructor() { this.n = 0; this.failed = 0; }
  ok(cond, name, detail = '') {
    this.n++;
    if (cond) console.log(`ok ${this.n} - ${name}`);
    else {
      this.failed++;
      console.log(`not ok ${this.n} - ${name}`);
      if (detail) String(detail).split('\n').slice(0, 15).forEach(l => console.log(`#   ${l}`));
    }
    return !!cond;
  }
  done() { console.log(`1..${this.n}`); return this.failed ? 1 : 0; }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

export async function startServer() {
  const bin = process.env.KAVEL_BIN || 'build/kavel';
  const dir = mkdtempSync(join(tmpdir(), 'kavel-browser-'));
  const db = join(dir, 'kavel.db');
  const demo = spawnSync(bin, ['demo', '--db', db, '--reset'], { encoding: 'utf8' });
  if (demo.status !== 0) throw new Error('kavel demo failed: ' + demo.stderr);
  const port = await freePort();
  // KAVEL_DEBUG=1: the server's stderr (an assertion, say) and how it ended.
  const debug = !!process.env.KAVEL_DEBUG;
  const proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`],
    { stdio: ['ignore', 'ignore', debug ? 'inherit' : 'ignore'] });
  if (debug) proc.on('exit', (code, sig) => console.error(`# server exited: ${code ?? sig}`));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try { if ((await fetch(base + '/healthz')).ok) break; } catch { /* not yet */ }
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    base,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise(r => proc.once('exit', r));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export async function login(page, base, email, password = PASSWORD) {
  await page.goto(base + '/login');
  await page.fill('form[action="/login"] input[name=email]', email);
  await page.fill('form[action="/login"] input[name=password]', password);
  await Promise.all([page.waitForNavigation(), page.click('form.form button[type=submit]')]);
}

// "2030-05-01T10:00" in Europe/Amsterdam, `days` from now.
export function localIn(days) {
  const d = new Date(Date.now() + days * 86400e3);
  const f = new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', hour12: false,
  }).format(d);
  return f.replace(' ', 'T');
}

// "2030-05-01T10:00:05" in Europe/Amsterdam, `secs` from now.
export function localInSecs(secs) {
  const d = new Date(Date.now() + secs * 1000);
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).format(d).replace(' ', 'T');
}

// "1 mei 2030, 10:00:05" in Europe/Amsterdam for a Unix time in seconds:
// how the Dutch pages print an instant (cal_format_local: the seconds only
// when they are not :00, no zone).
const MONTHS_NL = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli',
  'augustus', 'september', 'oktober', 'november', 'december'];
export function localText(utc) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Amsterdam', year: 'numeric', month: 'numeric', day: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  }).formatToParts(new Date(utc * 1000)).map(p => [p.type, p.value]));
  const time = `${parts.hour}:${parts.minute}` + (parts.second === '00' ? '' : `:${parts.second}`);
  return `${Number(parts.day)} ${MONTHS_NL[Number(parts.month) - 1]} ${parts.year}, ${time}`;
}

// Where a test's screenshot NAME goes: $SCREENSHOT_DIR, by default
// build-screens/ in the checkout (gitignored), made when first needed.
export function shotPath(name) {
  const dir = process.env.SCREENSHOT_DIR || 'build-screens';
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}

export const sleep = ms => new Promise(r => setTimeout(r, Math.max(0, ms)));

// A minimal API client for a test's set-up: cookies and the CSRF header.
export class Api {
  constructor(base) { this.base = base; this.cookies = {}; this.csrf = ''; }
  async req(method, path, body, { raw = null, headers: extra = {} } = {}) {
    const headers = { 'Content-Type': raw ? 'application/octet-stream' : 'application/json', ...extra };
    const jar = Object.entries(this.cookies).map(([k, v]) => `${k}=${v}`).join('; ');
    if (jar) headers.Cookie = jar;
    if (this.csrf) headers['X-CSRF-Token'] = this.csrf;
    const r = await fetch(this.base + path, {
      method, headers, redirect: 'manual',
      body: method === 'GET' ? undefined : raw || JSON.stringify(body || {}),
    });
    for (const c of r.headers.getSetCookie()) {
      const [kv] = c.split(';');
      const i = kv.indexOf('=');
      this.cookies[kv.slice(0, i)] = kv.slice(i + 1);
    }
    const text = await r.text();
    let json = null;
    try { json = JSON.parse(text); } catch { /* not JSON */ }
    return { status: r.status, json, text };
  }
  get(path) { return this.req('GET', path); }
  post(path, body) { return this.req('POST', path, body); }
  async login(email, password = PASSWORD) {
    const r = await this.req('POST', '/api/v1/login', { email, password });
    if (r.json) this.csrf = r.json.csrf;
    return r;
  }
}

// A tender of one lot whose deadline is tomorrow, with a vault of the
// demo's two Dordrecht buyers (their vault passphrases set first) and one
// candidate with a bidder account: a browser test's set-up through the
// API.  Each step is a check of t.  Returns { a (buyer A's Api), pid, lot }.
export async function tenderWithVault(t, base, { reference, title, candidate, kvk, email, password, passes }) {
  const a = new Api(base);
  t.ok((await a.login('buyer@dordrecht.example')).status === 200, 'buyer logs in (API)');
  const b2 = new Api(base);
  await b2.login('buyer2@dordrecht.example');
  t.ok((await a.post('/api/v1/account/vault-key', { passphrase: passes[0] })).status === 201 &&
       (await b2.post('/api/v1/account/vault-key', { passphrase: passes[1] })).status === 201,
  'two buyers set vault passphrases');
  let r = await a.post('/api/v1/procedures', {
    reference, title, type: 'open',
    cpv: '85310000-5', value: '100.000', lots: [{ title: 'Wijkteam', value: '50.000' }],
  });
  t.ok(r.status === 201, 'a procedure is created');
  const pid = r.json.id;
  const lot = r.json.lots[0].id;
  const spans = new Set(['registration', 'selection', 'dialogue-round', 'evaluation', 'standstill']);
  for (const [i, s] of r.json.stages.entries()) {
    const body = { start: localInSecs(s.kind === 'tender-deadline' ? 86400 : 2 + i) };
    if (spans.has(s.kind)) body.end = localInSecs(3 + i);
    const m = await a.post(`/api/v1/procedures/${pid}/stages/${s.id}/move`, body);
    if (s.kind === 'tender-deadline') { t.ok(m.status === 200, 'its tender deadline is tomorrow'); break; }
  }
  t.ok((await a.post(`/api/v1/procedures/${pid}/vault`, {})).status === 201, 'the vault is made');
  r = await a.post(`/api/v1/procedures/${pid}/candidates`, {
    name: candidate, consortium: false,
    parties: [{ org_name: candidate, kvk, role: 'penvoerder' }],
  });
  r = await a.post(`/api/v1/procedures/${pid}/candidates/${r.json.id}/accounts`, {
    email, name: 'Bieder (browser)', password,
  });
  t.ok(r.status === 201, 'a bidder account is made');
  return { a, pid, lot };
}
