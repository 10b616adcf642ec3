package io.herald.bench.chaos;

/**
 * What one fault did to the events, summed over its clients.
 *
 * @param fault the script's name
 * @param clients clients counted
 * @param published publishes attempted
 * @param accepted publishes the server accepted (202)
 * @param expected deliveries owed: each client, every accepted event after its start
 * @param received deliveries seen, duplicates included
 * @param lost owed and never seen
 * @param duplicated seen more than once
 * @param reordered a sequence lower than the one before on the same client
 * @param reconnects connections opened again after the first
 * @param signal what the fault's explicit signal was, when it has one (a close code), else empty
 * @param verdict PASS when nothing was lost or doubled (or the signal was the promised one), else
 *     FAIL
 * @param note what happened, in a few words
 */
record Tally(
    String fault,
    int clients,
    long published,
    long accepted,
    long expected,
    long received,
    long lost,
    long duplicated,
    long reordered,
    long reconnects,
    String signal,
    String verdict,
    String note) {
  /**
   * The same counts with the fault's own signal and verdict: PASS only when the counts passed too.
   */
  Tally judged(boolean ok, String signal, String note) {
    return new Tally(
        fault,
        clients,
        published,
        accepted,
        expected,
        received,
        lost,
        duplicated,
        reordered,
        reconnects,
        signal,
        ok && verdict.equals("PASS") ? "PASS" : "FAIL",
        note);
  }

  /** A fault that could not run here (what it needs is missing), with why. */
  static Tally skipped(String fault, String why) {
    return new Tally(fault, 0, 0, 0, 0, 0, 0, 0, 0, 0, "", "SKIPPED", why);
  }
}
