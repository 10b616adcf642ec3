/**
 * The hub: channels with sequences and history, subscriptions grouped by event loop, and fan-out.
 */
package io.herald.core.hub;
