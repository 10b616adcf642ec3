package io.herald.bench.scenario;

import java.util.List;

/**
 * The writer scenarios. Defaults are issue 5's targets.
 *
 * @param prefetches RABBITMQ_PREFETCH_COUNT values, one run each (1, 200)
 * @param messages queued messages per run at prefetch above 1 (100000)
 * @param slowMessages queued messages at prefetch 1 (10000)
 * @param chats chats the messages are spread over (100)
 * @param counters changed counters for the count sync (100000)
 */
public record WriterBenchConfig(
    List<Integer> prefetches, int messages, int slowMessages, int chats, int counters) {}
