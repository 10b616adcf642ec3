/**
 * The hub's history journal in local files, so clients resume across restarts (HERALD_HISTORY_DIR).
 */
package io.herald.store.file;
