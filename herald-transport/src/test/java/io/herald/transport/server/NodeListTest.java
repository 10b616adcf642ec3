package io.herald.transport.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The nodes a node lists (issue 25): aged on a clock the test moves, never from the engine's own
 * clock.
 */
class NodeListTest {
  private final AtomicLong millis = new AtomicLong(1_000_000);
  private final InstantSource clock = () -> Instant.ofEpochMilli(millis.get());
  private final NodeList list =
      new NodeList("self", clock, Duration.ofSeconds(6), Duration.ofSeconds(20));
  private final NodeBeacon self = beacon("self", "10.0.0.1:8080");

  private static NodeBeacon beacon(String id, String address) {
    return new NodeBeacon(id, address, List.of("push-hub"), 42, Instant.ofEpochSecond(1_000), 3);
  }

  private void seconds(int s) {
    millis.addAndGet(s * 1000L);
  }

  private List<String> states() {
    return list.nodes(self).stream()
        .map(n -> n.beacon().id() + ":" + n.state() + (n.self() ? ":self" : ""))
        .toList();
  }

  @Test
  void aNodeAloneListsItself() {
    assertThat(states()).containsExactly("self:UP:self");
  }

  @Test
  void othersAreListedByAddressAfterThisNodeAndItsOwnHeartbeatIsNotListedTwice() {
    list.heard(beacon("b", "10.0.0.3:8080"), clock.instant());
    list.heard(beacon("a", "10.0.0.2:8080"), clock.instant());
    list.heard(self, clock.instant());
    assertThat(states()).containsExactly("self:UP:self", "a:UP", "b:UP");
  }

  @Test
  void aNodeThatStopsAnnouncingIsGoneAfterThreeHeartbeatsThenDropped() {
    list.heard(beacon("a", "a:1"), clock.instant());
    seconds(6);
    assertThat(states()).containsExactly("self:UP:self", "a:UP");
    seconds(1);
    assertThat(states()).containsExactly("self:UP:self", "a:GONE");
    seconds(13);
    assertThat(states()).containsExactly("self:UP:self", "a:GONE");
    seconds(1);
    assertThat(states()).containsExactly("self:UP:self");
  }

  @Test
  void aHeartbeatBringsAGoneNodeBackAndAnOlderOneChangesNothing() {
    Instant first = clock.instant();
    list.heard(beacon("a", "a:1"), first);
    seconds(8);
    assertThat(states()).containsExactly("self:UP:self", "a:GONE");
    list.heard(beacon("a", "a:1"), clock.instant());
    list.heard(beacon("a", "a:1"), first);
    assertThat(states()).containsExactly("self:UP:self", "a:UP");
  }

  @Test
  void aNodeThatLeftIsListedAsLeftUntilDropped() {
    list.heard(beacon("a", "a:1"), clock.instant());
    seconds(1);
    list.left(beacon("a", "a:1"), clock.instant());
    assertThat(states()).containsExactly("self:UP:self", "a:LEFT");
    seconds(21);
    assertThat(states()).containsExactly("self:UP:self");
  }

  @Test
  void theLastSeenTimeIsWhenTheHeartbeatWasHeard() {
    Instant heard = clock.instant();
    list.heard(beacon("a", "a:1"), heard);
    seconds(4);
    NodeSeen a = list.nodes(self).get(1);
    assertThat(a.lastSeen()).isEqualTo(heard);
    assertThat(a.beacon().connections()).isEqualTo(3);
  }

  @Test
  void aBeaconReadsBackAsWrittenAndAnythingElseIsSkipped() {
    NodeBeacon b = beacon("a1b2c3d4", "host:8080");
    assertThat(NodeBeacon.parse(b.toJson())).isEqualTo(b);
    assertThat(b.toJson().length()).as("small").isLessThan(200);
    String badTime = "{\"id\":\"x\",\"address\":\"a\",\"services\":[],\"startedAt\":\"later\"}";
    for (String other : List.of("", "not json", "{}", "{\"id\":1}", badTime)) {
      assertThat(NodeBeacon.parse(other)).as(other).isNull();
    }
  }
}
