/**
 * Engine.IO v4 server transports (WebSocket and HTTP long-polling) under Socket.IO, on the shared
 * engine.
 */
package io.herald.transport.eio;
