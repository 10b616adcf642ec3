/**
 * Seed 004: the WebSocket push hub service and its embeddable Java API ({@link
 * io.herald.service.pushhub.PushHub}).
 */
package io.herald.service.pushhub;
