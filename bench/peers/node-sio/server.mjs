// The seed 003 pattern on its own stack (Node's http module and the npm socket.io server): every socket joins
// "global"; POST /api/broadcast/global emits to that room, /api/broadcast/room to any. Only what the benchmark drives; Herald's
// websocket service serves the same routes, so one load generator measures both.
import http from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT || 3002);
const json = (res, status, body) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

const server = http.createServer((req, res) => {
  if (req.url.startsWith('/socket.io/')) return;  // socket.io's own listener answers these
  if (req.method === 'GET' && req.url === '/health') return json(res, 200, { status: 'healthy', service: 'websocket-service' });
  if (req.method === 'POST' && (req.url === '/api/broadcast/global' || req.url === '/api/broadcast/room')) {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      let msg;
      try { msg = JSON.parse(body); } catch { return json(res, 400, { success: false, error: 'invalid JSON' }); }
      if (!msg || typeof msg.event !== 'string') return json(res, 400, { success: false, error: 'event is required' });
      io.to(req.url.endsWith('/room') ? String(msg.room) : 'global').emit(msg.event, msg.data);
      json(res, 200, { success: true, message: 'Broadcast sent' });
    });
    return;
  }
  json(res, 404, { error: 'not found' });
});

// The seed's defaults: HEARTBEAT_INTERVAL 30 s, CONNECTION_TIMEOUT 60 s.
const io = new Server(server, { pingInterval: 30000, pingTimeout: 60000, cors: { origin: '*' } });
io.on('connection', (socket) => {
  socket.join('global');
  socket.emit('connected', { socketId: socket.id, userId: 'anonymous', isAnonymous: true, rooms: ['global'], serverTime: new Date().toISOString() });
});

server.listen(port, '127.0.0.1');
