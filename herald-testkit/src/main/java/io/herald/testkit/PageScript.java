package io.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a page script from e2e/ (Chromium through Playwright, see e2e/browser.mjs) that needs the server restarted
 * half-way: when it prints RESTART the test restarts its server on the same port, answers GO, and expects "ok".
 */
public final class PageScript {
  /** Restarts the server on the same port. */
  public interface Restart {
    void run() throws Exception;
  }

  private PageScript() {}

  /** @param shot where the script saves its screenshot (the last argument it gets) */
  public static void runAcrossRestart(String script, List<String> args, Path shot, Restart restart) throws Exception {
    NodeScript.missingChromium(System.getenv("CHROMIUM")).ifPresent(why -> {
      throw new IllegalStateException(why);
    });
    Files.createDirectories(shot.getParent());
    List<String> all = new ArrayList<>(args);
    all.add(shot.toString());
    try (NodeScript page = new NodeScript(script, all.toArray(String[]::new))) {
      assertThat(page.readUntil("RESTART")).as(String.join("\n", page.lines)).isTrue();
      restart.run();
      page.writeLine("GO");
      assertThat(page.readUntil("ok")).as(String.join("\n", page.lines)).isTrue();
      assertThat(page.exitCode()).isZero();
      assertThat(shot).exists();
    }
  }
}
