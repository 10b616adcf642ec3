package io.herald.service.writer;

/** The three queue messages of the seed, parsed and checked. */
sealed interface WriterCommand {
  String token();

  /** create_chats: {@code {"application_id","token","number","creator_id"}}. */
  record CreateChat(long applicationId, String token, int number, Long creatorId)
      implements WriterCommand {}

  /** create_messages: {@code {"chat_id","token","chat_number","number","body","creator_id"}}. */
  record CreateMessage(
      long chatId, String token, int chatNumber, int number, String body, Long creatorId)
      implements WriterCommand {}

  /** update_messages: {@code {"chat_id","token","chat_number","number","body"}}. */
  record UpdateMessage(long chatId, String token, int chatNumber, int number, String body)
      implements WriterCommand {}
}
