// Herald push-hub browser client: an ES module with no dependencies and no build step.
//
//   import { createRealtimeService } from '/herald-client.js';
//   const rt = createRealtimeService();                 // defaults to ws(s)://<this host>/ws
//   rt.onConnectionChange((connected, info) => ...);     // info.state: connecting | open | reconnecting | closed
//   rt.on('new_anomaly', (data, msg) => ...);            // or rt.on('*', ...) for every message
//   await rt.connect();
//   rt.disconnect();
//
// It reconnects with exponential backoff and full jitter (so a restarted server is not hit by every client at
// once) and resumes from the last sequence it saw (?since=N), so no event is lost or shown twice across a
// reconnect while the server still has it in history. A 'resumed' message with recovered=false means some were.

export function createRealtimeService(options = {}) {
  const opts = {
    url: options.url || defaultUrl(),
    minDelayMs: options.minDelayMs ?? 500,
    maxDelayMs: options.maxDelayMs ?? 30000,
    pingIntervalMs: options.pingIntervalMs ?? 25000,
  };
  const handlers = new Map();
  const statusHandlers = new Set();
  let ws = null;
  let lastSeq = null;
  let attempt = 0;
  let wanted = false;
  let retryTimer = null;
  let pingTimer = null;

  function defaultUrl() {
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${location.host}/ws`;
  }

  function emitStatus(state, extra = {}) {
    for (const cb of statusHandlers) cb(state === 'open', { state, attempt, ...extra });
  }

  function dispatch(msg) {
    if (typeof msg.seq === 'number') {
      if (lastSeq !== null && msg.seq <= lastSeq) return; // already seen: the resume seam is exact
      lastSeq = msg.seq;
    }
    for (const key of [msg.type, '*']) {
      for (const cb of handlers.get(key) || []) cb(msg.data, msg);
    }
  }

  function open() {
    const url = lastSeq === null ? opts.url : `${opts.url}${opts.url.includes('?') ? '&' : '?'}since=${lastSeq}`;
    emitStatus(attempt === 0 ? 'connecting' : 'reconnecting');
    return new Promise((resolve) => {
      ws = new WebSocket(url);
      ws.onopen = () => {
        attempt = 0;
        emitStatus('open');
        pingTimer = setInterval(() => send({ type: 'ping' }), opts.pingIntervalMs);
        resolve();
      };
      ws.onmessage = (ev) => {
        let msg;
        try { msg = JSON.parse(ev.data); } catch { return; }
        if (msg.type === 'connection_established' && lastSeq === null) lastSeq = msg.data.lastSeq ?? null;
        // Not recovered: history no longer reaches our position, or the server restarted and its sequence began
        // again. Continue from just before what it replays, or those events would be dropped as duplicates.
        if (msg.type === 'resumed' && !msg.data.recovered) lastSeq = msg.data.lastSeq - msg.data.replayed;
        dispatch(msg);
      };
      ws.onclose = (ev) => {
        clearInterval(pingTimer);
        ws = null;
        if (!wanted) { emitStatus('closed', { code: ev.code }); return; }
        const cap = Math.min(opts.maxDelayMs, opts.minDelayMs * 2 ** attempt);
        const delay = Math.round(Math.random() * cap); // full jitter
        attempt += 1;
        emitStatus('reconnecting', { code: ev.code, delayMs: delay });
        retryTimer = setTimeout(open, delay);
        resolve();
      };
    });
  }

  function send(obj) {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(obj));
  }

  return {
    connect() { wanted = true; return ws ? Promise.resolve() : open(); },
    disconnect() {
      wanted = false;
      clearTimeout(retryTimer);
      if (ws) ws.close(1000, 'client disconnect');
    },
    on(type, cb) {
      if (!handlers.has(type)) handlers.set(type, new Set());
      handlers.get(type).add(cb);
      return () => handlers.get(type).delete(cb);
    },
    onConnectionChange(cb) { statusHandlers.add(cb); return () => statusHandlers.delete(cb); },
    isConnected() { return !!ws && ws.readyState === WebSocket.OPEN; },
    lastSeq() { return lastSeq; },
  };
}
