package io.herald.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The frames every connection shares: RFC 6455 headers for each length form, and one buffer per
 * event.
 */
class SharedFramesTest {
  private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;

  @Test
  void headersUseTheShortestLengthFormAndNoMask() {
    assertHeader(frame(125), 0x81, 125, 2);
    assertHeader(frame(126), 0x81, 126, 4);
    assertHeader(frame(65_535), 0x81, 65_535, 4);
    assertHeader(frame(65_536), 0x81, 65_536, 10);
  }

  @Test
  void theSameArrayGetsViewsOfOneBufferAndEachViewIsReleasedByItsWrite() {
    byte[] event = "{\"type\":\"x\"}".getBytes();
    ByteBuf a = SharedFrames.of(alloc, event, false), b = SharedFrames.of(alloc, event, false);
    assertThat(a.unwrap()).isSameAs(b.unwrap());
    assertThat(a.getByte(0) & 0xff).isEqualTo(0x81);
    assertThat(a.toString(2, event.length, StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"x\"}");
    int before = a.refCnt();
    a.release();
    assertThat(b.refCnt())
        .isEqualTo(before - 1); // views count on the shared buffer, which the cache still holds
    b.release();
    ByteBuf c =
        SharedFrames.of(alloc, event, true); // compressed frames are kept apart and carry RSV1
    assertThat(c.getByte(0) & 0xff).isEqualTo(0xC1);
    c.release();
  }

  private ByteBuf frame(int n) {
    byte[] payload = new byte[n];
    Arrays.fill(payload, (byte) 'a');
    return SharedFrames.frame(alloc, payload, false);
  }

  private static void assertHeader(ByteBuf f, int first, long length, int headerBytes) {
    try {
      assertThat(f.getByte(0) & 0xff).isEqualTo(first);
      int b1 = f.getByte(1) & 0xff;
      assertThat(b1 & 0x80).isZero(); // server frames are never masked
      long len = headerBytes == 2 ? b1 : headerBytes == 4 ? f.getUnsignedShort(2) : f.getLong(2);
      assertThat(b1 & 0x7f)
          .isEqualTo(headerBytes == 2 ? (int) length : headerBytes == 4 ? 126 : 127);
      assertThat(len).isEqualTo(length);
      assertThat(f.readableBytes()).isEqualTo(headerBytes + (int) length);
    } finally {
      f.release();
    }
  }
}
