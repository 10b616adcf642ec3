/** Per-channel retention of recent events, for clients that resume from a sequence. */
package io.herald.core.history;
