package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.outbox.CloseReason;
import io.herald.protocol.envelope.ErrorCode;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * docs/ERRORS.md lists every close reason and every error code there is, with its exact code and
 * text.
 */
class CatalogTest {
  static String catalog() throws Exception {
    return Files.readString(Path.of("..", "docs", "ERRORS.md"));
  }

  @Test
  void everyCloseReasonIsInTheCatalog() throws Exception {
    String doc = catalog();
    int found = 0;
    for (Field f : CloseReason.class.getFields()) {
      if (!Modifier.isStatic(f.getModifiers()) || f.getType() != CloseReason.class) continue;
      CloseReason r = (CloseReason) f.get(null);
      assertThat(doc).as(f.getName()).contains("| " + r.code() + " | `" + r.reason() + "` |");
      found++;
    }
    assertThat(found).isGreaterThanOrEqualTo(15);
  }

  @Test
  void everyErrorCodeIsInTheCatalog() throws Exception {
    String doc = catalog();
    for (ErrorCode c : ErrorCode.values())
      assertThat(doc).as(c.name()).contains("| `" + c.wire() + "` |");
  }
}
