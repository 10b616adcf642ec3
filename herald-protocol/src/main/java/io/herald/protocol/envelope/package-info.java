/** The push hub's JSON envelope protocol (seed 004): events out, pings in, errors as messages. */
package io.herald.protocol.envelope;
