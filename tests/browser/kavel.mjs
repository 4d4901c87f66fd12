// Shared helpers for the browser tests: a kavel server on a fresh demo
// database, Debian's Chromium through playwright-core, and TAP output.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
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
  const proc = spawn(bin, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`], { stdio: 'ignore' });
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

export async function login(page, base, email) {
  await page.goto(base + '/login');
  await page.fill('#email', email);
  await page.fill('#password', PASSWORD);
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
