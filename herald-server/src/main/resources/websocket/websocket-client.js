// Herald's browser client for the websocket service (seed 003): a small Socket.IO v4 client over WebSocket,
// with no dependency and no build step. Load it with <script src="/websocket-client.js"></script>; it defines
// window.WebSocketClient with the seed's API (connect, on, joinSurvey, joinProject, ...).
//
// What it does beyond a bare socket: reconnects with exponential backoff and jitter; resumes with Socket.IO's
// connection state recovery (pid and last offset), so events missed while away are replayed; re-joins its rooms
// when the server could not recover the session (after a restart); drops the connection when the server's pings
// stop; shows a toast per notification when enableToasts is set.
(function () {
  'use strict';

  class WebSocketClient {
    constructor(options = {}) {
      this.url = (options.url || location.origin).replace(/^http/, 'ws').replace(/\/$/, '');
      this.token = options.token || null;
      this.autoReconnect = options.autoReconnect !== false;
      this.enableToasts = !!options.enableToasts;
      this.minDelay = options.minDelayMs || 500;
      this.maxDelay = options.maxDelayMs || 30000;
      this.handlers = new Map();
      this.statusHandlers = [];
      this.rooms = new Set();
      this.leftWhileAway = new Set();
      this.acks = new Map();
      this.nextAck = 0;
      this.attempt = 0;
      this.pid = null;
      this.offset = null;
      this.manual = false;
      this.connected = false;
      this.socketId = null;
    }

    /** Resolves on the first successful connection; rejects when the server refuses it (connect_error). */
    connect() {
      this.manual = false;
      return new Promise((resolve, reject) => {
        this.pending = { resolve, reject };
        this.open();
      });
    }

    disconnect() {
      this.manual = true;
      clearTimeout(this.retryTimer);
      if (this.ws && this.connected) this.ws.send('41');
      this.drop('io client disconnect');
    }

    on(event, handler) {
      if (!this.handlers.has(event)) this.handlers.set(event, []);
      this.handlers.get(event).push(handler);
      return this;
    }

    off(event, handler) {
      const list = this.handlers.get(event) || [];
      this.handlers.set(event, list.filter((h) => h !== handler));
      return this;
    }

    /** state: connecting, open, reconnecting, closed; info: { attempt, delayMs } while reconnecting. */
    onStatus(handler) {
      this.statusHandlers.push(handler);
      return this;
    }

    /** Emits to the server; with a callback as last argument, the server's acknowledgement is passed to it. */
    emit(event, ...args) {
      if (!this.connected) return false;
      let id = '';
      if (typeof args[args.length - 1] === 'function') {
        id = String(this.nextAck++);
        this.acks.set(id, args.pop());
      }
      this.ws.send('42' + id + JSON.stringify([event, ...args]));
      return true;
    }

    joinRoom(room) {
      this.rooms.add(room);
      this.emit('join_room', { room });
    }

    leaveRoom(room) {
      this.rooms.delete(room);
      if (!this.emit('leave_room', { room })) this.leftWhileAway.add(room);
    }

    joinSurvey(id) { this.joinRoom('survey:' + id); }
    leaveSurvey(id) { this.leaveRoom('survey:' + id); }
    joinProject(id) { this.joinRoom('project:' + id); }
    leaveProject(id) { this.leaveRoom('project:' + id); }

    open() {
      clearTimeout(this.retryTimer);
      if (this.ws) this.detach();  // connect() twice, or while a retry was pending: one socket at a time
      this.status(this.attempt === 0 ? 'connecting' : 'reconnecting', { attempt: this.attempt });
      const ws = new WebSocket(this.url + '/socket.io/?EIO=4&transport=websocket');
      this.ws = ws;
      ws.onmessage = (e) => { if (this.ws === ws) this.packet(String(e.data)); };
      ws.onclose = () => { if (this.ws === ws) this.lost('transport close'); };
      this.heartbeat = setTimeout(() => this.lost('open timeout'), 20000);  // no open packet
    }

    /** The connection is gone (closed, or silent): tell handlers and retry at once, not after a closing handshake. */
    lost(reason) {
      this.drop(reason);
      this.retry();
    }

    drop(reason) {
      clearTimeout(this.heartbeat);
      if (this.ws) this.detach();
      const was = this.connected;
      this.connected = false;
      for (const cb of this.acks.values()) cb({ error: 'disconnected' });  // no answer will come
      this.acks.clear();
      if (was) this.dispatch('disconnect', [reason]);
      if (this.manual) this.status('closed');
    }

    detach() {
      const ws = this.ws;
      this.ws = null;
      ws.onmessage = ws.onclose = null;
      try { ws.close(); } catch (e) { /* already closed */ }
    }

    packet(p) {
      switch (p[0]) {
        case '0': {  // Engine.IO open: join the namespace, resuming when a previous session is known
          this.openInfo = JSON.parse(p.slice(1));
          const auth = this.token ? { token: this.token } : {};
          if (this.pid && this.offset !== null) Object.assign(auth, { pid: this.pid, offset: this.offset });
          this.ws.send('40' + JSON.stringify(auth));
          this.armHeartbeat();
          break;
        }
        case '2':
          this.ws.send('3');
          this.armHeartbeat();
          break;
        case '4':
          this.socketIo(p.slice(1));
          break;
        case '1':
          this.lost('transport close');
          break;
        default:
      }
    }

    socketIo(p) {
      const type = p[0];
      if (type === '0') {
        const data = JSON.parse(p.slice(1));
        const recovered = !!data.pid && data.pid === this.pid;
        this.pid = data.pid || null;
        if (!recovered) this.offset = null;
        this.socketId = data.sid;
        this.connected = true;
        this.attempt = 0;
        this.status('open');
        // Joins are idempotent: sent every time, so rooms joined while away are joined now even when recovered.
        for (const room of this.rooms) this.emit('join_room', { room });
        for (const room of this.leftWhileAway) this.emit('leave_room', { room });
        this.leftWhileAway.clear();
        this.dispatch('connect', [{ socketId: data.sid, recovered }]);
        if (this.pending) { this.pending.resolve(this); this.pending = null; }
      } else if (type === '4') {
        const err = JSON.parse(p.slice(1));
        this.dispatch('connect_error', [err]);
        if (this.pending) { this.pending.reject(new Error(err.message)); this.pending = null; }
        // A refused token would be refused again; other refusals (too many connections) may clear: retry later.
        if (/^Authentication error/.test(err.message)) {
          this.manual = true;
          this.drop('connect_error');
        } else {
          this.lost('connect_error');
        }
      } else if (type === '2') {
        const args = JSON.parse(p.slice(p.indexOf('[')));
        const event = args.shift();
        // A broadcast's last argument is its offset (recovery): kept, not shown to handlers.
        if (this.pid && args.length > 1 && typeof args[args.length - 1] === 'string') this.offset = args.pop();
        if (event === 'connected' && args[0] && this.pid && this.offset === null) this.offset = args[0].offset || null;
        this.dispatch(event, args);
        if (this.enableToasts && event === 'notification') this.toast(args[0]);
      } else if (type === '3') {
        const bracket = p.indexOf('[');
        const cb = this.acks.get(p.slice(1, bracket));
        this.acks.delete(p.slice(1, bracket));
        if (cb) cb(...JSON.parse(p.slice(bracket)));
      } else if (type === '1') {
        this.lost('io server disconnect');
      }
    }

    /** No ping within pingInterval + pingTimeout: the connection is dead even if the socket has not noticed. */
    armHeartbeat() {
      clearTimeout(this.heartbeat);
      const open = this.openInfo || {};
      this.heartbeat = setTimeout(() => this.lost('ping timeout'), (open.pingInterval || 25000) + (open.pingTimeout || 20000));
    }

    retry() {
      if (this.manual || !this.autoReconnect) {
        if (this.pending) { this.pending.reject(new Error('connection closed')); this.pending = null; }
        this.status('closed');
        return;
      }
      this.attempt += 1;
      const base = Math.min(this.maxDelay, this.minDelay * 2 ** (this.attempt - 1));
      const delayMs = Math.round(base / 2 + Math.random() * base / 2);  // jitter: clients do not come back in a herd
      this.status('reconnecting', { attempt: this.attempt, delayMs });
      this.retryTimer = setTimeout(() => this.open(), delayMs);
    }

    dispatch(event, args) {
      for (const h of this.handlers.get(event) || []) {
        try { h(...args); } catch (e) { console.error('WebSocketClient handler for', event, 'failed', e); }
      }
      if (event !== '*') for (const h of this.handlers.get('*') || []) {
        try { h(event, ...args); } catch (e) { console.error('WebSocketClient handler for * failed', e); }
      }
    }

    status(state, info = {}) {
      for (const h of this.statusHandlers) h(state, info);
    }

    toast(n) {
      if (!n || typeof document === 'undefined') return;
      const el = document.createElement('div');
      el.className = 'herald-toast herald-toast-' + (n.notificationType || 'info');
      el.setAttribute('role', 'status');
      el.textContent = (n.title ? n.title + ': ' : '') + (n.message || '');
      el.style.cssText = 'position:fixed;right:1rem;bottom:1rem;padding:.6rem 1rem;background:#222;color:#fff;border-radius:.4rem;z-index:9999';
      document.body.appendChild(el);
      setTimeout(() => el.remove(), 5000);
    }
  }

  window.WebSocketClient = WebSocketClient;
}());
