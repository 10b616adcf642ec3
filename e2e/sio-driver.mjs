// A socket.io-client driven line by line by the JUnit suite (SioDriver.java): each stdin line is a JSON command,
// each stdout line a JSON record of what a client saw. Commands:
//   {"op":"connect","name":"a","url":"http://127.0.0.1:3002","transports":["websocket"],"auth":{...},"reconnection":false}
//   {"op":"emit","name":"a","event":"join_room","data":{...},"ack":true}
//     in data, {"$binary":"<base64>"} is sent as a Buffer; in what is printed, a received binary value (Buffer or
//     ArrayBuffer) is {"$bytes":"<base64>"}
//   {"op":"drop","name":"a"}   closes the Engine.IO connection under the socket (a network failure: it reconnects)
//   {"op":"close","name":"a"}  socket.disconnect(): the client leaves on purpose
//   {"op":"hold","name":"a"} / {"op":"resume","name":"a"}  a drop without reconnecting, then the reconnect
// A record {"ev":"upgrade"} says the client's Engine.IO connection is on WebSocket (from the start or upgraded).
//   {"op":"exit"}
import { io } from 'socket.io-client';
import readline from 'node:readline';

const sockets = new Map();
const out = (record) => process.stdout.write(JSON.stringify(record) + '\n');

// Binary values as JSON can print them, and back: the JUnit side speaks JSON only.
const printable = (v) => {
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('base64') };
  if (v instanceof ArrayBuffer) return { $bytes: Buffer.from(new Uint8Array(v)).toString('base64') };
  if (Array.isArray(v)) return v.map(printable);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, printable(x)]));
  return v;
};
const withBinary = (v) => {
  if (Array.isArray(v)) return v.map(withBinary);
  if (v && typeof v === 'object') {
    const keys = Object.keys(v);
    if (keys.length === 1 && keys[0] === '$binary') return Buffer.from(v.$binary, 'base64');
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withBinary(x)]));
  }
  return v;
};

function connect(c) {
  const s = io(c.url, {
    transports: c.transports ?? ['polling', 'websocket'],
    auth: c.auth ?? {},
    reconnection: c.reconnection ?? false,
    reconnectionDelay: 200,
    reconnectionDelayMax: 500,
    forceNew: true,
    extraHeaders: c.headers,
  });
  sockets.set(c.name, s);
  s.on('connect', () => {
    out({ name: c.name, ev: 'connect', id: s.id, recovered: s.recovered, transport: s.io.engine.transport.name });
    const engine = s.io.engine;
    if (engine.transport.name === 'websocket') out({ name: c.name, ev: 'upgrade', transport: 'websocket' });
    else engine.once('upgrade', (t) => out({ name: c.name, ev: 'upgrade', transport: t.name }));
  });
  s.on('connect_error', (e) => out({ name: c.name, ev: 'connect_error', message: e.message }));
  s.on('disconnect', (reason) => out({ name: c.name, ev: 'disconnect', reason }));
  s.onAny((ev, ...args) => out({ name: c.name, ev, args: printable(args) }));
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const c = JSON.parse(line);
  const s = sockets.get(c.name);
  switch (c.op) {
    case 'connect': connect(c); break;
    case 'emit': {
      const data = withBinary(c.data);
      if (c.ack) s.emit(c.event, data, (...reply) => out({ name: c.name, ev: 'ack', event: c.event, args: printable(reply) }));
      else if (c.data === undefined) s.emit(c.event);
      else s.emit(c.event, data);
      break;
    }
    case 'drop': s.io.engine.close(); break;
    case 'hold': s.io.reconnection(false); s.io.engine.close(); break;  // drop and stay away until 'resume'
    case 'resume': s.io.reconnection(true); s.connect(); break;
    case 'close': s.disconnect(); break;
    case 'exit': process.exit(0);
  }
});
out({ ev: 'ready' });
