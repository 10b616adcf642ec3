/**
 * The shared HTTP server: one Vert.x, one router, one listener per event loop, health and metrics
 * routes.
 */
package io.herald.transport.server;
