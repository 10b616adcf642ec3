package io.herald.bench.load;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Publishes benchmark messages over POST /api/v1/broadcast at a target rate, paced every
 * millisecond.
 */
public final class Publisher {
  private static final int MAX_IN_FLIGHT = 128;
  private final Vertx vertx;
  private final List<HttpClientAgent> https;
  private final int port;
  private final AtomicLong counter = new AtomicLong();

  public Publisher(Vertx vertx, int port) {
    this(vertx, port, 1);
  }

  /**
   * One pipelined connection per client: every server handles one connection's requests in order,
   * so the publish order is the order clients must see, and any reordering they report is the
   * server's. With several, the i-th message goes on connection i mod {@code connections}, and
   * order holds within each (RawClients#orderStreams).
   */
  public Publisher(Vertx vertx, int port, int connections) {
    this.vertx = vertx;
    this.port = port;
    this.https =
        IntStream.range(0, connections)
            .mapToObj(
                c ->
                    vertx.createHttpClient(
                        new HttpClientOptions()
                            .setKeepAlive(true)
                            .setTcpNoDelay(true)
                            .setPipelining(true)
                            .setPipeliningLimit(MAX_IN_FLIGHT),
                        new PoolOptions().setHttp1MaxSize(1)))
            .toList();
  }

  /** Result of one publishing run. */
  public record Run(long accepted, long failed, double seconds) {}

  /**
   * Publishes at {@code perSecond} for {@code seconds}; blocks until every request has been
   * answered.
   */
  public Run run(double perSecond, double seconds) throws InterruptedException {
    return run(perSecond, seconds, "/api/v1/broadcast", Payload::body);
  }

  /** Body of the n-th message, given the publisher's {@link System#nanoTime()} and a counter. */
  public interface Body {
    String of(long nanos, long counter);
  }

  /** As {@link #run(double, double)}, posting {@code body} to {@code uri}. */
  public Run run(double perSecond, double seconds, String uri, Body body)
      throws InterruptedException {
    AtomicLong accepted = new AtomicLong(), failed = new AtomicLong(), sent = new AtomicLong();
    AtomicLong inFlight = new AtomicLong();
    CountDownLatch done = new CountDownLatch(1);
    long t0 = System.nanoTime();
    long total = (long) (perSecond * seconds);
    RequestOptions req =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost("127.0.0.1")
            .setPort(port)
            .setURI(uri)
            .putHeader("content-type", "application/json");
    vertx.setPeriodic(
        1,
        id -> {
          double elapsed = (System.nanoTime() - t0) / 1e9;
          long due = Math.min(total, (long) (elapsed * perSecond));
          while (sent.get() < due && inFlight.get() < MAX_IN_FLIGHT) {
            sent.incrementAndGet();
            inFlight.incrementAndGet();
            long i = counter.getAndIncrement();
            String text = body.of(System.nanoTime(), i);
            https
                .get((int) (i % https.size()))
                .request(req)
                .compose(r -> r.send(text))
                .onComplete(
                    ar -> {
                      inFlight.decrementAndGet();
                      if (ar.succeeded() && ar.result().statusCode() / 100 == 2)
                        accepted.incrementAndGet();
                      else failed.incrementAndGet();
                    });
          }
          if (sent.get() >= total && inFlight.get() == 0) {
            vertx.cancelTimer(id);
            done.countDown();
          }
        });
    done.await();
    return new Run(accepted.get(), failed.get(), (System.nanoTime() - t0) / 1e9);
  }

  public void close() {
    https.forEach(HttpClientAgent::close);
  }
}
