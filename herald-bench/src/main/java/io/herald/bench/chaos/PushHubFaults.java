package io.herald.bench.chaos;

import io.herald.bench.load.Progress;
import io.herald.bench.target.RunningTarget;
import io.herald.testkit.Ports;
import io.herald.testkit.RawWsClient;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * push-hub's faults beyond a restart: clients that half-close, and a journal whose disk fills up.
 */
final class PushHubFaults {
  private final ChaosConfig config;
  private final HttpClient http;
  private final Progress progress;
  private final Faults faults;

  PushHubFaults(ChaosConfig config, HttpClient http, Progress progress, Faults faults) {
    this.config = config;
    this.http = http;
    this.progress = progress;
    this.faults = faults;
  }

  /**
   * While readers receive a running load, {@code clients} more open a WebSocket and send a TCP FIN
   * (half-close: no close frame, their reading side still open). Herald must end each such
   * connection itself (the client reads the end of the stream) and count it gone, and the readers
   * must lose nothing.
   */
  Tally halfClose() throws Exception {
    Path journal = Files.createTempDirectory(config.out(), "journal-");
    int port = Ports.free();
    RunningTarget server = RunningTarget.start(faults.pushHub(journal), port, config.out());
    Ledger ledger = new Ledger();
    List<ResumingClient> readers = faults.connect(port, config.clients());
    Faults.Publisher pub = new Faults.Publisher(http, port, config.rate(), ledger);
    Thread publisher = Thread.ofVirtual().start(() -> pub.run(config.seconds()));
    Faults.sleep((long) (config.seconds() * 1000 / 3));
    int n = config.clients();
    progress.line("half-close: " + n + " clients open a WebSocket and send FIN");
    AtomicLong ended = new AtomicLong(), slowest = new AtomicLong();
    List<Thread> halves = new ArrayList<>();
    for (int i = 0; i < n; i++)
      halves.add(Thread.ofVirtual().start(() -> halfCloseOne(port, ended, slowest)));
    for (Thread t : halves) t.join();
    publisher.join();
    boolean caughtUp = faults.awaitCaughtUp("half-close", readers, ledger);
    long open = Scrape.value(http, port, l -> l.startsWith("herald_connections "));
    Tally t = Faults.tally("half-close", readers, ledger, pub, "", "");
    readers.forEach(ResumingClient::stop);
    server.close();
    Faults.delete(journal);
    String signal =
        ended.get() + "/" + n + " ended by the server (slowest " + slowest.get() + " ms)";
    return t.judged(
        ended.get() == n && open == config.clients(),
        signal,
        (caughtUp ? "readers caught up" : "readers behind")
            + "; connections open afterwards: "
            + open
            + " (the readers)");
  }

  private static void halfCloseOne(int port, AtomicLong ended, AtomicLong slowest) {
    try (RawWsClient c = new RawWsClient(port, "/ws")) {
      c.shutdownOutput();
      long t0 = System.nanoTime();
      c.readTimeout(10_000);
      c.readToEnd(); // frames the server sent before it saw the FIN (its welcome, events), then
      // the end
      ended.incrementAndGet();
      slowest.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
    } catch (IOException e) {
      // not ended within 10 s (SocketTimeoutException) or never upgraded: not counted as ended
    }
  }

  /**
   * The journal on a 512 KiB tmpfs while 2 KB events go out: once it is full, publishes must be
   * refused (503) and none half-delivered; two thirds of the way in the filesystem grows to 64 MiB
   * and publishes are accepted again. Needs root (mount); skipped otherwise.
   */
  Tally diskFull() throws Exception {
    Path mnt = Files.createTempDirectory("herald-chaos-disk-");
    Shell.Result mount = Shell.run(10, "mount -t tmpfs -o size=512k,mode=0700 tmpfs " + mnt);
    if (!mount.ok()) {
      Files.deleteIfExists(mnt);
      return Tally.skipped(
          "disk-full", "could not mount a small tmpfs (needs root): " + mount.output());
    }
    try {
      int port = Ports.free();
      RunningTarget server =
          RunningTarget.start(faults.pushHub(mnt.resolve("journal")), port, config.out());
      Ledger ledger = new Ledger();
      List<ResumingClient> readers = faults.connect(port, config.clients());
      Faults.Publisher pub = new Faults.Publisher(http, port, config.rate(), ledger, 2048);
      Thread publisher = Thread.ofVirtual().start(() -> pub.run(config.seconds()));
      Faults.sleep((long) (config.seconds() * 1000 * 2 / 3));
      long refusedWhileFull = ledger.refused.get(), acceptedBefore = ledger.accepted.size();
      Shell.Result grow = Shell.run(10, "mount -o remount,size=64m " + mnt);
      progress.line(
          "disk-full: "
              + refusedWhileFull
              + " publishes refused while the journal's disk was full; the disk grows to 64 MiB"
              + (grow.ok() ? "" : " (failed: " + grow.output() + ")"));
      publisher.join();
      long acceptedAfter = ledger.accepted.size() - acceptedBefore;
      boolean caughtUp = faults.awaitCaughtUp("disk-full", readers, ledger);
      Tally t = Faults.tally("disk-full", readers, ledger, pub, "", "");
      readers.forEach(ResumingClient::stop);
      server.close();
      String signal = refusedWhileFull + " refused (503) while full";
      return t.judged(
          refusedWhileFull > 0 && acceptedAfter > 0,
          signal,
          (caughtUp ? "readers caught up" : "readers behind")
              + "; "
              + acceptedAfter
              + " accepted again once the disk had room");
    } finally {
      Shell.run(10, "umount " + mnt);
      Files.deleteIfExists(mnt);
    }
  }
}
