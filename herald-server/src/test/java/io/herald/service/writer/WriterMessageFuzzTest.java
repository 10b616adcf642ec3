package io.herald.service.writer;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzzing of the writer's queue messages: a command, or Poison (dead-lettered),
 * never another exception.
 */
class WriterMessageFuzzTest {
  private static final String[] QUEUES = {
    WriterMessages.CREATE_CHATS, WriterMessages.CREATE_MESSAGES, WriterMessages.UPDATE_MESSAGES
  };

  @FuzzTest(maxDuration = "10s")
  void queueMessages(FuzzedDataProvider data) {
    String queue = data.pickValue(QUEUES);
    try {
      WriterMessages.parse(queue, data.consumeRemainingAsBytes(), 64 * 1024);
    } catch (Poison refused) {
      // dead-lettered with its reason
    }
  }
}
