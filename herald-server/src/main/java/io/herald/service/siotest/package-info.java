/**
 * {@code herald sio-testserver}: the server the official Engine.IO v4 and Socket.IO v5 protocol
 * test suites expect, on Herald's own Engine.IO and Socket.IO machinery. Not an application: a
 * conformance target.
 */
package io.herald.service.siotest;
