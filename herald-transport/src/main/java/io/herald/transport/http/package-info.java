/** HTTP helpers shared by services: JSON error bodies. */
package io.herald.transport.http;
