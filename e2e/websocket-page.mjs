// The websocket service's example page and browser client (/websocket/, /websocket-client.js) in Debian's
// Chromium through Playwright. Usage: node websocket-page.mjs <port> <token> <screenshot.png>
// Protocol with the JUnit test: prints "RESTART" and waits for "GO" once the page has joined a room and shown a
// broadcast; the test restarts the server on the same port, and the page must reconnect, join its room again by
// itself and show the next broadcast.
import assert from 'node:assert/strict';
import { restartRequested, runPage } from './browser.mjs';

const [port, token, shot] = process.argv.slice(2);
const base = `http://127.0.0.1:${port}`;
async function post(path, body) {
  const res = await fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}
await runPage(async (page) => {
  await page.goto(`${base}/websocket/?token=${token}`);
  await page.locator('#status', { hasText: 'open' }).waitFor({ timeout: 10000 });
  await page.locator('#rooms', { hasText: 'user:page-user' }).waitFor({ timeout: 10000 });
  await page.fill('#room', 'survey:s9');
  await page.click('#join');
  await page.locator('#rooms', { hasText: 'survey:s9' }).waitFor({ timeout: 10000 });
  // The offset is the client's business: handlers get the event's data only (one argument).
  await page.evaluate(() => { window.argCount = new Promise((resolve) => client.on('response.new', (...args) => resolve(args.length))); });
  await post('/api/broadcast/survey-response', { surveyId: 's9', responseId: 'first', response: {}, metadata: {} });
  await page.locator('#events li', { hasText: '"responseId":"first"' }).waitFor({ timeout: 10000 });
  assert.equal(await page.evaluate(() => window.argCount), 1, 'a handler saw more than the event data (the offset leaked)');
  await post('/api/broadcast/user', { userId: 'page-user', event: 'notification',
    data: { type: 'notification', notificationType: 'info', title: 'Approved', message: 'Your survey has been approved' } });
  await page.locator('.herald-toast', { hasText: 'Approved: Your survey has been approved' }).waitFor({ timeout: 10000 });

  const go = restartRequested();
  await page.locator('#status', { hasText: 'reconnecting' }).waitFor({ timeout: 15000 });
  await go;
  await page.locator('#status', { hasText: 'open' }).waitFor({ timeout: 30000 });
  // The restarted server knows nothing of the page: the client joins its room again by itself (a second room_joined).
  await page.locator('#events li[data-event="room_joined"]').nth(1).waitFor({ timeout: 10000 });
  await post('/api/broadcast/survey-response', { surveyId: 's9', responseId: 'after-restart', response: {}, metadata: {} });
  await page.locator('#events li', { hasText: '"responseId":"after-restart"' }).waitFor({ timeout: 10000 });
  await page.screenshot({ path: shot, fullPage: true });
});
