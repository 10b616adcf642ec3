package io.herald.service.telemetry;

import java.util.Set;

/** Who a verified JWT says the caller is. */
record Principal(String userId, Set<String> roles, boolean admin) {}
