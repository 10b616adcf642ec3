package io.herald.store.redis;

/**
 * The Redis engine's Lua scripts. Each runs atomically, so a sequence is assigned, kept and
 * published as one step and no reader sees one without the others.
 *
 * <p>Keys per channel (one hash tag, so a Redis Cluster keeps them on one shard): {@code
 * herald:{ch}:m}, a hash with the latest sequence ({@code top}) and the sequence the channel's
 * current data started after ({@code base}); {@code herald:{ch}:s}, a stream whose entry ids are
 * the sequences ({@code <seq>-0}) with the time (ms), type and data. A channel Redis does not hold
 * (new, expired, or lost with a restart) starts at Redis's clock in ms × 1000, not at 1: sequences
 * then only ever grow (a channel would need more than 1,000 events per ms, sustained, to catch up
 * with the clock), so a position from before a loss is always older than {@code base} and is told
 * "not recovered" instead of matching a different event with the same number.
 */
final class EngineScripts {
  private EngineScripts() {}

  static final LuaScript PUBLISH_SCRIPT = new LuaScript(EngineScripts.PUBLISH);
  static final LuaScript READ_SCRIPT = new LuaScript(EngineScripts.READ);
  static final LuaScript FENCE_SCRIPT = new LuaScript(EngineScripts.FENCE);

  /**
   * KEYS: meta, stream. ARGV: the floor (the highest sequence the calling node delivered), meta ttl
   * ms. When the channel's top is below the floor, the channel went back (a failover lost events a
   * node had already delivered): it starts again above the floor and the clock, its stream emptied,
   * so that no later event can get a sequence a client already holds. Returns 1 when it did. A node
   * calls it as soon as it notices, before telling its clients.
   */
  static final String FENCE =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local top = tonumber(redis.call('HGET', KEYS[1], 'top') or '0')
      local floor = tonumber(ARGV[1])
      if top >= floor then return 0 end
      local base = string.format('%.0f', math.max(now * 1000, floor))
      redis.call('HSET', KEYS[1], 'base', base, 'top', base)
      redis.call('DEL', KEYS[2])
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      return 1
      """;

  /**
   * KEYS: meta, stream. ARGV: max events, stream ttl ms, meta ttl ms, type, data, pub/sub channel,
   * the type's length in UTF-16 units (Java's, which Lua cannot count), the event's rooms and
   * origin ({@code EventCodec#encodeMeta}, empty for none; kept as the entry's field {@code m} when
   * not empty), its length in UTF-16 units, the fence ('1': a change of replication id starts the
   * channel again), the floor (the highest sequence the calling node has seen on the channel, '0'
   * when it knows none), '1' to send the live message by SPUBLISH (a Redis Cluster's sharded
   * pub/sub: the pub/sub channel carries the keys' hash tag, so it is in the script's slot) rather
   * than PUBLISH. Returns {seq, ms}. Publishes ({@code EventCodec#encodeLive}, which decodes it)
   * "seq, previous seq (0 for a channel's first event), ms, type length" on lines, then the type,
   * the meta and the data (any of them may hold line breaks); with a meta the length line is "type
   * length:meta length", and without one the message is exactly what Herald published before typed
   * metadata, so nodes can be upgraded one at a time. A node knows from the previous sequence
   * whether an event follows the last it delivered, also across a channel's start.
   *
   * <p>Why the fence: Redis replicates asynchronously, so a replica promoted by Sentinel (or a
   * Cluster failover) may lack the last events its master acknowledged, and its {@code top} is then
   * behind sequences clients already hold. Numbering on from there would give a new event a
   * sequence a client has seen, and that client would skip it as a duplicate. The meta keeps the
   * replication id ({@code r}) the channel was written under; a promoted replica has a new one, so
   * the channel's next publish starts it again above every sequence it had (as for a lost channel;
   * on a cluster the id is the shard's, so a shard's failover restarts that shard's channels only):
   * positions from before are told "not recovered" instead of matching different events. With WAIT
   * (no acknowledged event lost) the fence is off and only the floor restarts a channel: a node
   * that saw more than the master has.
   */
  static final String PUBLISH =
      """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local rid = string.match(redis.call('INFO', 'replication'), 'master_replid:(%w+)') or ''
      local meta = redis.call('HMGET', KEYS[1], 'top', 'r')
      local top = meta[1]
      local prev = top or '0'
      local floor = tonumber(ARGV[11])
      local seq
      if top and not ((ARGV[10] == '1' and meta[2] and meta[2] ~= rid) or floor > tonumber(top)) then
        seq = tonumber(top) + 1
        if meta[2] ~= rid then redis.call('HSET', KEYS[1], 'r', rid) end
      else
        local base = now * 1000
        if top then
          base = math.max(base, tonumber(top), floor)
          prev = string.format('%.0f', base)
          redis.call('DEL', KEYS[2])
        end
        redis.call('HSET', KEYS[1], 'base', string.format('%.0f', base), 'r', rid)
        seq = base + 1
      end
      local s = string.format('%.0f', seq)
      local ms = string.format('%.0f', now)
      redis.call('HSET', KEYS[1], 'top', s)
      if ARGV[8] == '' then
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], s .. '-0', 't', ms, 'y', ARGV[4], 'd', ARGV[5])
      else
        redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], s .. '-0', 't', ms, 'y', ARGV[4], \
      'd', ARGV[5], 'm', ARGV[8])
      end
      redis.call('PEXPIRE', KEYS[2], ARGV[2])
      redis.call('PEXPIRE', KEYS[1], ARGV[3])
      local lengths = ARGV[7]
      if ARGV[8] ~= '' then lengths = ARGV[7] .. ':' .. ARGV[9] end
      redis.call(ARGV[12] == '1' and 'SPUBLISH' or 'PUBLISH', ARGV[6], \
      s .. '\\n' .. prev .. '\\n' .. ms .. '\\n' .. lengths .. '\\n' .. ARGV[4] .. ARGV[8] .. ARGV[5])
      return {s, ms}
      """;

  /**
   * KEYS: meta, stream. ARGV: the exclusive start sequence ('-1' for the newest entries), how many.
   * Returns {top, base, the entries (newest first for '-1')}.
   */
  static final String READ =
      """
      local top = redis.call('HGET', KEYS[1], 'top') or '0'
      local base = redis.call('HGET', KEYS[1], 'base') or '0'
      local entries
      if ARGV[1] == '-1' then
        entries = redis.call('XREVRANGE', KEYS[2], '+', '-', 'COUNT', ARGV[2])
      else
        entries = redis.call('XRANGE', KEYS[2], '(' .. ARGV[1] .. '-0', '+', 'COUNT', ARGV[2])
      end
      return {top, base, entries}
      """;
}
