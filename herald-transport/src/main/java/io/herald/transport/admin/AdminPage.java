package io.herald.transport.admin;

import io.herald.protocol.envelope.ErrorCode;
import io.herald.protocol.json.Json;
import io.herald.transport.http.ApiError;
import io.herald.transport.http.StaticResource;
import io.herald.transport.server.ServerContext;
import io.herald.transport.server.Service;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's page, mounted like a service when HERALD_ADMIN_KEY is set (without it nothing is
 * mounted and GET /admin answers 404). GET /admin serves one self-contained HTML page (script and
 * styles inline, nothing fetched from elsewhere) that asks for the key and polls GET
 * /admin/api/stats with it every second. The page holds nothing secret and needs no key; the API
 * does ({@code Authorization: Bearer <key>}, compared in constant time), else 401 with the usual
 * error body. Both are short requests, so under a connection flood they are served from the reserve
 * past the connection budget, as /health and /metrics are.
 */
public final class AdminPage implements Service {
  static final String PAGE = "admin/index.html";
  private static final Pattern SCRIPT = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL);

  private final AdminConfig config;
  private final List<String> services;
  private ServerContext ctx;
  private AdminSampler sampler;
  private long timer = -1;

  /**
   * @param services the names of the services this node runs, as the page lists them
   */
  public AdminPage(AdminConfig config, List<String> services) {
    if (!config.enabled())
      throw new IllegalArgumentException("the admin page needs HERALD_ADMIN_KEY");
    this.config = config;
    this.services = List.copyOf(services);
  }

  @Override
  public String name() {
    return "admin";
  }

  @Override
  public void mount(Router router, ServerContext context) {
    this.ctx = context;
    this.sampler =
        new AdminSampler(
            context.clock(),
            () -> context.admin().channels().published(),
            context.metrics()::delivered,
            context.admission()::open,
            context.metrics().publishToWrite());
    AdminNode node =
        new AdminNode(
            services,
            context.config().host(),
            context.config().port(),
            context.config().eventLoops(),
            ProcessHandle.current().pid(),
            context.clock().instant());
    AdminSnapshot snapshot = new AdminSnapshot(context, sampler, node);
    Buffer page = StaticResource.load(PAGE);
    String policy = securityPolicy(page.toString(StandardCharsets.UTF_8));
    router
        .get("/admin")
        .handler(
            rc ->
                rc.response()
                    .putHeader("content-type", "text/html; charset=utf-8")
                    .putHeader("Content-Security-Policy", policy)
                    .putHeader("Cache-Control", "no-store")
                    .putHeader("X-Content-Type-Options", "nosniff")
                    .putHeader("Referrer-Policy", "no-referrer")
                    .end(page));
    router
        .get("/admin/api/stats")
        .handler(config.key().guard(AdminPage::refuse))
        .handler(
            rc ->
                rc.response()
                    .putHeader("content-type", "application/json")
                    .putHeader("Cache-Control", "no-store")
                    .end(Json.write(snapshot.take())));
  }

  /** Samples the node once a second for the charts, from now on. */
  @Override
  public Future<Void> start() {
    sampler.tick();
    timer = ctx.vertx().setPeriodic(1000, id -> sampler.tick());
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> stop() {
    if (timer >= 0) ctx.vertx().cancelTimer(timer);
    return Future.succeededFuture();
  }

  private static void refuse(RoutingContext rc) {
    // Which part was wrong is not said, and the key sent is never echoed.
    new ApiError(
            401,
            ErrorCode.UNAUTHORIZED,
            "missing or wrong admin key (send Authorization: Bearer <HERALD_ADMIN_KEY>)")
        .send(rc);
  }

  /**
   * Only the page's own inline script may run (allowed by its hash) and it may call only this
   * origin, so a channel or room name the page shows cannot run as script; nor can the page be
   * framed.
   */
  static String securityPolicy(String html) {
    Matcher m = SCRIPT.matcher(html);
    if (!m.find()) throw new IllegalStateException(PAGE + " has no inline script");
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(m.group(1).getBytes(StandardCharsets.UTF_8));
      return "default-src 'none'; script-src 'sha256-"
          + Base64.getEncoder().encodeToString(hash)
          + "'; style-src 'unsafe-inline'; "
          + "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
