/**
 * Seed 003, the Socket.IO "websocket" service: rooms (global, survey, project, user), JWT or
 * anonymous clients, Kafka topics and an HTTP broadcast API, on Herald's Engine.IO transports and
 * engine.
 */
package io.herald.service.websocket;
