/** Prometheus metrics through Micrometer. */
package io.herald.transport.metrics;
