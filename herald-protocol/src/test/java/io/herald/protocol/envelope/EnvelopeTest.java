package io.herald.protocol.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.herald.core.event.Event;
import io.herald.core.event.Frame;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvelopeTest {
  private static final Instant T = Instant.parse("2024-01-01T10:00:05Z");

  @Test
  void eventEnvelopeIsTheSeedShapePlusSeqAndKeepsDataByteForByte() {
    Frame f =
        new Frame(
            new Event(
                "push",
                7,
                "stats_update",
                "{\"stats\":{\"totalLogs\":10000,\"anomalyRate\":0.015}}",
                T),
            0);
    assertThat(new String(f.encoded(Envelope.EVENT), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"type\":\"stats_update\",\"data\":{\"stats\":{\"totalLogs\":10000,\"anomalyRate\":0.015}},"
                + "\"timestamp\":\"2024-01-01T10:00:05Z\",\"seq\":7}");
  }

  @Test
  void nonAsciiAndQuotesInTheTypeAreEscapedAndUtf8Encoded() {
    Frame f = new Frame(new Event("c", 1, "é\"", "{\"m\":\"ü\"}", T), 0);
    assertThat(f.encoded(Envelope.EVENT))
        .isEqualTo(
            "{\"type\":\"é\\\"\",\"data\":{\"m\":\"ü\"},\"timestamp\":\"2024-01-01T10:00:05Z\",\"seq\":1}"
                .getBytes(StandardCharsets.UTF_8));
  }

  static Stream<Arguments> serverMessages() {
    return Stream.of(
        arguments(
            new ServerMessage.ConnectionEstablished(3),
            "{\"type\":\"connection_established\",\"data\":{\"status\":\"connected\","
                + "\"lastSeq\":3},\"timestamp\":\"2024-01-01T10:00:05Z\"}"),
        arguments(
            new ServerMessage.Pong(),
            "{\"type\":\"pong\",\"data\":{\"timestamp\":\"2024-01-01T10:00:05Z\"},"
                + "\"timestamp\":\"2024-01-01T10:00:05Z\"}"),
        arguments(
            new ServerMessage.Error(ErrorCode.UNKNOWN_TYPE, "unknown message type 'x'"),
            "{\"type\":\"error\",\"data\":{\"code\":\"unknown_type\","
                + "\"message\":\"unknown message type 'x'\"},\"timestamp\":\"2024-01-01T10:00:05Z\"}"),
        arguments(
            new ServerMessage.Resumed(2, false, 5, 9),
            "{\"type\":\"resumed\",\"data\":{\"since\":2,\"recovered\":false,"
                + "\"replayed\":5,\"lastSeq\":9},\"timestamp\":\"2024-01-01T10:00:05Z\"}"));
  }

  @ParameterizedTest
  @MethodSource("serverMessages")
  void serverMessagesHaveExactBytes(ServerMessage m, String expected) {
    assertThat(Envelope.encode(m, T)).isEqualTo(expected);
  }

  @Test
  void decodesPing() throws Exception {
    assertThat(ClientCodec.decode("{\"type\":\"ping\"}")).isEqualTo(new ClientMessage.Ping());
    assertThat(ClientCodec.decode(" {\"type\":\"ping\",\"extra\":1} "))
        .isEqualTo(new ClientMessage.Ping());
  }

  static Stream<Arguments> badInput() {
    return Stream.of(
        arguments("{\"type\":", ErrorCode.INVALID_JSON, "message is not valid JSON"),
        arguments("", ErrorCode.INVALID_MESSAGE, "message must be a JSON object"),
        arguments("[1]", ErrorCode.INVALID_MESSAGE, "message must be a JSON object"),
        arguments("{}", ErrorCode.INVALID_MESSAGE, "field 'type' must be a string"),
        arguments("{\"type\":3}", ErrorCode.INVALID_MESSAGE, "field 'type' must be a string"),
        arguments(
            "{\"type\":\"subscribe\"}", ErrorCode.UNKNOWN_TYPE, "unknown message type 'subscribe'"),
        arguments(
            "{\"type\":\"" + "x".repeat(100) + "\"}",
            ErrorCode.UNKNOWN_TYPE,
            "unknown message type '" + "x".repeat(40) + "...'"));
  }

  @ParameterizedTest
  @MethodSource("badInput")
  void rejectsBadInputWithAFixedMessage(String text, ErrorCode code, String message) {
    assertThatThrownBy(() -> ClientCodec.decode(text))
        .isInstanceOfSatisfying(
            ProtocolException.class,
            e -> {
              assertThat(e.code()).isEqualTo(code);
              assertThat(e.getMessage()).isEqualTo(message);
            });
  }

  @Test
  void everyTruncationOfAValidMessageIsRejectedNotCrashed() {
    String valid = "{\"type\":\"ping\"}";
    for (int i = 0; i < valid.length(); i++) {
      String cut = valid.substring(0, i);
      assertThatThrownBy(() -> ClientCodec.decode(cut)).isInstanceOf(ProtocolException.class);
    }
  }
}
