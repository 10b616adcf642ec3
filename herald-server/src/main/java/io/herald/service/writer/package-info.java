/** Seed 002: RabbitMQ queues into MariaDB, counts through Redis, messages into a search index. */
package io.herald.service.writer;
