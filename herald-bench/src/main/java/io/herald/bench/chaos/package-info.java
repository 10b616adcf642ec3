/**
 * {@code ./herald chaos}: scripted faults against a real Herald process while publishers and
 * resuming clients run, with every event counted end to end (accepted, received, lost, duplicated,
 * out of order).
 */
package io.herald.bench.chaos;
