package io.herald.transport.eio;

/** What the layer above (Socket.IO) hears from one Engine.IO session. Called on the session's loop. */
public interface EioListener {
  /** The data of one Engine.IO message packet (a Socket.IO packet). */
  void message(String data);

  /** The session ended, whoever ended it. Called once. */
  void closed();
}
