package io.herald.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DotEnvTest {
  @Test
  void readsKeyValueLinesWithCommentsExportAndQuotes(@TempDir Path dir) throws Exception {
    Path f = dir.resolve(".env");
    Files.writeString(
        f,
        """
        # telemetry
        PORT=8081
        export JWT_SECRET="a secret with spaces"
        CORS_ALLOWED_ORIGINS='http://a, http://b'
        WORKER_POOL_SIZE=50 # trailing comment
        not a variable line
        EMPTY=
        """);
    assertThat(DotEnv.read(f))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "PORT",
                "8081",
                "JWT_SECRET",
                "a secret with spaces",
                "CORS_ALLOWED_ORIGINS",
                "http://a, http://b",
                "WORKER_POOL_SIZE",
                "50",
                "EMPTY",
                ""));
  }

  @Test
  void aMissingFileIsNoVariables(@TempDir Path dir) {
    assertThat(DotEnv.read(dir.resolve(".env"))).isEmpty();
  }
}
