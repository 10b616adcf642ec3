/**
 * Engine.IO v4 packets and payloads and Socket.IO v5 packets, as text (the JSON parser), for seed
 * 003. Pure functions over strings: no sockets, so every rule is tested with byte-level vectors.
 */
package io.herald.protocol.sio;
