/** The shared JSON mapper and quoting. */
package io.herald.protocol.json;
