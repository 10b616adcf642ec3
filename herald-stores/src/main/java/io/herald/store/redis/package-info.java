/** The Redis client settings the services share. */
package io.herald.store.redis;
