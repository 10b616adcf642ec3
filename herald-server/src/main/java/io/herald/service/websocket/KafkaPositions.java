package io.herald.service.websocket;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where Kafka consumption resumes after a restart when the hub's journal remembers more than the
 * group's committed offsets: each Kafka broadcast carries its record's topic, partition and offset
 * as the event's origin.
 */
final class KafkaPositions {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaPositions.class);

  private KafkaPositions() {}

  /**
   * Per partition, the offset after the last Kafka record among {@code routes} (the events the hub
   * kept).
   */
  static Map<TopicPartition, Long> after(Iterable<Route> routes) {
    Map<TopicPartition, Long> next = new HashMap<>();
    for (Route route : routes) {
      var o = route.origin();
      if (o != null)
        next.merge(new TopicPartition(o.topic(), o.partition()), o.offset() + 1, Math::max);
    }
    return next;
  }

  /**
   * On a partition's first assignment after the start, moves it past what was already broadcast
   * when the committed offset is behind. Each position is used once and then forgotten: later (a
   * group reset, a recreated topic) the committed offsets decide alone.
   */
  static final class SkipBroadcast implements ConsumerRebalanceListener {
    private final KafkaConsumer<String, String> consumer;
    private final Map<TopicPartition, Long> broadcastBefore;

    SkipBroadcast(
        KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> broadcastBefore) {
      this.consumer = consumer;
      this.broadcastBefore = broadcastBefore;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      var wanted = new HashSet<>(partitions);
      wanted.retainAll(broadcastBefore.keySet());
      if (wanted.isEmpty()) return;
      var committed = consumer.committed(wanted);
      for (TopicPartition tp : wanted) {
        var c = committed.get(tp);
        long next = broadcastBefore.remove(tp);
        if (c == null || c.offset() < next) {
          LOG.info(
              "Kafka {}: records from offset {} to {} were broadcast before the restart "
                  + "but not committed; starting at {}",
              tp,
              c == null ? "(none committed)" : c.offset(),
              next - 1,
              next);
          consumer.seek(tp, next);
        }
      }
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {}
  }
}
