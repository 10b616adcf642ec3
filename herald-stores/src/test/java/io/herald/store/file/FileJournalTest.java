package io.herald.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.event.Event;
import io.herald.core.event.EventMeta;
import io.herald.core.history.Journal;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The journal on real files: what a restart reads back, rotation, a torn or damaged log,
 * permissions, one owner per directory.
 */
class FileJournalTest {
  @TempDir Path dir;

  private static Event event(long seq) {
    return new Event(
        "news",
        seq,
        "stats_update",
        "{\"n\":" + seq + ",\"text\":\"é\"}",
        Instant.ofEpochSecond(1_700_000_000L + seq, 123));
  }

  private static void append(Journal j, long from, long to) {
    for (long s = from; s <= to; s++) j.append(event(s));
  }

  private static List<Long> seqs(Journal.Restored r) {
    return r.events().stream().map(Event::seq).toList();
  }

  private Path segments() {
    return dir.resolve(FileJournal.folder("news"));
  }

  /** A journal of events 1 to 3, closed; returns its one segment file. */
  private Path threeRecords() throws IOException {
    try (FileJournal j = FileJournal.open(dir, 100)) {
      j.restore("news", 100);
      append(j, 1, 3);
    }
    return segments().resolve("00000000000000000001.log");
  }

  @Test
  void aRestartReadsBackTheEventsAndTheLastSequence() throws IOException {
    try (FileJournal j = FileJournal.open(dir, 100)) {
      assertThat(j.restore("news", 100)).isEqualTo(Journal.Restored.EMPTY);
      append(j, 1, 5);
    }
    try (FileJournal j = FileJournal.open(dir, 100)) {
      Journal.Restored r = j.restore("news", 100);
      assertThat(r.events()).containsExactly(event(1), event(2), event(3), event(4), event(5));
      assertThat(r.lastSeq()).isEqualTo(5);
      append(j, 6, 7); // and the log goes on from there
    }
    try (FileJournal j = FileJournal.open(dir, 100)) {
      assertThat(seqs(j.restore("news", 3))).containsExactly(5L, 6L, 7L);
    }
  }

  @Test
  void roomsAndOriginSurviveARestartBesideEventsWithoutThem() throws IOException {
    var meta =
        new EventMeta(List.of("survey:1", "user:a\\b\nc"), new EventMeta.Origin("t.x", 2, 99));
    Event routed =
        new Event(
            "news", 2, "analytics.update", "{}", Instant.ofEpochSecond(1_700_000_002L, 5), meta);
    try (FileJournal j = FileJournal.open(dir, 100)) {
      j.restore("news", 100);
      j.append(event(1));
      j.append(routed);
      j.append(event(3));
    }
    try (FileJournal j = FileJournal.open(dir, 100)) {
      assertThat(j.restore("news", 100).events()).containsExactly(event(1), routed, event(3));
    }
  }

