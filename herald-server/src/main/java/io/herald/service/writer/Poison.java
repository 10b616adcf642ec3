package io.herald.service.writer;

/** A message that can never succeed: it goes to the dead-letter queue with this reason. */
final class Poison extends Exception {
  Poison(String reason) {
    super(reason, null, false, false);
  }
}
