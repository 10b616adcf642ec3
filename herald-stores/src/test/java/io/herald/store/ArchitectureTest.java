package io.herald.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md, "The layers": herald-stores sits on core and config. Lettuce brings Netty
 * onto its classpath, which is why the rule is needed here; transport and the services depend on
 * stores, so Maven refuses those cycles.
 */
class ArchitectureTest {
  private static final JavaClasses STORES =
      new ClassFileImporter()
          .importUrl(Stores.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void storesTouchNeitherNettyNorVertxNorProtocol() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("io.netty..", "io.vertx..", "io.herald.protocol..")
        .because(
            "only herald-transport touches Netty, and an engine must work under any service and without a server")
        .check(STORES);
  }
}
