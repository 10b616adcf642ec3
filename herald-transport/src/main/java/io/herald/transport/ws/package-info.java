/**
 * WebSocket connections: the single writer per socket, outbox, heartbeat, limits, graceful
 * shutdown.
 */
package io.herald.transport.ws;
