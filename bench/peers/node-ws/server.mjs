// A reference push hub on Node's http module and the npm `ws` package, serving the same contract as Herald's
// push-hub so one load generator drives both. Each broadcast is serialised once and the same string is sent
// to every open client; a client with over 1 MiB unsent is skipped, as a careful ws user would do.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const MAX_BUFFERED = 1 << 20;
const now = () => new Date().toISOString();
const envelope = (type, data) => JSON.stringify({ type, data, timestamp: now() });
const wss = new WebSocketServer({ noServer: true, maxPayload: 512, perMessageDeflate: false });
let skipped = 0;

wss.on('connection', (ws) => {
  ws.isAlive = true;
  ws.on('pong', () => { ws.isAlive = true; });
  ws.on('message', (raw) => {
    let msg;
    try { msg = JSON.parse(raw); } catch { return; }
    if (msg && msg.type === 'ping') ws.send(envelope('pong', { timestamp: now() }));
  });
  ws.send(envelope('connection_established', { status: 'connected' }));
});

// Heartbeat: ping every 54 s; a client that did not answer the previous ping is terminated.
setInterval(() => {
  for (const ws of wss.clients) {
    if (!ws.isAlive) { ws.terminate(); continue; }
    ws.isAlive = false;
    ws.ping();
  }
}, 54000).unref();

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ status: 'ok', clients: wss.clients.size, skipped }));
  }
  if (req.method === 'POST' && req.url === '/api/v1/broadcast') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body;
      try { body = JSON.parse(Buffer.concat(chunks)); } catch { body = null; }
      if (!body || typeof body.type !== 'string') {
        res.writeHead(400, { 'content-type': 'application/json' });
        return res.end('{"error":"invalid_message"}');
      }
      const out = envelope(body.type, body.data);
      for (const ws of wss.clients) {
        if (ws.readyState !== 1) continue;
        if (ws.bufferedAmount > MAX_BUFFERED) { skipped++; continue; }
        ws.send(out);
      }
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end('{"status":"accepted"}');
    });
    return;
  }
  res.writeHead(404).end();
});
server.on('upgrade', (req, socket, head) => {
  if (req.url !== '/ws') return socket.destroy();
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
});
server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('ready'));
