// The example page in Debian's Chromium through Playwright. Usage: node pushhub-page.mjs <port> <screenshot.png>
// Protocol with the JUnit test on stdin/stdout: prints "RESTART" and waits for a line "GO" once the page has
// shown a live message; the test then restarts the server on the same port and the page must reconnect.
import assert from 'node:assert/strict';
import { restartRequested, runPage } from './browser.mjs';

const [port, shot] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
async function broadcast(message) {
  const res = await fetch(`${base}/api/v1/broadcast`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'system_alert', data: { alertType: 'test', message, severity: 'info' } }) });
  assert.equal(res.status, 202);
}
await runPage(async (page) => {
  await page.goto(base + '/');
  await page.locator('#status', { hasText: 'open' }).waitFor({ timeout: 10000 });
  await broadcast('first over HTTP');
  await page.locator('#messages li', { hasText: 'first over HTTP' }).waitFor({ timeout: 10000 });

  await page.click('#send-alert');
  await page.locator('#messages li', { hasText: 'Test alert from the example page' }).waitFor({ timeout: 10000 });
  await page.locator('#send-result', { hasText: 'sent' }).waitFor({ timeout: 5000 });

  const go = restartRequested();
  await page.locator('#status', { hasText: 'reconnecting' }).waitFor({ timeout: 15000 });
  await go;
  await page.locator('#status', { hasText: 'open' }).waitFor({ timeout: 30000 });
  await broadcast('after the restart');
  await page.locator('#messages li', { hasText: 'after the restart' }).waitFor({ timeout: 10000 });
  await page.screenshot({ path: shot, fullPage: true });
});
