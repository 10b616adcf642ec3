// Seed 004's JSON contract, checked with the npm `ws` client against a running Herald push hub.
// Usage: node pushhub-contract.mjs <port>. Prints "ok" and exits 0, or prints the failure and exits 1.
import WebSocket from 'ws';
import assert from 'node:assert/strict';

const port = process.argv[2];
const base = `http://127.0.0.1:${port}`;
const isoTime = (s) => assert.ok(!Number.isNaN(Date.parse(s)) && /T.*Z$/.test(s), `not an RFC 3339 UTC time: ${s}`);

function open(path) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`);
  const queue = [];
  const waiters = [];
  ws.on('message', (raw, isBinary) => {
    assert.equal(isBinary, false, 'server sent a binary frame');
    const msg = JSON.parse(raw.toString());
    const w = waiters.findIndex((x) => x.type === msg.type);
    if (w >= 0) waiters.splice(w, 1)[0].resolve(msg); else queue.push(msg);
  });
  const next = (type) => new Promise((resolve, reject) => {
    const i = queue.findIndex((m) => m.type === type);
    if (i >= 0) return resolve(queue.splice(i, 1)[0]);
    waiters.push({ type, resolve });
    setTimeout(() => reject(new Error(`no '${type}' message within 5 s`)), 5000);
  });
  const closed = new Promise((resolve) => ws.on('close', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    ws.on('open', () => resolve({ ws, next, closed }));
    ws.on('error', reject);
  });
}

async function broadcast(type, data) {
  const res = await fetch(`${base}/api/v1/broadcast`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type, data }),
  });
  assert.equal(res.status, 202, `broadcast ${type}: ${res.status} ${await res.text()}`);
}

try {
  const c = await open('/ws');
  const hello = await c.next('connection_established');
  assert.deepEqual(Object.keys(hello).sort(), ['data', 'timestamp', 'type']);
  assert.equal(hello.data.status, 'connected');
  isoTime(hello.timestamp);

  c.ws.send(JSON.stringify({ type: 'ping' }));
  const pong = await c.next('pong');
  isoTime(pong.data.timestamp);
  isoTime(pong.timestamp);

  const log = { id: 'log-123', timestamp: '2024-01-01T10:00:00Z', level: 'ERROR', message: 'Database connection failed',
    source: 'user-service', isAnomaly: true, anomalyScore: 0.85, rootCauses: ['Database timeout'], metadata: { host: 'server-01' } };
  const analysis = { id: 'analysis-456', anomalyScore: 0.85, rootCauses: ['Database timeout'], analyzedAt: '2024-01-01T10:00:05Z' };
  await broadcast('new_anomaly', { log, analysis });
  const anomaly = await c.next('new_anomaly');
  assert.deepEqual(anomaly.data, { log, analysis });
  isoTime(anomaly.timestamp);

  await broadcast('log_update', { log: { id: 'log-789', level: 'INFO' } });
  assert.equal((await c.next('log_update')).data.log.id, 'log-789');

  const stats = { totalLogs: 10000, anomalyCount: 150, anomalyRate: 0.015, activeServices: 5 };
  await broadcast('stats_update', { stats });
  assert.deepEqual((await c.next('stats_update')).data, { stats });

  await broadcast('system_alert', { alertType: 'database_error', message: 'Database connection failed', severity: 'critical' });
  const alert = await c.next('system_alert');
  assert.equal(alert.data.alertType, 'database_error');
  assert.equal(alert.data.severity, 'critical');
  isoTime(alert.data.timestamp);

  c.ws.send('{nope');
  assert.equal((await c.next('error')).data.code, 'invalid_json');
  c.ws.send(JSON.stringify({ type: 'ping' }));
  await c.next('pong');

  const resumed = await open(`/ws?since=${anomaly.seq}`);
  const r = await resumed.next('resumed');
  assert.equal(r.data.recovered, true);
  assert.equal(r.data.replayed, 3);
  assert.equal((await resumed.next('log_update')).seq, anomaly.seq + 1);

  const big = await open('/ws');
  big.ws.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(600) }));
  assert.equal(await big.closed, 1009);

  const bin = await open('/ws');
  bin.ws.send(Buffer.from([1, 2, 3]));
  assert.equal(await bin.closed, 1003);

  c.ws.close();
  resumed.ws.close();
  console.log('ok');
  process.exit(0);
} catch (e) {
  console.log(`FAIL: ${e.stack || e}`);
  process.exit(1);
}
