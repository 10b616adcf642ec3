/** MariaDB/MySQL access: HikariCP pool and Flyway migrations per service. */
package io.herald.store.mysql;
