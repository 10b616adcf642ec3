package io.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a page script from e2e/ (Chromium through Playwright, see e2e/browser.mjs) and expects it to
 * end with "ok". One that needs the server restarted half-way prints RESTART; the test then
 * restarts its server on the same port and answers GO.
 */
public final class PageScript {
  /** Restarts the server on the same port. */
  public interface Restart {
    void run() throws Exception;
  }

  private PageScript() {}

  /**
   * @param shot where the script saves its screenshot (the last argument it gets)
   */
  public static void runAcrossRestart(String script, List<String> args, Path shot, Restart restart)
      throws Exception {
    try (NodeScript page = start(script, args, shot)) {
      assertThat(page.readUntil("RESTART")).as(String.join("\n", page.lines)).isTrue();
      restart.run();
      page.writeLine("GO");
      end(page, shot);
    }
  }

  /** A script that runs through without a restart. */
  public static void run(String script, List<String> args, Path shot) throws Exception {
    try (NodeScript page = start(script, args, shot)) {
      end(page, shot);
    }
  }

  private static NodeScript start(String script, List<String> args, Path shot) throws Exception {
    NodeScript.missingChromium(System.getenv("CHROMIUM"))
        .ifPresent(
            why -> {
              throw new IllegalStateException(why);
            });
    Files.createDirectories(shot.getParent());
    List<String> all = new ArrayList<>(args);
    all.add(shot.toString());
    return new NodeScript(script, all.toArray(String[]::new));
  }

  private static void end(NodeScript page, Path shot) throws Exception {
    assertThat(page.readUntil("ok")).as(String.join("\n", page.lines)).isTrue();
    assertThat(page.exitCode()).isZero();
    assertThat(shot).exists();
  }
}
