package io.herald.bench.load;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A minimal Redis client for the bench's set-up (RESP over a socket), so the bench needs no Redis
 * library.
 */
public final class Resp implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  public Resp(int db) throws IOException {
    socket = new Socket("127.0.0.1", 6379);
    out = socket.getOutputStream();
    in = new BufferedInputStream(socket.getInputStream());
    call(List.of("SELECT", Integer.toString(db)));
  }

  /**
   * Sends one command and reads its reply line (enough for the simple and integer replies used
   * here).
   */
  public String call(List<String> args) throws IOException {
    StringBuilder b = new StringBuilder("*").append(args.size()).append("\r\n");
    for (String a : args)
      b.append('$')
          .append(a.getBytes(StandardCharsets.UTF_8).length)
          .append("\r\n")
          .append(a)
          .append("\r\n");
    out.write(b.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
    StringBuilder line = new StringBuilder();
    for (int c; (c = in.read()) != '\n'; ) {
      if (c < 0) throw new IOException("Redis closed the connection");
      if (c != '\r') line.append((char) c);
    }
    if (line.charAt(0) == '-') throw new IOException("Redis: " + line);
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
