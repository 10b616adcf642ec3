package io.herald.bench.target;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What a target needs on this machine before it can start, checked before the bench starts it: a
 * peer that is not built, or a runtime that is not installed, is named in one line with the command
 * that provides it, and the bench skips that target instead of failing on a missing file halfway
 * through a run.
 */
public final class Prerequisites {
  /**
   * Where Debian's libnginx-mod-nchan puts the module; bench/peers/nchan/nginx.conf loads it from
   * there.
   */
  private static final String NCHAN_MODULE = "/usr/lib/nginx/modules/ngx_nchan_module.so";

  private Prerequisites() {}

  /** Why {@code t} cannot run from {@code root}, or empty when everything it needs is there. */
  public static Optional<String> missing(Target t, Path root) {
    return switch (t.name()) {
      case "go-gorilla" ->
          built(
              root,
              "bench/peers/go-hub/go-hub",
              "bench/peers/build-go.sh",
              "golang-go golang-github-gorilla-websocket-dev");
      case "c-floor" ->
          built(
              root,
              "bench/peers/c-floor/floor",
              "bench/peers/build-c-floor.sh",
              "gcc libc6-dev libssl-dev");
      case "node-ws" -> node(root, "bench/peers/run-node.sh");
      case "nchan" -> nchan();
      case "node-socketio" -> node(root, "bench/peers/run-node-sio.sh");
      default ->
          Files.isExecutable(root.resolve("herald"))
              ? Optional.empty()
              : Optional.of(
                  "no ./herald in "
                      + root
                      + " (run the bench from the repository root, or point --root at it)");
    };
  }

  /** The Go load generator of the fanout-go scenario. */
  public static Optional<String> goLoadgen(Path root) {
    return built(
        root,
        "bench/peers/go-loadgen/go-loadgen",
        "bench/peers/build-go-loadgen.sh",
        "golang-go golang-github-gorilla-websocket-dev");
  }

  private static Optional<String> built(Path root, String binary, String script, String packages) {
    if (Files.isExecutable(root.resolve(binary))) return Optional.empty();
    return Optional.of(
        binary
            + " is not built: run bash "
            + script
            + " (it needs the Debian packages "
            + packages
            + "; it installs them when run as root)");
  }

  /**
   * Debian's nginx and its Nchan module, the only things the nchan peer needs besides its config.
   */
  private static Optional<String> nchan() {
    if (onPath("nginx").isPresent() && Files.isRegularFile(Path.of(NCHAN_MODULE)))
      return Optional.empty();
    return Optional.of(
        "nginx with the Nchan module is not installed: run bash bench/peers/install-nchan.sh "
            + "(as root; it installs the Debian packages nginx-light libnginx-mod-nchan)");
  }

  private static Optional<String> node(Path root, String script) {
    if (onPath("node").isEmpty() || onPath("npm").isEmpty()) {
      return Optional.of("Node.js is not installed: sudo apt-get install -y nodejs npm");
    }
    if (!Files.isRegularFile(root.resolve(script)))
      return Optional.of(script + " is missing under " + root);
    return Optional.empty();
  }

  static Optional<Path> onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program)))
        return Optional.of(Path.of(dir, program));
    }
    return Optional.empty();
  }
}
