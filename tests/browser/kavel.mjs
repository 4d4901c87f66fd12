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
