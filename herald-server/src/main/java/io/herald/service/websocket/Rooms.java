package io.herald.service.websocket;

import io.herald.protocol.sio.SioPacket;
import java.util.regex.Pattern;

/** The seed's room types and who may join them. */
final class Rooms {
  static final String GLOBAL = "global";
  private static final Pattern NAME =
      Pattern.compile("global|(survey|project|user):[^\\p{Cntrl}\\s]{1,128}");
  private static final Pattern EVENT = Pattern.compile("[^\\p{Cntrl}]{1,128}");

  private Rooms() {}

  static String user(String userId) {
    return "user:" + userId;
  }

  static boolean valid(String room) {
    return room != null && NAME.matcher(room).matches();
  }

  static boolean validEvent(String name) {
    return name != null && EVENT.matcher(name).matches() && !SioPacket.RESERVED.contains(name);
  }

  /**
   * Null when {@code user} may join {@code room}, else why not (sent to the client as an error).
   */
  static String refusal(String room, SioUser user) {
    if (!valid(room)) return "Invalid room: use global, survey:<id>, project:<id> or user:<id>";
    if (user.anonymous())
      return room.equals(GLOBAL) ? null : "Anonymous users can only join the global room";
    if (room.startsWith("user:") && !room.equals(user(user.userId())) && !user.admin())
      return "Cannot join another user's room";
    return null;
  }
}
