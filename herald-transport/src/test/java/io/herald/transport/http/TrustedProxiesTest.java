package io.herald.transport.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Whose address a request has, behind proxies that are trusted or not. */
class TrustedProxiesTest {
  private final TrustedProxies proxies =
      TrustedProxies.of(List.of("127.0.0.1", "10.0.0.0/8", "fd00::/8"));

  @Test
  void aPeerThatIsNoTrustedProxyIsTheClientWhateverItsHeadersSay() {
    assertThat(proxies.client("203.0.113.7", List.of("198.51.100.1"))).isEqualTo("203.0.113.7");
    assertThat(TrustedProxies.NONE.client("127.0.0.1", List.of("198.51.100.1")))
        .isEqualTo("127.0.0.1");
  }

  @Test
  void behindTrustedProxiesTheClientIsTheLastAddressThatIsNotOne() {
    assertThat(proxies.client("127.0.0.1", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
    // The client wrote its own X-Forwarded-For (evil), the edge proxy appended the real address, an
    // inner proxy its own.
    assertThat(proxies.client("127.0.0.1", List.of("6.6.6.6, 198.51.100.1, 10.1.2.3")))
        .isEqualTo("198.51.100.1");
    assertThat(proxies.client("10.9.9.9", List.of("6.6.6.6", "198.51.100.1:5123, 10.1.2.3")))
        .as("several headers, a port")
        .isEqualTo("198.51.100.1");
    assertThat(proxies.client("127.0.0.1", List.of("[2001:db8::1]:443, fd00::5")))
        .isEqualTo("2001:db8:0:0:0:0:0:1");
    assertThat(proxies.client("127.0.0.1", List.of("10.1.1.1")))
        .as("only proxies: the farthest one")
        .isEqualTo("10.1.1.1");
    assertThat(proxies.client("127.0.0.1", List.of()))
        .as("no header: the proxy itself")
        .isEqualTo("127.0.0.1");
    assertThat(proxies.client("127.0.0.1", List.of("unknown, 10.1.1.1")))
        .as("garbage ends the walk")
        .isEqualTo("10.1.1.1");
    // One spelling per address, so one client is one key for MAX_CONNECTIONS_PER_IP whatever proxy
    // wrote it.
    assertThat(proxies.client("127.0.0.1", List.of("::ffff:198.51.100.1")))
        .isEqualTo("198.51.100.1");
    assertThat(proxies.client("127.0.0.1", List.of("2001:DB8:0::1")))
        .isEqualTo(proxies.client("127.0.0.1", List.of("2001:db8::1")));
  }

  @Test
  void rangesAreMatchedBitByBitAndBadEntriesNamed() {
    TrustedProxies p = TrustedProxies.of(List.of("192.168.4.0/22"));
    assertThat(p.trusted("192.168.7.255")).isTrue();
    assertThat(p.trusted("192.168.8.0")).isFalse();
    assertThat(p.trusted("::ffff:192.168.5.1"))
        .as("an IPv4-mapped IPv6 address is that IPv4 address")
        .isTrue();
    assertThat(p.trusted("not-an-address")).isFalse();
    assertThatThrownBy(() -> TrustedProxies.of(List.of("proxy.internal")))
        .hasMessageContaining("'proxy.internal' is neither");
    assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33")))
        .hasMessageContaining("prefix length outside 0-32");
  }
}
