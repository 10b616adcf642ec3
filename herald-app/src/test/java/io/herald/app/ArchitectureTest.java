package io.herald.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md, "The layers": the app wires the services; the load generator and the test
 * kit are never part of the server. That herald-bench and herald-testkit are not on herald.jar's
 * classpath at all is the enforcer rule server-classpath in this module's pom; these rules keep
 * Netty to herald-transport and the test kit out of the app's classes. (Naming herald-bench from
 * here cannot even compile: Maven refuses the cycle.)
 */
class ArchitectureTest {
  private static final JavaClasses APP =
      new ClassFileImporter()
          .importUrl(Main.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void appDoesNotTouchNetty() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .because("only herald-transport touches Netty; the app configures it through HeraldServer")
        .check(APP);
  }

  @Test
  void noServerClassUsesTheTestKit() {
    // Every module's main classes on this classpath (what herald.jar ships), not only the app's:
    // the test kit is a
    // test dependency everywhere, so only the enforcer rule stops a module from making it a compile
    // one. The warm-up
    // has clients of its own (WarmupClients) for that reason.
    JavaClasses server =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ArchitectureTest::notATestJar)
            .importPackages("io.herald");
    noClasses()
        .that()
        .resideOutsideOfPackage("io.herald.testkit..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.herald.testkit..")
        .because(
            "herald-testkit is test and bench code, never on the server's classpath (docs/ARCHITECTURE.md)")
        .check(server);
  }

  /** herald-server's fixtures come as a test jar on this classpath: not what herald.jar ships. */
  private static boolean notATestJar(Location location) {
    return !location.contains("-tests.jar");
  }
}
