package io.herald.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code --version}: the project's version (written into the jar by the build), the commit (handed
 * over by the launcher, which knows the checkout; "unknown" when run another way) and the JDK
 * running it.
 */
public final class Version implements IVersionProvider {
  @Override
  public String[] getVersion() {
    return new String[] {
      "herald " + project() + " (commit " + System.getProperty("herald.commit", "unknown") + ")",
      "JDK "
          + Runtime.version()
          + " ("
          + System.getProperty("java.vendor")
          + ", "
          + System.getProperty("java.home")
          + ")"
    };
  }

  static String project() {
    Properties p = new Properties();
    try (InputStream in = Version.class.getResourceAsStream("/io/herald/cli/version.properties")) {
      if (in != null) p.load(in);
    } catch (IOException e) {
      return "unknown";
    }
    return p.getProperty("version", "unknown");
  }
}
