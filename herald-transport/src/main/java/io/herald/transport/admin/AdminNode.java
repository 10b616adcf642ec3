package io.herald.transport.admin;

import java.time.Instant;
import java.util.List;

/**
 * This node as the operator's page names it.
 *
 * @param services the services it runs
 * @param host the address it listens on (HERALD_HOST)
 * @param port its port
 * @param eventLoops how many event loops it runs
 * @param pid its process id, to find it with ps or jcmd
 * @param startedAt when it started
 */
public record AdminNode(
    List<String> services, String host, int port, int eventLoops, long pid, Instant startedAt) {
  public AdminNode {
    services = List.copyOf(services);
  }
}
