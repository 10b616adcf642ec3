/**
 * Events and their encode-once frames: the values that flow from sources through the hub to
 * transports.
 */
package io.herald.core.event;
