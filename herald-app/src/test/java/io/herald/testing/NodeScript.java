package io.herald.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a script from the repository's e2e/ folder (real npm clients) and reads its output line by line. */
public final class NodeScript implements AutoCloseable {
  public final Process process;
  private final BufferedReader out;
  private final Writer in;
  public final List<String> lines = new ArrayList<>();

  public NodeScript(String script, String... args) throws IOException {
    Path e2e = e2eDir();
    List<String> cmd = new ArrayList<>(List.of("node", e2e.resolve(script).toString()));
    cmd.addAll(List.of(args));
    process = new ProcessBuilder(cmd).directory(e2e.toFile()).redirectErrorStream(true).start();
    out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  public static Path e2eDir() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("e2e/node_modules"))) return p.resolve("e2e");
    }
    throw new IllegalStateException("e2e/node_modules not found: run ./run-tests (it runs npm ci in e2e/)");
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
    if (!process.waitFor(60, TimeUnit.SECONDS)) throw new IllegalStateException("node did not exit: " + lines);
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
