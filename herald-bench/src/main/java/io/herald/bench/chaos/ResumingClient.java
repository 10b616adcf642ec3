package io.herald.bench.chaos;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongConsumer;

/**
 * A client as a careful application writes one: it keeps the last sequence it saw and, whenever its
 * connection ends, connects again from it after a short randomised backoff (push-hub's {@code
 * ?since=}, report-listener's {@code ?since_seq=}). It records every sequence it receives, so lost,
 * duplicated and reordered events can be counted afterwards.
 */
final class ResumingClient implements WebSocket.Listener {
  /** Which service it speaks to. */
  enum Dialect {
    /**
     * push-hub's /ws: the start is {@code connection_established}'s lastSeq, each event one {@code
     * "seq"}.
     */
    PUSH_HUB,
    /**
     * report-listener's /api/v3/reports/listen: the start is given, each message a batch of {@code
     * {"seq":N,...}}.
     */
    REPORTS
  }

  private final HttpClient http;

  /**
   * Where each connection goes: one port, or the next node of a cluster each time (a killed node
   * refuses, so it moves on).
   */
  private final IntSupplier port;

  private final Dialect dialect;
  final Received got = new Received();

  /**
   * The channel position before this client's first connection: it is owed every accepted event
   * after it.
   */
  volatile long start = -1;

  private volatile long last = -1;
  private int connections;
  private volatile boolean stopped;
  private volatile WebSocket ws;
  private final StringBuilder partial = new StringBuilder();

  /**
   * Given each event's publish-to-delivery time in ns, when the publisher stamps its events ({@code
   * "t"}); else null.
   */
  volatile LongConsumer latency;

  ResumingClient(HttpClient http, int port) {
    this(http, () -> port, Dialect.PUSH_HUB, -1);
  }

  /** Each (re)connection to the port {@code ports} gives: a cluster's nodes in turn. */
  ResumingClient(HttpClient http, IntSupplier ports) {
    this(http, ports, Dialect.PUSH_HUB, -1);
  }

  /**
   * With {@code start} known beforehand (report-listener: the table's top seq before the client
   * first connects).
   */
  ResumingClient(HttpClient http, int port, Dialect dialect, long start) {
    this(http, () -> port, dialect, start);
  }

  private ResumingClient(HttpClient http, IntSupplier port, Dialect dialect, long start) {
    this.http = http;
    this.port = port;
    this.dialect = dialect;
    this.start = start;
    this.last = start;
  }

  /**
   * Connects (again, with {@code since} once it has a position); completes when the WebSocket is
   * open or failed.
   */
  CompletableFuture<Void> connect() {
    String path =
        switch (dialect) {
          case PUSH_HUB -> last >= 0 ? "/ws?since=" + last : "/ws";
          case REPORTS -> "/api/v3/reports/listen?since_seq=" + last;
        };
    return http.newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(10))
        .buildAsync(URI.create("ws://127.0.0.1:" + port.getAsInt() + path), this)
        .thenAccept(
            w -> {
              ws = w;
              synchronized (this) {
                connections++;
              }
            })
        .exceptionally(
            e -> {
              retry();
              return null;
            });
  }

  @Override
  public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean lastPart) {
    partial.append(data);
    if (lastPart) {
      message(partial);
      partial.setLength(0);
    }
    w.request(1);
    return null;
  }

  /** {@code connection_established} gives the start; an event's {@code "seq":N} is counted. */
  private synchronized void message(CharSequence m) {
    String s = m.toString();
    if (dialect == Dialect.REPORTS) {
      for (int i = s.indexOf(REPORT); i >= 0; i = s.indexOf(REPORT, i + 1))
        count(digits(s, i + REPORT.length()));
      return;
    }
    if (start < 0 && s.contains("\"connection_established\"")) {
      start = number(s, "\"lastSeq\":");
      if (last < 0) last = start;
      return;
    }
    count(number(s, "\"seq\":"));
    var l = latency;
    if (l != null) {
      long t = number(s, "\"t\":");
      if (t >= 0) l.accept(System.nanoTime() - t);
    }
  }

  private static final String REPORT = "{\"seq\":";

  private void count(long seq) {
    if (seq < 0) return;
    got.add(seq);
    last = Math.max(last, seq);
  }

  private static long number(String s, String key) {
    int i = s.indexOf(key);
    return i < 0 ? -1 : digits(s, i + key.length());
  }

  private static long digits(String s, int from) {
    int to = from;
    while (to < s.length() && Character.isDigit(s.charAt(to))) to++;
    return to == from ? -1 : Long.parseLong(s, from, to, 10);
  }

  @Override
  public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
    retry();
    return null;
  }

  @Override
  public void onError(WebSocket w, Throwable error) {
    retry();
  }

  private void retry() {
    if (stopped) return;
    long backoff = 100 + ThreadLocalRandom.current().nextLong(400);
    CompletableFuture.delayedExecutor(backoff, TimeUnit.MILLISECONDS).execute(this::connect);
  }

  /** Whether it has every accepted event after its start. */
  boolean caughtUp(Ledger ledger) {
    long s = start;
    if (s < 0) return false;
    synchronized (this) {
      for (long seq : ledger.accepted.tailSet(s, false)) if (!got.has(seq)) return false;
    }
    return true;
  }

  synchronized long lost(Ledger ledger) {
    if (start < 0) return ledger.accepted.size();
    long n = 0;
    for (long seq : ledger.accepted.tailSet(start, false)) if (!got.has(seq)) n++;
    return n;
  }

  synchronized int reconnects() {
    return Math.max(0, connections - 1);
  }

  void stop() {
    stopped = true;
    WebSocket w = ws;
    if (w != null) w.abort();
  }
}
