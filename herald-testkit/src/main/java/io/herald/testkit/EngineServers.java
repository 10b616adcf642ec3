package io.herald.testkit;

import java.util.List;
import java.util.Map;

/**
 * Engine servers a test or a benchmark started as processes of their own: how Herald reaches them,
 * and their pids.
 */
public interface EngineServers extends AutoCloseable {
  /** The environment that puts a Herald node on them. */
  Map<String, String> env();

  /** Their live processes: what the engine costs is their CPU together. */
  List<Long> pids();
}
