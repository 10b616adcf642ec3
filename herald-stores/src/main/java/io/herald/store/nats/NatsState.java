package io.herald.store.nats;

import io.herald.store.Namespace;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.KeyValue;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.StorageType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Values shared by the nodes (websocket's recoverable sessions) in a JetStream key-value bucket,
 * {@code <prefix>_state}. A value carries its own expiry (a bucket has one TTL for every key: a
 * day, which only clears what nobody took); {@link #take} is a compare-and-delete on the entry's
 * revision, so one node at most takes a value. Blocking: the engine runs it on a virtual thread.
 */
final class NatsState {
  /** JetStream's "wrong last sequence": another node changed or took the value first. */
  static final int WRONG_LAST_SEQUENCE = 10071;

  private final String bucket;
  private final int replicas;
  private volatile KeyValue kv;

  NatsState(NatsEngineConfig config) {
    this.bucket = config.names().natsBucket("state");
    this.replicas = config.replicas();
  }

  void put(Connection c, String key, String value, Duration ttl)
      throws IOException, JetStreamApiException {
    long expires = System.currentTimeMillis() + Math.max(1, ttl.toMillis());
    bucket(c).put(Namespace.token(key), (expires + "\n" + value).getBytes(StandardCharsets.UTF_8));
  }

  String take(Connection c, String key) throws IOException, JetStreamApiException {
    KeyValue b = bucket(c);
    String k = Namespace.token(key);
    KeyValueEntry e = b.get(k);
    if (e == null || e.getOperation() != KeyValueOperation.PUT || e.getValue() == null) return null;
    try {
      b.delete(k, e.getRevision());
    } catch (JetStreamApiException raced) {
      if (raced.getApiErrorCode() == WRONG_LAST_SEQUENCE) return null; // another node took it
      throw raced;
    }
    String s = new String(e.getValue(), StandardCharsets.UTF_8);
    int nl = s.indexOf('\n');
    if (nl < 0) return null;
    return Long.parseLong(s, 0, nl, 10) < System.currentTimeMillis() ? null : s.substring(nl + 1);
  }

  private KeyValue bucket(Connection c) throws IOException, JetStreamApiException {
    KeyValue b = kv;
    if (b != null) return b;
    try {
      c.keyValueManagement().getStatus(bucket);
    } catch (JetStreamApiException missing) {
      try {
        c.keyValueManagement()
            .create(
                KeyValueConfiguration.builder()
                    .name(bucket)
                    .ttl(Duration.ofDays(1))
                    .storageType(StorageType.File)
                    .replicas(replicas)
                    .build());
      } catch (JetStreamApiException createdMeanwhile) {
        if (createdMeanwhile.getApiErrorCode() != NatsEngine.STREAM_EXISTS) throw createdMeanwhile;
      }
    }
    b = c.keyValue(bucket);
    kv = b;
    return b;
  }
}
