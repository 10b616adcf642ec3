package io.herald.testkit;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Server processes a topology starts on loopback, each one's log kept in its directory for when a
 * test fails.
 */
final class Processes {
  private Processes() {}

  static Process start(Path dir, String name, List<String> command) throws IOException {
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile())
        .start();
  }

  /** A condition polled until it holds; an exception counts as "not yet". */
  interface Check {
    boolean holds() throws Exception;
  }

  /**
   * Polls {@code check} every {@code poll} until it holds; after {@code max}, fails naming {@code
   * what}. The topologies use this instead of Awaitility so the fault scripts (whose jar does not
   * ship it) can start them.
   */
  static void await(String what, Duration max, Duration poll, Check check) throws IOException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      try {
        if (check.holds()) return;
      } catch (Exception notYet) {
        if (notYet instanceof InterruptedException) Thread.currentThread().interrupt();
      }
      if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
        throw new IOException(what + ": not within " + max.toSeconds() + " s");
      }
      try {
        Thread.sleep(poll.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static void awaitPort(int port) throws IOException {
    await(
        "port " + port + " accepting",
        Duration.ofSeconds(20),
        Duration.ofMillis(50),
        () -> {
          try (Socket s = new Socket("127.0.0.1", port)) {
            return true;
          }
        });
  }

  /** SIGKILL: the process gets no chance to write or hand anything over, as a machine that dies. */
  static void kill(Process p) throws InterruptedException {
    if (p == null || !p.isAlive()) return;
    p.destroyForcibly();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGSTOP or SIGCONT: a process that stops answering (a stalled machine) and comes back. */
  static void signal(Process p, String signal) throws IOException, InterruptedException {
    if (!p.isAlive()) return;
    new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid()))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor(5, TimeUnit.SECONDS);
  }

  /** Runs a command line tool (redis-cli) and returns what it printed, trimmed. */
  static String output(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(10, TimeUnit.SECONDS);
    return out.strip();
  }

  /**
   * Runs redis-cli against one node on loopback (no -c: the answer is that node's, redirects
   * included); the Redis topologies administer their nodes with it, so the fault scripts need no
   * Redis library.
   */
  static String redisCli(int port, String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(List.of(args));
    return output(cmd);
  }

  static void delete(Path dir) throws IOException {
    if (dir == null || !Files.exists(dir)) return;
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
