package io.herald.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace of the test's own, joined to this machine by a veth pair on a private /30
 * (10.200.x.y) whose two addresses the test assigns: a client inside it reaches a server here from
 * an address that is not loopback, and its traffic never leaves the machine. Needs root and
 * iproute2; without them it fails when CI=true (where it must run) and skips elsewhere, saying why.
 * Closing removes the pair and the namespace, also after a failed test.
 */
public final class NetworkNamespace implements AutoCloseable {
  /** The address on this machine's side of the pair: where the namespace's client connects. */
  public final String hostAddress;

  /** The namespace's own address: what the server sees as the client's. */
  public final String innerAddress;

  private final String name;
  private final String hostLink;
  private final Thread cleanupOnExit = new Thread(this::remove);

  private NetworkNamespace(String id, int third, int fourth) {
    name = "herald-" + id;
    hostLink = "hvh" + id; // interface names have at most 15 characters
    hostAddress = "10.200." + third + "." + (fourth + 1);
    innerAddress = "10.200." + third + "." + (fourth + 2);
  }

  /**
   * A new namespace and pair, or a skip (a failure when CI=true) where this machine cannot make
   * one.
   */
  public static NetworkNamespace create() throws InterruptedException {
    NetworkNamespace ns = null;
    try {
      String used = run("ip", "-4", "-o", "addr", "show");
      ThreadLocalRandom random = ThreadLocalRandom.current();
      int third, fourth;
      do { // a /30 no interface here is on, so the pair routes nothing but its own two addresses
        third = random.nextInt(256);
        fourth = random.nextInt(64) * 4;
      } while (used.contains(" 10.200." + third + "."));
      ns = new NetworkNamespace(Integer.toHexString(random.nextInt(0x1000000)), third, fourth);
      Runtime.getRuntime()
          .addShutdownHook(ns.cleanupOnExit); // a run killed mid-test leaves nothing behind either
      String inner = "hvi" + ns.hostLink.substring(3);
      run("ip", "netns", "add", ns.name);
      run("ip", "link", "add", ns.hostLink, "type", "veth", "peer", "name", inner);
      run("ip", "link", "set", inner, "netns", ns.name);
      run("ip", "addr", "add", ns.hostAddress + "/30", "dev", ns.hostLink);
      run("ip", "link", "set", ns.hostLink, "up");
      ns.exec("ip", "addr", "add", ns.innerAddress + "/30", "dev", inner);
      ns.exec("ip", "link", "set", inner, "up");
      ns.exec("ip", "link", "set", "lo", "up");
      return ns;
    } catch (IOException | RuntimeException e) { // no ip, not root, no CAP_NET_ADMIN
      if (ns != null) ns.close();
      String cannot =
          "no network namespace can be made here (it needs root and iproute2): " + e.getMessage();
      if ("true".equals(System.getenv("CI")))
        throw new IllegalStateException("CI must run this test, but " + cannot, e);
      Assumptions.abort(cannot);
      throw new AssertionError("unreachable");
    }
  }

  /**
   * Runs {@code command} inside the namespace; its output (stdout and stderr) when it exits 0, else
   * an exception.
   */
  public String exec(String... command) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
    all.addAll(List.of(command));
    return run(all.toArray(String[]::new));
  }

  private static String run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + ": no exit within 30 s");
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.exitValue() != 0)
      throw new IllegalStateException(
          String.join(" ", command) + ": exit " + p.exitValue() + ": " + out);
    return out;
  }

  /**
   * Deleting the host end deletes its peer; then the namespace goes. Errors are ignored: either may
   * be gone already.
   */
  private void remove() {
    for (String[] c :
        List.of(
            new String[] {"ip", "link", "del", hostLink},
            new String[] {"ip", "netns", "del", name})) {
      try {
        run(c);
      } catch (IOException | InterruptedException | RuntimeException ignored) {
        // nothing to remove
      }
    }
  }

  @Override
  public void close() {
    remove();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupOnExit);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs anyway, finding nothing left
    }
  }
}
