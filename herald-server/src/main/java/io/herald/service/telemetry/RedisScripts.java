package io.herald.service.telemetry;

/**
 * The Lua scripts of the Redis store. Each runs atomically in Redis, so ids stay ordered across instances and
 * an event lands in all of its streams or in none.
 */
final class RedisScripts {
  private RedisScripts() {}

  /**
   * KEYS[1] the id counter; KEYS[2] the epoch key; KEYS[3..] the streams. ARGV: ttl ms, max events per stream,
   * userId ('' for none), body, pub/sub channel, then the streams' short names (published so every instance wakes
   * its waiters). The id is the next after the counter and the Redis clock, the same in every stream. A missing
   * counter means this Redis holds nothing from before (a first start, or a restart that lost its data): the
   * first id it hands out is written to the epoch key, and a reader whose cursor is older is told it missed events
   * (they may have been lost with the data) instead of silently getting the new ones. Expired entries are found
   * with a forward XRANGE, which stops at the first live entry (a reverse range from the cut-off scans the
   * stream: 0.3 ms a call at 10,000 entries). Old entries are trimmed
   * (by age, then by count) and the newest trimmed id is kept beside each stream, so readers can tell they
   * missed events. Streams expire after two TTLs without a write.
   */
  static final String APPEND = """
      local t = redis.call('TIME')
      local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
      local ms, seq = 0, 0
      local last = redis.call('GET', KEYS[1])
      if last then
        local d = string.find(last, '-')
        ms = tonumber(string.sub(last, 1, d - 1))
        seq = tonumber(string.sub(last, d + 1))
      end
      if now > ms then ms = now; seq = 0 else seq = seq + 1 end
      local id = string.format('%d-%d', ms, seq)
      redis.call('SET', KEYS[1], id)
      if not last then redis.call('SET', KEYS[2], id) end
      local ttl = tonumber(ARGV[1])
      local max = tonumber(ARGV[2])
      local minid = string.format('%d-0', now - ttl)
      for i = 3, #KEYS do
        local k = KEYS[i]
        local dropped = nil
        local old = redis.call('XRANGE', k, '-', '(' .. minid, 'COUNT', max)
        if #old > 0 then dropped = old[#old][1]; redis.call('XTRIM', k, 'MINID', minid) end
        redis.call('XADD', k, id, 'u', ARGV[3], 'b', ARGV[4])
        local n = redis.call('XLEN', k)
        if n > max then
          local over = redis.call('XRANGE', k, '-', '+', 'COUNT', n - max)
          dropped = over[#over][1]
          redis.call('XTRIM', k, 'MAXLEN', max)
        end
        if dropped then redis.call('SET', k .. ':dropped', dropped) end
        redis.call('PEXPIRE', k, 2 * ttl)
        if redis.call('EXISTS', k .. ':dropped') == 1 then redis.call('PEXPIRE', k .. ':dropped', 2 * ttl) end
      end
      redis.call('PUBLISH', ARGV[5], table.concat(ARGV, '\\n', 6))
      return id
      """;

  /**
   * KEYS[1] the stream, KEYS[2] the epoch key. ARGV: the exclusive start ('-' for the oldest), how many. Returns
   * the newest trimmed id ('' when none), the entries, and the first id of this Redis's data ('' when not known).
   */
  static final String READ = """
      local dropped = redis.call('GET', KEYS[1] .. ':dropped') or ''
      local entries = redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', tonumber(ARGV[2]))
      local epoch = redis.call('GET', KEYS[2]) or ''
      return {dropped, entries, epoch}
      """;
}
