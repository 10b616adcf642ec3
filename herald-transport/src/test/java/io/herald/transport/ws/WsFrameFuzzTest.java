package io.herald.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;

/**
 * Coverage-guided fuzzing of the bytes a WebSocket client sends, through the pipeline a Herald
 * connection has after its upgrade (frame decoder, UTF-8 check, aggregation, {@link WsSocket}):
 * whatever arrives, in whatever chunks, no exception escapes the pipeline and no message over the
 * limit reaches the service.
 */
class WsFrameFuzzTest {
  private static final int LIMIT = 512;

  @FuzzTest(maxDuration = "10s")
  void clientBytes(FuzzedDataProvider data) {
    WsSocket socket = new WsSocket(LIMIT, false);
    int[] tooBig = {0};
    socket.events(
        new WsSocket.Events() {
          @Override
          public void text(String message) {
            assertThat(message.length()).isLessThanOrEqualTo(LIMIT);
          }

          @Override
          public void binary(byte[] message) {
            assertThat(message.length).isLessThanOrEqualTo(LIMIT);
          }

          @Override
          public void tooBig() {
            tooBig[0]++;
          }
        });
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new WebSocket13FrameEncoder(false),
            new WebSocket13FrameDecoder(WsUpgrade.decoderConfig(false, WsUpgrade.MAX_FRAME)),
            new Utf8FrameValidator(true),
            new WebSocketFrameAggregator(WsUpgrade.MAX_FRAME),
            socket);
    try {
      while (data.remainingBytes() > 0 && ch.isOpen()) {
        byte[] chunk = data.consumeBytes(data.consumeInt(1, 256));
        ch.writeInbound(Unpooled.wrappedBuffer(chunk));
      }
      ch.checkException();
    } finally {
      ch.finishAndReleaseAll();
    }
  }
}
