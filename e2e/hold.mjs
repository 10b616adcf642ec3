import WebSocket from 'ws';
const n = 8000; let open = 0; const all = [];
for (let i = 0; i < n; i++) {
  const ws = new WebSocket('ws://127.0.0.1:18095/ws', { localAddress: `127.0.0.${2 + (i % 8)}` });
  ws.on('open', () => { open++; }); ws.on('error', () => {}); all.push(ws);
  if (i % 500 === 0) await new Promise(r => setTimeout(r, 50));
}
await new Promise(r => setTimeout(r, 3000));
console.log('open', open);
await new Promise(r => setTimeout(r, 25000));
process.exit(0);
