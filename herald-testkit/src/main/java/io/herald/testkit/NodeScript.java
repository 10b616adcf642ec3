package io.herald.testkit;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Runs a script from the repository's e2e/ folder (real npm clients) and reads its output line by
 * line.
 */
public final class NodeScript implements AutoCloseable {
  public final Process process;
  private final BufferedReader out;
  private final Writer in;
  public final List<String> lines = new ArrayList<>();

  public NodeScript(String script, String... args) throws IOException {
    missingNode(System.getenv().getOrDefault("PATH", ""))
        .ifPresent(
            why -> {
              throw new IllegalStateException(why);
            });
    Path e2e = e2eDir();
    List<String> cmd = new ArrayList<>(List.of("node", e2e.resolve(script).toString()));
    cmd.addAll(List.of(args));
    process = new ProcessBuilder(cmd).directory(e2e.toFile()).redirectErrorStream(true).start();
    out =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  /**
   * Why the Node clients cannot run with this {@code PATH}, in one line that names the install
   * command (instead of "Cannot run program node: error=2" and a stack trace), or empty when node
   * is there.
   */
  static Optional<String> missingNode(String path) {
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "node"))) return Optional.empty();
    }
    return Optional.of(
        "Node.js is not installed (no node on PATH): sudo apt-get "
            + "install -y nodejs npm, then ./run-tests (it runs npm ci in e2e/)");
  }

  /**
   * Why the page scripts cannot start Chromium (CHROMIUM, else /usr/bin/chromium), or empty when it
   * is there.
   */
  static Optional<String> missingChromium(String configured) {
    Path chromium =
        Path.of(configured == null || configured.isBlank() ? "/usr/bin/chromium" : configured);
    if (Files.isExecutable(chromium)) return Optional.empty();
    return Optional.of(
        "Chromium is not installed at "
            + chromium
            + ": sudo apt-get install -y chromium (./run-tests installs it), "
            + "or set CHROMIUM to its path");
  }

  public static Path e2eDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("e2e/node_modules"))) return p.resolve("e2e");
    }
    throw new IllegalStateException(
        "e2e/node_modules not found: run ./run-tests (it runs npm ci in e2e/)");
  }

  /** The next output line, or null at end of output. */
  public String readLine() throws IOException {
    String l = out.readLine();
    if (l != null) lines.add(l);
    return l;
  }

  /** Reads until a line equal to {@code expected}; false if output ended first. */
  public boolean readUntil(String expected) throws IOException {
    for (String l; (l = readLine()) != null; ) if (l.equals(expected)) return true;
    return false;
  }

  public void writeLine(String line) throws IOException {
    in.write(line + "\n");
    in.flush();
  }

  public int exitCode() throws InterruptedException {
    if (!process.waitFor(60, TimeUnit.SECONDS))
      throw new IllegalStateException("node did not exit: " + lines);
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
