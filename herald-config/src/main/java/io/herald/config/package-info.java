/**
 * Reading configuration from the environment: typed, collecting every error, Go duration syntax.
 */
package io.herald.config;
