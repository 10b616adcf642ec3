package io.herald.transport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.herald.transport.server.HeraldServer;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md, "The layers": transport gets its engine from core's EngineFactory.
 * (Services, the app and the bench depend on transport, so Maven already refuses a reference the
 * other way; stores is the layer it could reach.)
 */
class ArchitectureTest {
  private static final JavaClasses TRANSPORT =
      new ClassFileImporter()
          .importUrl(HeraldServer.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void transportKnowsNoStore() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.herald.store..")
        .because(
            "HeraldServer is handed an EngineFactory and the services mount themselves, so transport can be "
                + "tested with the memory engine and no service")
        .check(TRANSPORT);
  }
}
