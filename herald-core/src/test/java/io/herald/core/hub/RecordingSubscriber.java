package io.herald.core.hub;

import io.herald.core.event.Frame;
import io.herald.core.history.Replay;
import java.util.ArrayList;
import java.util.List;

/**
 * Records what the hub hands it, applying the seam rule every real subscriber applies: skip seen
 * sequences.
 */
class RecordingSubscriber implements Subscriber {
  final List<Long> seqs = new ArrayList<>();
  Replay replay;
  int flushes;
  private long last;

  @Override
  public void replay(Replay r) {
    replay = r;
    r.frames().forEach(this::accept);
  }

  @Override
  public void deliver(Frame f) {
    accept(f);
  }

  @Override
  public void flush() {
    flushes++;
  }

  private void accept(Frame f) {
    if (f.seq() <= last) return;
    last = f.seq();
    seqs.add(f.seq());
  }
}
