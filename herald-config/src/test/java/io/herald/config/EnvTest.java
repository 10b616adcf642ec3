package io.herald.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EnvTest {
  @ParameterizedTest
  @CsvSource({
    "500ms,500",
    "2s,2000",
    "1m30s,90000",
    "1.5h,5400000",
    "0,0",
    "250us,0",
    "1h2m3s4ms,3723004"
  })
  void parsesGoDurations(String text, long millis) {
    assertThat(GoDuration.parse(text).toMillis()).isEqualTo(millis);
  }

  @ParameterizedTest
  @CsvSource({"10", "s", "1x", "-1s", "1s junk", "''"})
  void rejectsWhatGoRejects(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("expected a duration such as 500ms, 2s or 1m30s");
  }

  @Test
  void typedReadsUseDefaultsWhenUnsetOrBlank() {
    Env env = Env.of(Map.of("BLANK", "  "));
    assertThat(env.string("BLANK", "d")).isEqualTo("d");
    assertThat(env.integer("MISSING", 7, 0, 10)).isEqualTo(7);
    assertThat(env.bytes("MISSING", 42)).isEqualTo(42);
    assertThat(env.list("MISSING", List.of("*"))).containsExactly("*");
  }

  @Test
  void anEmptyPasswordSetOnPurposeStaysEmpty() {
    Env env = Env.of(Map.of("DB_PASSWORD", ""));
    assertThat(env.stringOrEmpty("DB_PASSWORD", "secret_app")).isEmpty();
    assertThat(env.stringOrEmpty("UNSET", "secret_app")).isEqualTo("secret_app");
  }

  @Test
  void aVariableTwoServicesReadIsReportedOnce() {
    Env env = Env.of(Map.of("HERALD_OUTBOX_MAX_MESSAGES", "lots"));
    env.integer("HERALD_OUTBOX_MAX_MESSAGES", 1, 1, 10); // push-hub
    env.integer("HERALD_OUTBOX_MAX_MESSAGES", 1, 1, 10); // websocket
    assertThatThrownBy(env::validate)
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(1));
  }

  @Test
  void readsSizesListsAndChoices() throws ConfigException {
    Env env = Env.of(Map.of("A", "64KiB", "B", "1MiB", "C", " a, b ,,c ", "D", "JSON", "E", "512"));
    assertThat(env.bytes("A", 0)).isEqualTo(65536);
    assertThat(env.bytes("B", 0)).isEqualTo(1 << 20);
    assertThat(env.bytes("E", 0)).isEqualTo(512);
    assertThat(env.list("C", List.of())).containsExactly("a", "b", "c");
    assertThat(env.choice("D", "text", List.of("text", "json"))).isEqualTo("json");
    env.validate();
  }

  @Test
  void everyBadVariableIsNamedInOneError() {
    Env env =
        Env.of(
            Map.of(
                "PORT",
                "eighty",
                "LOG_LEVEL",
                "loud",
                "HERALD_WS_PING_PERIOD",
                "fast",
                "HERALD_TYPO",
                "1",
                "HERALD_JAVA_OPTS",
                "-Xmx1g"));
    env.integer("PORT", 8080, 0, 65535);
    env.choice("LOG_LEVEL", "info", List.of("debug", "info", "warn", "error"));
    env.duration("HERALD_WS_PING_PERIOD", Duration.ofSeconds(54));
    assertThatThrownBy(env::validate)
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        "PORT=eighty: expected a whole number from 0 to 65535",
                        "LOG_LEVEL=loud: expected one of debug, info, warn, error",
                        "HERALD_WS_PING_PERIOD=fast: expected a duration such as 500ms, 2s or 1m30s",
                        "HERALD_TYPO: unknown variable"));
  }

  @Test
  void eachReadKnowsItsSourceAndDefault() {
    Env env =
        Env.of(
            Map.of("PORT", "9000", "EMPTY_PASSWORD", ""),
            Map.of("PORT", "1", "LOG_LEVEL", "debug"));
    env.integer("PORT", 8080, 0, 65535);
    env.string("LOG_LEVEL", "info");
    env.duration("HERALD_SHUTDOWN_TIMEOUT", Duration.ofSeconds(10));
    env.bytes("HERALD_MAX_BODY", 64 * 1024);
    env.stringOrEmpty("EMPTY_PASSWORD", "secret");
    env.optional("JWT_SECRET");
    assertThat(env.reads())
        .containsExactly(
            new Env.Read("PORT", Optional.of("9000"), "8080", Env.Source.ENVIRONMENT),
            new Env.Read("LOG_LEVEL", Optional.of("debug"), "info", Env.Source.DOTENV),
            new Env.Read("HERALD_SHUTDOWN_TIMEOUT", Optional.empty(), "10s", Env.Source.DEFAULT),
            new Env.Read("HERALD_MAX_BODY", Optional.empty(), "64KiB", Env.Source.DEFAULT),
            new Env.Read("EMPTY_PASSWORD", Optional.of(""), "secret", Env.Source.ENVIRONMENT),
            new Env.Read("JWT_SECRET", Optional.empty(), "(unset)", Env.Source.DEFAULT));
  }
}
