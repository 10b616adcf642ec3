package io.herald.service.reportlistener;

import io.herald.store.mysql.Database;

/** Creates the schema the way the service does, for tests that need rows before the first start. */
record ReportStoreSchema(TestDatabase db) {
  void create() {
    try (Database d = Database.open(db.config(), "schema")) {
      d.migrate("reportlistener");
    }
  }
}
