package io.herald.protocol.sio;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.herald.protocol.envelope.ErrorCode;
import io.herald.protocol.envelope.ProtocolException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SioCodecTest {
  @Test
  void engineIoPacketsRoundTrip() throws Exception {
    assertThat(EioPacket.decode("2")).isEqualTo(new EioPacket.Ping(""));
    assertThat(EioPacket.decode("2probe")).isEqualTo(new EioPacket.Ping("probe"));
    assertThat(EioPacket.decode("3")).isEqualTo(new EioPacket.Pong(""));
    assertThat(EioPacket.decode("40")).isEqualTo(new EioPacket.Message("0"));
    assertThat(EioPacket.decode("1")).isEqualTo(new EioPacket.Close());
    assertThat(EioPacket.encode(new EioPacket.Open("{\"sid\":\"a\"}")))
        .isEqualTo("0{\"sid\":\"a\"}");
    assertThat(EioPacket.encode(new EioPacket.Noop())).isEqualTo("6");
  }

  @Test
  void pollingPayloadSplitsOnRecordSeparator() throws Exception {
    assertThat(EioPacket.decodePayload("42[\"a\"]\u001e3\u001e40"))
        .containsExactly(
            new EioPacket.Message("2[\"a\"]"), new EioPacket.Pong(""), new EioPacket.Message("0"));
    assertThat(
            new String(
                EioPacket.encodePayload(
                    List.of("2".getBytes(UTF_8), "42[\"x\",\"é\"]".getBytes(UTF_8))),
                UTF_8))
        .isEqualTo("2\u001e42[\"x\",\"é\"]");
  }

  @Test
  void aPollingBodyCarriesBinaryMessagesAsBase64() throws Exception {
    assertThat(
            EioPacket.decodePayload(
                "451-[\"up\",{\"_placeholder\":true,\"num\":0}]\u001ebAQID\u001e3"))
        .containsExactly(
            new EioPacket.Message("51-[\"up\",{\"_placeholder\":true,\"num\":0}]"),
            new EioPacket.Binary(new byte[] {1, 2, 3}),
            new EioPacket.Pong(""));
    assertThat(EioPacket.encode(new EioPacket.Binary(new byte[] {1, 2, 3, 4})))
        .isEqualTo("bAQIDBA==");
    assertThat(EioPacket.decode("b")).isEqualTo(new EioPacket.Binary(new byte[0]));
  }

  @Test
  void engineIoRefusesBadBase64EmptyAndUnknown() {
    assertThatThrownBy(() -> EioPacket.decode("b!!!")).hasMessageContaining("base64");
    assertThatThrownBy(() -> EioPacket.decode("")).isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> EioPacket.decode("9")).hasMessageContaining("unknown");
    assertThatThrownBy(() -> EioPacket.decodePayload("42[\"a\"]\u001e"))
        .isInstanceOf(ProtocolException.class);
  }

  @Test
  void connectWithAndWithoutAuthAndNamespace() throws Exception {
    assertThat(SioPacket.decode("0")).isEqualTo(new SioPacket.Connect("/", null));
    var c =
        (SioPacket.Connect) SioPacket.decode("0{\"token\":\"t\",\"pid\":\"p\",\"offset\":\"7\"}");
    assertThat(c.auth().get("token").asText()).isEqualTo("t");
    assertThat(c.auth().get("offset").asText()).isEqualTo("7");
    var admin = (SioPacket.Connect) SioPacket.decode("0/admin,{\"token\":\"t\"}");
    assertThat(admin.nsp()).isEqualTo("/admin");
    assertThat(SioPacket.decode("1/admin,")).isEqualTo(new SioPacket.Disconnect("/admin"));
  }

  @Test
  void eventWithAckIdAndArguments() throws Exception {
    var e = (SioPacket.Event) SioPacket.decode("212[\"join_room\",{\"room\":\"survey:1\"},2]");
    assertThat(e.ackId()).isEqualTo(12);
    assertThat(e.name()).isEqualTo("join_room");
    assertThat(e.args()).hasSize(2);
    assertThat(e.args().get(0).get("room").asText()).isEqualTo("survey:1");
    var noAck = (SioPacket.Event) SioPacket.decode("2[\"ping\"]");
    assertThat(noAck.ackId()).isEqualTo(-1);
    assertThat(noAck.args()).isEmpty();
    var nsp = (SioPacket.Event) SioPacket.decode("2/chat,3[\"m\",1]");
    assertThat(nsp.nsp()).isEqualTo("/chat");
    assertThat(nsp.ackId()).isEqualTo(3);
    var ack = (SioPacket.Ack) SioPacket.decode("35[\"ok\"]");
    assertThat(ack.id()).isEqualTo(5);
  }

  @Test
  void badEventsAreProtocolErrors() {
    assertThatThrownBy(() -> SioPacket.decode("2[\"connect\"]")).hasMessageContaining("reserved");
    assertThatThrownBy(() -> SioPacket.decode("2[true,2]"))
        .hasMessageContaining("starts with its name");
    assertThatThrownBy(() -> SioPacket.decode("2[]")).hasMessageContaining("starts with its name");
    assertThatThrownBy(() -> SioPacket.decode("2{\"a\":1}")).hasMessageContaining("array");
    assertThatThrownBy(() -> SioPacket.decode("2[\"a\""))
        .isInstanceOfSatisfying(
            ProtocolException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_JSON));
    assertThatThrownBy(() -> SioPacket.decode("5[\"a\",{\"_placeholder\":true,\"num\":0}]"))
        .hasMessageContaining("attachment count");
    assertThatThrownBy(() -> SioPacket.decode("50-[\"a\"]")).hasMessageContaining("1 to 256");
    assertThatThrownBy(() -> SioPacket.decode("0[1]")).hasMessageContaining("object");
    assertThatThrownBy(() -> SioPacket.decode("3[\"x\"]")).hasMessageContaining("id");
    assertThatThrownBy(() -> SioPacket.decode("7")).hasMessageContaining("unknown");
  }

  /** The specification's invalid packets: each must make the server close the connection. */
  @Test
  void malformedPacketsAsTheSpecificationListsThem() {
    assertThatThrownBy(() -> SioPacket.decode("abc")).hasMessageContaining("unknown");
    assertThatThrownBy(() -> SioPacket.decode("2{}")).hasMessageContaining("array");
    assertThatThrownBy(() -> SioPacket.decode("2abc[\"message-with-ack\",1]"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> SioPacket.decode("2[\"a\"]junk"))
        .isInstanceOf(ProtocolException.class);
    assertThatThrownBy(() -> SioPacket.decode("4{\"message\":\"x\"}"))
        .hasMessageContaining("unknown");
    assertThatThrownBy(() -> SioPacket.decode("1/a,{}")).hasMessageContaining("DISCONNECT");
    assertThatThrownBy(() -> SioPacket.decode("2" + "1".repeat(16) + "[\"a\"]"))
        .hasMessageContaining("15 digits");
  }

  @Test
  void aNamespaceMayEndThePacket() throws Exception {
    assertThat(SioPacket.decode("0/random")).isEqualTo(new SioPacket.Connect("/random", null));
    assertThat(SioPacket.decode("1/custom")).isEqualTo(new SioPacket.Disconnect("/custom"));
    assertThat(((SioPacket.Event) SioPacket.decode("2[7,\"x\"]")).name()).isEqualTo("7");
  }

  @Test
  void binaryEventsAndAcksNameTheirAttachmentsBeforeTheNamespace() throws Exception {
    var e =
        (SioPacket.Event)
            SioPacket.decode(
                "52-/custom,789[\"message\",{\"_placeholder\":true,"
                    + "\"num\":0},{\"a\":[{\"_placeholder\":true,\"num\":1}]}]");
    assertThat(e.attachments()).isEqualTo(2);
    assertThat(e.nsp()).isEqualTo("/custom");
    assertThat(e.ackId()).isEqualTo(789);
    Attachments.fill(e.args(), List.of(new byte[] {1, 2, 3}, new byte[] {4}));
    assertThat(e.args().get(0).binaryValue()).containsExactly(1, 2, 3);
    assertThat(e.args().get(1).get("a").get(0).binaryValue()).containsExactly(4);
    var a = (SioPacket.Ack) SioPacket.decode("61-4[{\"_placeholder\":true,\"num\":0}]");
    assertThat(a.attachments()).isEqualTo(1);
    assertThat(a.id()).isEqualTo(4);
    assertThatThrownBy(() -> Attachments.fill(a.args(), List.of()))
        .hasMessageContaining("does not exist");
  }

  @Test
  void binaryArgumentsGoOutAsPlaceholdersAndAttachments() throws Exception {
    var args =
        JsonNodeFactory.instance
            .arrayNode()
            .add(new byte[] {1, 2, 3})
            .add(JsonNodeFactory.instance.objectNode().put("b", new byte[] {4, 5, 6}));
    var event = SioEncoder.event("/", "message-back", args);
    assertThat(event.text())
        .isEqualTo(
            "452-[\"message-back\",{\"_placeholder\":true,\"num\":0},{\"b\":{\"_placeholder\":true,\"num\":1}}]");
    assertThat(event.attachments())
        .satisfiesExactly(
            b -> assertThat(b).containsExactly(1, 2, 3),
            b -> assertThat(b).containsExactly(4, 5, 6));
    assertThat(SioEncoder.ack("/custom", 789, args).text())
        .startsWith("462-/custom,789[{\"_placeholder\":true,\"num\":0},");
    var plain = SioEncoder.event("/custom", "auth", JsonNodeFactory.instance.arrayNode().add(1));
    assertThat(plain.text()).isEqualTo("42/custom,[\"auth\",1]");
    assertThat(plain.attachments()).isEmpty();
    assertThat(SioEncoder.connected("/custom", "s", null)).isEqualTo("40/custom,{\"sid\":\"s\"}");
  }

  @Test
  void serverPacketsAreEngineIoMessages() {
    assertThat(SioEncoder.connected("s1", null)).isEqualTo("40{\"sid\":\"s1\"}");
    assertThat(SioEncoder.connected("s1", "p\"1"))
        .isEqualTo("40{\"sid\":\"s1\",\"pid\":\"p\\\"1\"}");
    assertThat(SioEncoder.connectError("/", "nope")).isEqualTo("44{\"message\":\"nope\"}");
    assertThat(SioEncoder.connectError("/x", "Invalid namespace"))
        .isEqualTo("44/x,{\"message\":\"Invalid namespace\"}");
    assertThat(SioEncoder.event("room_joined", "{\"room\":\"a\"}"))
        .isEqualTo("42[\"room_joined\",{\"room\":\"a\"}]");
    assertThat(SioEncoder.event("pong", "")).isEqualTo("42[\"pong\"]");
    assertThat(SioEncoder.ack(4, "{\"ok\":true}")).isEqualTo("434[{\"ok\":true}]");
  }
}
