package io.herald.store.file;

import io.herald.core.event.Event;
import io.herald.core.history.Journal;
import io.herald.core.history.JournalException;
import io.herald.util.Digest;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hub's journal in plain files under one directory (HERALD_HISTORY_DIR): a folder per channel,
 * named by the SHA-256 of the channel's name (names may be 255 characters of anything), holding
 * {@link ChannelLog} segments.
 *
 * <p>Writes go to the operating system without {@code fsync}: an event survives the process being
 * killed or crashing, not the machine losing power. One process owns the directory (a lock file),
 * so two Heralds cannot interleave their records.
 */
public final class FileJournal implements Journal {
  private final Path dir;
  private final int segmentEvents;
  private final FileChannel lockFile;
  private final FileLock lock;
  private final ConcurrentHashMap<String, ChannelLog> logs = new ConcurrentHashMap<>();

  private FileJournal(Path dir, int segmentEvents, FileChannel lockFile, FileLock lock) {
    this.dir = dir;
    this.segmentEvents = segmentEvents;
    this.lockFile = lockFile;
    this.lock = lock;
  }

  /**
   * @param segmentEvents records per segment file: the history length, so the files hold one to two
   *     of it
   * @throws IOException when the directory cannot be created or another process (or server) holds
   *     it
   */
  public static FileJournal open(Path dir, int segmentEvents) throws IOException {
    Files.createDirectories(dir, OwnerOnly.DIR);
    FileChannel f =
        FileChannel.open(
            dir.resolve("lock"),
            Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
            OwnerOnly.FILE);
    FileLock lock;
    try {
      lock = f.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // this JVM holds it already: another server in the same process
    } catch (IOException e) {
      f.close();
      throw e;
    }
    if (lock == null) {
      f.close();
      throw new IOException(
          dir + " is in use by another Herald (one process per history directory)");
    }
    return new FileJournal(dir, segmentEvents, f, lock);
  }

  @Override
  public Restored restore(String channel, int maxEvents) {
    ChannelLog log = new ChannelLog(channel, dir.resolve(folder(channel)), segmentEvents);
    try {
      Restored r = log.restore(maxEvents);
      logs.put(channel, log);
      return r;
    } catch (IOException e) {
      throw new JournalException(
          "cannot read the history journal of channel " + channel + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void append(Event event) {
    ChannelLog log = logs.get(event.channel());
    if (log == null)
      throw new IllegalStateException("channel " + event.channel() + " was not restored first");
    try {
      log.append(event);
    } catch (IOException e) {
      throw new JournalException("cannot write the history journal: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    for (ChannelLog log : logs.values()) {
      try {
        log.close();
      } catch (IOException ignored) {
        // closing after the last write: nothing left to lose
      }
    }
    try {
      lock.release();
      lockFile.close();
    } catch (IOException ignored) {
      // the lock goes with the process anyway
    }
  }

  /** The folder, under the journal's directory, that holds a channel's segments. */
  public static String folder(String channel) {
    return Digest.hex("SHA-256", channel);
  }
}
