package io.herald.transport.eio;

import io.herald.core.hub.Subscriber;
import io.herald.core.outbox.CloseReason;
import io.herald.transport.ws.WsConnection;
import java.util.concurrent.Executor;

/** An Engine.IO session on a WebSocket: each packet is one text message. */
record WsTransport(String sid, WsConnection connection, String remoteHost) implements EioTransport {
  @Override
  public Executor loop() {
    return connection.loop();
  }

  @Override
  public Subscriber subscriber() {
    return connection;
  }

  @Override
  public void send(String packet) {
    connection.sendText(packet);
  }

  @Override
  public void sendBinary(byte[] data) {
    connection.sendBinary(data);
  }

  @Override
  public void skipThrough(long seq) {
    connection.skipThrough(seq);
  }

  @Override
  public void close(CloseReason reason) {
    connection.close(reason);
  }
}
