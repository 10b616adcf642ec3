/**
 * The operator's page at {@code /admin}: a static page and the JSON snapshot it polls, built from
 * what the node already keeps (the hub, the metrics behind /metrics, the health checks) and from
 * what services register on the {@link io.herald.transport.admin.AdminBoard}. Off unless
 * HERALD_ADMIN_KEY is set.
 */
package io.herald.transport.admin;
