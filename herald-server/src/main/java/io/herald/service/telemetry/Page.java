package io.herald.service.telemetry;

import java.util.List;

/**
 * A read from one stream.
 *
 * @param events after the requested id, oldest first
 * @param missed events after the requested id were dropped (expired or trimmed) before this read
 * @param more more events follow the last one returned
 */
record Page(List<TelemetryEvent> events, boolean missed, boolean more) {}
