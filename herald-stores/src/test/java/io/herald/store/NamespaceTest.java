package io.herald.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.config.ConfigException;
import io.herald.config.Env;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NamespaceTest {
  @Test
  void theDefaultPrefixKeepsTheNamesEveryEarlierVersionUsed() {
    // Deployments that never set HERALD_ENGINE_PREFIX upgrade without moving a key, a stream or a
    // bucket.
    Namespace d = Namespace.DEFAULT;
    assertThat(d.redisChannelKey("push-hub", "m")).isEqualTo("herald:{push-hub}:m");
    assertThat(d.redisKey("state", "s1")).isEqualTo("herald:state:s1");
    assertThat(d.redisKey("writer", "dirty", "chats_count"))
        .isEqualTo("herald:writer:dirty:chats_count");
    assertThat(d.redisKey("websocket", "broadcasts")).isEqualTo("herald:websocket:broadcasts");
    assertThat(d.telemetry().redisChannelKey("log", "s")).isEqualTo("herald:telemetry:{log}:s");
    assertThat(d.natsStream("push-hub")).isEqualTo("herald_push-hub");
    assertThat(d.natsSubject("push-hub")).isEqualTo("herald.ch.push-hub");
    assertThat(d.natsBucket("state")).isEqualTo("herald_state");
    assertThat(d.telemetry().natsStream("log")).isEqualTo("herald-telemetry_log");
  }

  @Test
  void everyNameOfADeploymentStartsWithItsPrefix() {
    Namespace a = new Namespace("tenant-a", "");
    assertThat(a.redisChannelKey("c", "live")).startsWith("tenant-a:");
    assertThat(a.telemetry().redisKey("x")).startsWith("tenant-a:telemetry:");
    assertThat(a.telemetry().natsSubject("log")).isEqualTo("tenant-a-telemetry.ch.log");
    assertThat(a.natsBucket("state")).isEqualTo("tenant-a_state");
  }

  @Test
  void noNameOfOneDeploymentIsANameOfAnother() {
    List<String> prefixes =
        List.of("a", "a-b", "ab", "herald", "herald-x", "t-1", "tenant", "tenant-a");
    List<String> channels = List.of("log", "push-hub", "a", "telemetry", "b:c", "x_y", "state");
    Map<String, String> owner = new HashMap<>();
    for (String p : prefixes) {
      Set<String> own = new HashSet<>();
      for (Namespace n : List.of(new Namespace(p, ""), new Namespace(p, "").telemetry())) {
        for (String ch : channels) {
          own.addAll(
              List.of(
                  n.redisChannelKey(ch, "m"),
                  n.redisChannelKey(ch, "s"),
                  n.redisChannelKey(ch, "live"),
                  n.redisKey("state", ch),
                  n.natsStream(ch),
                  n.natsSubject(ch),
                  n.natsBucket(ch)));
        }
      }
      for (String name : own) {
        String before = owner.putIfAbsent(name, p);
        assertThat(before).as(name).isNull();
      }
    }
  }

  @Test
  void aRedisKeyOfAChannelIsReadBackOnlyByItsOwnNamespace() {
    Namespace a = new Namespace("tenant-a", "");
    String live = a.redisChannelKey("push-hub", "live");
    assertThat(a.redisChannelOf(live, "live")).isEqualTo("push-hub");
    assertThat(new Namespace("tenant", "").redisChannelOf(live, "live")).isNull();
    assertThat(a.telemetry().redisChannelOf(live, "live")).isNull();
  }

  @Test
  void aPrefixThatCouldMeetAnotherDeploymentsNamesIsAConfigurationError() {
    List<String> bad =
        new ArrayList<>(
            List.of("a:b", "a_b", "a.b", "-a", "a b", "a{b}", "x".repeat(65), "prod-telemetry"));
    for (String p : bad) {
      Env env = Env.of(Map.of("HERALD_ENGINE_PREFIX", p));
      Namespace.from(env);
      assertThatThrownBy(env::validate)
          .as(p)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("HERALD_ENGINE_PREFIX");
      assertThatThrownBy(() -> new Namespace(p, ""))
          .as(p)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void anUnsetPrefixIsTheDefault() throws ConfigException {
    Env env = Env.of(Map.of());
    assertThat(Namespace.from(env)).isEqualTo(Namespace.DEFAULT);
    env.validate();
  }
}
