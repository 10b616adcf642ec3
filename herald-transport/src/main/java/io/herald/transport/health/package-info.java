/** The health registry behind GET /health. */
package io.herald.transport.health;
