package io.herald.store.file;

import io.herald.core.event.Event;
import io.herald.core.event.EventCodec;
import io.herald.core.event.EventMeta;
import io.herald.core.history.Journal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel's journal: segment files named by their first sequence, each holding up to {@code
 * segmentEvents} records; on rotation only the previous segment is kept, so the files hold between
 * one and two history lengths.
 *
 * <p>A record is {@code [int length][int crc32c][long seq][long epochSecond][int nano][int
 * typeLength][type][data]} (UTF-8, big-endian); length and checksum cover what follows them. An
 * event with rooms or an origin has the {@link #WITH_META} bit set in {@code typeLength} and {@code
 * [int metaLength][meta]} ({@link EventCodec#encodeMeta}) between type and data; records written
 * before that bit existed read as they always did. A record cut short by a crash, or one whose
 * checksum or sequence does not follow, ends a segment: it and anything after it in the last
 * segment are cut off on restore, so new records follow valid ones. Not thread-safe: the hub calls
 * it under the channel's lock.
 */
final class ChannelLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChannelLog.class);

  /** Length and checksum; then seq, seconds, nanos and the type's length. */
  private static final int HEAD = 8, FIXED = 24;

  private static final int WITH_META = 1 << 30;
  private final String channel;
  private final Path dir;
  private final int segmentEvents;

  /** First sequences of the segments on disk, oldest first. */
  private final ArrayDeque<Long> segments = new ArrayDeque<>();

  private final CRC32C crc = new CRC32C();
  private FileChannel current;
  private int currentCount;
  private long lastSeq;
  private ByteBuffer buf = ByteBuffer.allocate(4096);

  ChannelLog(String channel, Path dir, int segmentEvents) {
    this.channel = channel;
    this.dir = dir;
    this.segmentEvents = Math.max(1, segmentEvents);
  }

  /**
   * Reads the segments back, cuts off a damaged tail, and leaves the last segment open for
   * appending. Damage in the last segment (a power loss before the page cache reached the disk, a
   * disk error) may have taken records that clients already received: the sequence then jumps past
   * every record the damaged bytes could have held, and the history restarts empty there, so no
   * sequence is used twice and no replay across the hole claims to be complete.
   */
  Journal.Restored restore(int max) throws IOException {
    Files.createDirectories(dir, OwnerOnly.DIR);
    try (var files = Files.list(dir)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d{20}\\.log"))
          .map(n -> Long.parseLong(n.substring(0, 20)))
          .sorted()
          .forEach(segments::addLast);
    }
    ArrayDeque<Event> tail = new ArrayDeque<>();
    List<Long> files = new ArrayList<>(segments);
    int damaged = 0;
    for (int i = Math.max(0, files.size() - 2); i < files.size(); i++) {
      long first = files.get(i);
      if (first - 1
          > lastSeq) { // a gap (damage in the segment before): what came before cannot be replayed
        // whole
        tail.clear();
        lastSeq = first - 1;
      }
      damaged = read(first, i == files.size() - 1, tail, max);
    }
    if (!segments.isEmpty()) {
      current = FileChannel.open(segment(segments.getLast()), StandardOpenOption.WRITE);
      current.position(current.size());
    }
    if (damaged > 0) {
      lastSeq +=
          damaged / (HEAD + FIXED) + 1; // at most that many records fitted in the damaged bytes
      tail.clear();
      rotate(
          lastSeq
              + 1); // an empty segment that remembers the jump, even if nothing is appended before
      // a restart
    }
    return new Journal.Restored(List.copyOf(tail), lastSeq);
  }

  /**
   * Adds the segment's valid records to {@code tail}, keeping the last {@code max}, and counts them
   * for the current segment; returns how many damaged bytes it cut off the last segment (0 when
   * whole; older ones are only read).
   */
  private int read(long first, boolean last, ArrayDeque<Event> tail, int max) throws IOException {
    Path file = segment(first);
    byte[] bytes = Files.readAllBytes(file);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int count = 0, end = 0;
    while (in.remaining() >= HEAD) {
      int start = in.position();
      int length = in.getInt(), sum = in.getInt();
      if (length < FIXED || length > in.remaining()) break;
      crc.reset();
      crc.update(bytes, start + HEAD, length);
      if ((int) crc.getValue() != sum) break;
      long seq = in.getLong();
      Instant time = Instant.ofEpochSecond(in.getLong(), in.getInt());
      int typeField = in.getInt();
      boolean withMeta = typeField >= 0 && (typeField & WITH_META) != 0;
      int typeLength = withMeta ? typeField & ~WITH_META : typeField;
      if (seq != lastSeq + 1 || typeLength < 0 || typeLength > length - FIXED) break;
      int body = start + HEAD + FIXED;
      String type = new String(bytes, body, typeLength, StandardCharsets.UTF_8);
      EventMeta meta = EventMeta.NONE;
      int dataAt = body + typeLength;
      if (withMeta) {
        if (typeLength + 4 > length - FIXED) break;
        int metaLength = ByteBuffer.wrap(bytes, dataAt, 4).getInt();
        if (metaLength < 0 || typeLength + 4 + metaLength > length - FIXED) break;
        try {
          meta =
              EventCodec.decodeMeta(
                  new String(bytes, dataAt + 4, metaLength, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
          break; // the checksum matched, so a writer wrote it this way: treat as damage all the
          // same
        }
        dataAt += 4 + metaLength;
      }
      String data =
          new String(bytes, dataAt, start + HEAD + length - dataAt, StandardCharsets.UTF_8);
      end = start + HEAD + length;
      in.position(end);
      lastSeq = seq;
      count++;
      tail.addLast(new Event(channel, seq, type, data, time, meta));
      while (tail.size() > max) tail.pollFirst();
    }
    if (last) currentCount = count;
    if (end == bytes.length) return 0;
    LOG.warn(
        "history journal {}: {} bytes after sequence {} are incomplete or damaged (a power loss or a disk error?); {}",
        file,
        bytes.length - end,
        lastSeq,
        last ? "cut off, and the sequence moves past them" : "skipped");
    if (!last) return 0;
    try (FileChannel f = FileChannel.open(file, StandardOpenOption.WRITE)) {
      f.truncate(end);
    }
    return bytes.length - end;
  }

  /**
   * Appends the next event; when the write fails, cuts the file back to where it was and rethrows.
   */
  void append(Event e) throws IOException {
    if (e.seq() != lastSeq + 1)
      throw new IllegalStateException(
          "journal of " + channel + " expects seq " + (lastSeq + 1) + ", got " + e.seq());
    if (current == null || currentCount >= segmentEvents) rotate(e.seq());
    byte[] type = e.type().getBytes(StandardCharsets.UTF_8),
        data = e.data().getBytes(StandardCharsets.UTF_8);
    byte[] meta =
        e.meta().none() ? null : EventCodec.encodeMeta(e.meta()).getBytes(StandardCharsets.UTF_8);
    int length = FIXED + type.length + data.length + (meta == null ? 0 : 4 + meta.length);
    if (buf.capacity() < HEAD + length)
      buf = ByteBuffer.allocate(Math.max(HEAD + length, 2 * buf.capacity()));
    buf.clear();
    buf.putInt(length)
        .putInt(0)
        .putLong(e.seq())
        .putLong(e.time().getEpochSecond())
        .putInt(e.time().getNano())
        .putInt(meta == null ? type.length : type.length | WITH_META)
        .put(type);
    if (meta != null) buf.putInt(meta.length).put(meta);
    buf.put(data);
    crc.reset();
    crc.update(buf.array(), HEAD, length);
    buf.putInt(4, (int) crc.getValue());
    buf.flip();
    long before = current.position();
    try {
      while (buf.hasRemaining()) current.write(buf);
    } catch (IOException failed) {
      try {
        current.truncate(before);
        current.position(before);
      } catch (IOException again) {
        failed.addSuppressed(again);
        currentCount =
            segmentEvents; // part of a record may be left: the next one goes to a new segment
      }
      throw failed;
    }
    currentCount++;
    lastSeq = e.seq();
  }

  /** Starts a segment at {@code firstSeq} and deletes all but the one before it. */
  private void rotate(long firstSeq) throws IOException {
    if (current != null) current.close();
    current =
        FileChannel.open(
            segment(firstSeq),
            Set.of(
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING),
            OwnerOnly.FILE);
    segments.addLast(firstSeq);
    currentCount = 0;
    while (segments.size() > 2) Files.deleteIfExists(segment(segments.pollFirst()));
  }

  private Path segment(long firstSeq) {
    return dir.resolve(String.format("%020d.log", firstSeq));
  }

  @Override
  public void close() throws IOException {
    if (current != null) current.close();
  }
}
