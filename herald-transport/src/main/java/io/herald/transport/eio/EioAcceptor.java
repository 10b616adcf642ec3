package io.herald.transport.eio;

/** Called once per new Engine.IO session, on its loop, after the open packet went out. */
@FunctionalInterface
public interface EioAcceptor {
  EioListener open(EioTransport transport);
}
