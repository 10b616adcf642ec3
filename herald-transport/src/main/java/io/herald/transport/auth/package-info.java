/** Token verification shared by the services that accept end-user JWTs (telemetry, websocket). */
package io.herald.transport.auth;
