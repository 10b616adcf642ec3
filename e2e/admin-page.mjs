// The operator's page (/admin) in Debian's Chromium through Playwright, against a `herald all` started by
// AdminPageTest with HERALD_ADMIN_KEY set. Usage: node admin-page.mjs <port> <key> <screenshot.png>
// Signs in with the key, checks the figures move while broadcasts go to push-hub and websocket clients, saves a
// screenshot, then checks a wrong key is refused. Prints "ok" at the end (browser.mjs).
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { runPage } from './browser.mjs';

const [port, key, shot] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
const WAIT = { timeout: 30000 };

// Clients, so that there is something to deliver to: two on push-hub's /ws, three Socket.IO sockets (room global).
// They live until runPage ends the process.
await Promise.all([1, 2].map(() => new Promise((resolve, reject) => {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
  ws.on('open', () => resolve(ws));
  ws.on('error', reject);
})));
await Promise.all([1, 2, 3].map(() => new Promise((resolve, reject) => {
  const s = io(base, { transports: ['websocket'], reconnection: false, forceNew: true });
  s.on('connect', () => resolve(s));
  s.on('connect_error', reject);
})));

async function post(path, body) {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.ok(res.ok, `${path}: ${res.status} ${await res.text()}`);
}

async function publish(rounds) {
  for (let i = 0; i < rounds; i++) {
    await post('/api/v1/broadcast', { type: 'system_alert', data: { alertType: 'admin-test', message: `alert ${i}`, severity: 'info' } });
    await post('/api/broadcast/global', { event: 'admin-test', data: { n: i } });
    await new Promise((r) => setTimeout(r, 150));
  }
}

const figure = (page, id) => page.$eval('#' + id, (el) => Number(el.textContent.replace(/[^0-9.]/g, '')));

const errors = [];
await runPage(async (page) => {
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  try {
    await adminPage(page);
  } catch (e) {
    e.message += `\nconsole errors: ${JSON.stringify(errors)}`;
    throw e;
  }
});

async function adminPage(page) {
  await page.setViewportSize({ width: 1440, height: 900 });

  await page.goto(base + '/admin');
  await page.locator('#login').waitFor({ state: 'visible', ...WAIT });
  await page.fill('#key', key);
  await page.click('#open');
  await page.locator('#board').waitFor({ state: 'visible', ...WAIT });
  await page.locator('#status', { hasText: 'healthy' }).waitFor(WAIT);
  assert.equal(page.url(), base + '/admin', 'the key never goes into the URL');

  const published = await figure(page, 'published'), delivered = await figure(page, 'delivered');
  await publish(40);
  // 80 events published; each push-hub alert reaches 2 clients and each room broadcast 3 sockets.
  await page.waitForFunction(([p, d]) => {
    const n = (id) => Number(document.getElementById(id).textContent.replace(/[^0-9.]/g, ''));
    return n('published') >= p + 80 && n('delivered') >= d + 200;
  }, [published, delivered], WAIT);
  await page.waitForFunction(() => Number(document.getElementById('chart-rates').dataset.max) > 0
    && Number(document.getElementById('chart-lag').dataset.points) > 0, null, WAIT);
  await page.locator('#lag', { hasNotText: '-' }).waitFor(WAIT);
  await page.locator('#by-service tr', { hasText: 'push-hub' }).filter({ hasText: '2' }).waitFor(WAIT);
  await page.locator('#rooms tr', { hasText: 'global' }).filter({ hasText: '3' }).waitFor(WAIT);
  await page.locator('#channels tr', { hasText: 'socket.io' }).waitFor(WAIT);
  await page.locator('#services tr', { hasText: 'push-hub' }).filter({ hasText: 'up' }).waitFor(WAIT);
  // On the memory engine the deployment is this node alone.
  await page.locator('#nodes tr', { hasText: '(this node)' }).filter({ hasText: `127.0.0.1:${port}` }).waitFor(WAIT);
  assert.equal(await page.locator('#nodes tr').count(), 2, 'a header and this node');
  assert.ok(await page.$eval('#chart-rates', (c) => Number(c.dataset.points)) > 2, 'the rate chart has points');
  assert.deepEqual(errors, [], 'no console errors with the right key');
  await page.screenshot({ path: shot, fullPage: true });

  // Signed out, a wrong key is refused and nothing is shown.
  await page.click('#sign-out');
  await page.fill('#key', 'not-the-key-' + key);
  await page.click('#open');
  await page.locator('#refused', { hasText: 'Refused' }).waitFor(WAIT);
  assert.ok(await page.locator('#board').isHidden(), 'the board stays hidden');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('herald.admin.key')), null, 'a refused key is not kept');
  assert.ok(errors.every((e) => /status of 401/.test(e)), `only the refusal is logged: ${errors}`);
}
