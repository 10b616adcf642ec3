/** The command line: service selection, configuration, logging set-up, lifecycle and signals. */
package io.herald.app;
