package io.herald.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A machine without Node or Chromium gets one line naming the install command, not "error=2" and a
 * stack trace.
 */
class PrerequisitesTest {
  @Test
  void missingNodeNamesTheInstallCommand(@TempDir Path empty) throws Exception {
    assertThat(NodeScript.missingNode(empty.toString()))
        .hasValue(
            "Node.js is not installed (no node on PATH): sudo apt-get "
                + "install -y nodejs npm, then ./run-tests (it runs npm ci in e2e/)");
    Path node = Files.createFile(empty.resolve("node"));
    node.toFile().setExecutable(true);
    assertThat(NodeScript.missingNode(empty.toString())).isEmpty();
  }

  @Test
  void missingChromiumNamesTheInstallCommand(@TempDir Path dir) {
    assertThat(NodeScript.missingChromium(dir.resolve("chromium").toString()).orElseThrow())
        .isEqualTo(
            "Chromium is not installed at "
                + dir.resolve("chromium")
                + ": sudo apt-get install -y chromium (./run-tests installs it), "
                + "or set CHROMIUM to its path");
  }
}
