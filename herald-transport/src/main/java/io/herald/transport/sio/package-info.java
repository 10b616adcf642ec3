/**
 * The Socket.IO v5 server on top of Engine.IO ({@code transport.eio}): one {@link
 * io.herald.transport.sio.SioConnection} per Engine.IO session decodes packets (binary attachments
 * included), enforces the protocol's states (a malformed packet, or a packet for a namespace not
 * joined, closes the connection) and hands each namespace's packets to the {@link
 * io.herald.transport.sio.SioHandler} its {@link io.herald.transport.sio.SioNamespace} gave. The
 * services decide what namespaces exist and what their events do.
 */
package io.herald.transport.sio;
