package io.herald.service.siotest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.herald.protocol.sio.SioEncoder;
import io.herald.protocol.sio.SioPacket;
import io.herald.transport.eio.EioServer;
import io.herald.transport.sio.SioConnection;
import io.herald.transport.sio.SioHandler;

/**
 * One socket of the Socket.IO suite's server, in {@code /} or {@code /custom}: any CONNECT payload
 * is accepted and emitted back first as {@code auth}; {@code message} is answered with {@code
 * message-back} and the same arguments, {@code message-with-ack} is acknowledged with its arguments
 * (binary ones as attachments, both ways).
 */
record EchoSocket(SioConnection connection, String nsp) implements SioHandler {
  /**
   * How long after the CONNECT answer the {@code auth} event follows. The official suite reads one
   * message per await without buffering, so a second message that reaches the client in the same
   * read as the first is lost to it; Node's server never sends them together (its WebSocket
   * transport writes the next packet once the previous write is done).
   */
  static final long AUTH_DELAY_MS = 10;

  static EchoSocket join(SioConnection connection, String nsp, JsonNode auth) {
    connection.send(SioEncoder.connected(nsp, EioServer.newId(), null));
    SioEncoder.Encoded hello =
        SioEncoder.event(nsp, "auth", JsonNodeFactory.instance.arrayNode().add(auth));
    connection
        .vertx()
        .setTimer(
            AUTH_DELAY_MS,
            id -> connection.transport().loop().execute(() -> connection.send(hello)));
    return new EchoSocket(connection, nsp);
  }

  @Override
  public void event(SioPacket.Event e) {
    switch (e.name()) {
      case "message" -> connection.send(SioEncoder.event(nsp, "message-back", e.args()));
      case "message-with-ack" -> {
        if (e.ackId() >= 0) connection.send(SioEncoder.ack(nsp, e.ackId(), e.args()));
      }
      default -> {}
    }
  }

  @Override
  public void left() {}

  @Override
  public void closed() {}
}
