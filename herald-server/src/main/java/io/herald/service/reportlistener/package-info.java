/**
 * Seed 000: the report listener, a gap-safe tail of the {@code reports} table broadcast over
 * WebSocket.
 */
package io.herald.service.reportlistener;
