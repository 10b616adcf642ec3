/** Per-connection bounded queues, overflow policies and the catalog of close reasons. */
package io.herald.core.outbox;