  @Test
  void rotationKeepsTwoSegmentsAndTheLastSequenceSurvivesAnEmptyHistory() throws IOException {
    try (FileJournal j = FileJournal.open(dir, 3)) {
      j.restore("news", 3);
      append(j, 1, 10);
    }
    try (Stream<Path> files = Files.list(segments())) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
          .containsExactly("00000000000000000007.log", "00000000000000000010.log");
    }
    try (FileJournal j = FileJournal.open(dir, 3)) {
      Journal.Restored r = j.restore("news", 3);
      assertThat(seqs(r)).containsExactly(8L, 9L, 10L);
      assertThat(r.lastSeq()).isEqualTo(10);
    }
    try (FileJournal j = FileJournal.open(dir, 3)) {
      Journal.Restored r =
          j.restore("news", 0); // a history of length 0 still continues the sequence
      assertThat(r.events()).isEmpty();
      assertThat(r.lastSeq()).isEqualTo(10);
    }
  }

  @Test
  void aTornLastRecordIsCutOffAndTheSequenceMovesPastWhatItMayHaveHeld() throws IOException {
    Path file = threeRecords();
    long size = Files.size(file);
    try (FileChannel f = FileChannel.open(file, StandardOpenOption.WRITE)) {
      f.truncate(size - 5); // the disk kept only part of the third record (a power loss)
    }
    long jumped;
    try (FileJournal j = FileJournal.open(dir, 100)) {
      Journal.Restored r = j.restore("news", 100);
      // Record 3 may have reached clients before the loss: its sequence is never used again, and no
      // replay from
      // before the hole is offered as complete (the history starts empty).
      assertThat(r.events()).isEmpty();
      jumped = r.lastSeq();
      assertThat(jumped).isGreaterThanOrEqualTo(3);
    }
    try (FileJournal j = FileJournal.open(dir, 100)) {
      assertThat(j.restore("news", 100).lastSeq())
          .as("the jump is on disk, though nothing was appended")
          .isEqualTo(jumped);
      j.append(event(jumped + 1));
    }
    try (FileJournal j = FileJournal.open(dir, 100)) {
      Journal.Restored r = j.restore("news", 100);
      assertThat(seqs(r)).containsExactly(jumped + 1);
      assertThat(r.lastSeq()).isEqualTo(jumped + 1);
    }
  }

  @Test
  void aDamagedRecordInTheLastSegmentEndsTheLogThereAndMovesTheSequencePastIt() throws IOException {
    Path file = threeRecords();
    byte[] bytes = Files.readAllBytes(file);
    int recordLength = bytes.length / 3;
    bytes[recordLength + recordLength / 2] ^= 0x40; // one flipped bit inside the second record
    Files.write(file, bytes);
    try (FileJournal j = FileJournal.open(dir, 100)) {
      Journal.Restored r = j.restore("news", 100);
      assertThat(r.events()).isEmpty();
      assertThat(r.lastSeq()).isGreaterThanOrEqualTo(3);
    }
    assertThat(Files.size(file)).as("cut after record 1").isEqualTo(recordLength);
  }

  @Test
  void damageInTheOlderSegmentLeavesOnlyWhatFollowsTheHole() throws IOException {
    try (FileJournal j = FileJournal.open(dir, 3)) {
      j.restore("news", 3);
      append(j, 1, 7); // segments 4 (4, 5, 6) and 7 (7)
    }
    Path older = segments().resolve("00000000000000000004.log");
    byte[] bytes = Files.readAllBytes(older);
    bytes[bytes.length / 2] ^= 0x40; // inside record 5
    Files.write(older, bytes);
    try (FileJournal j = FileJournal.open(dir, 3)) {
      Journal.Restored r = j.restore("news", 3);
      assertThat(seqs(r))
          .as("4 is whole but 5 and 6 are not: a replay from 3 cannot be complete")
          .containsExactly(7L);
      assertThat(r.lastSeq()).isEqualTo(7);
    }
  }

  @Test
  void filesAreReadableByTheirOwnerOnly() throws IOException {
    threeRecords();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(segments())))
        .isEqualTo("rwx------");
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(segments().resolve("00000000000000000001.log"))))
        .isEqualTo("rw-------");
  }

  @Test
  void aSecondOwnerOfTheDirectoryIsRefused() throws IOException {
    try (FileJournal j = FileJournal.open(dir, 100)) {
      assertThatThrownBy(() -> FileJournal.open(dir, 100))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("in use by another Herald");
    }
    FileJournal.open(dir, 100).close(); // free again once the first closed
  }

  @Test
  void channelsKeepSeparateLogs() throws IOException {
    try (FileJournal j = FileJournal.open(dir, 100)) {
      j.restore("news", 100);
      j.restore("a/b:c " + "x".repeat(240), 100); // any name, even one too long for a file name
      append(j, 1, 2);
      j.append(new Event("a/b:c " + "x".repeat(240), 1, "t", "{}", Instant.EPOCH));
    }
    try (FileJournal j = FileJournal.open(dir, 100)) {
      assertThat(j.restore("news", 100).lastSeq()).isEqualTo(2);
      assertThat(j.restore("a/b:c " + "x".repeat(240), 100).lastSeq()).isEqualTo(1);
    }
  }
}
