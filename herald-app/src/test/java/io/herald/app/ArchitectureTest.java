package io.herald.app;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md, "The layers": the app wires the services; the load generator is never part of the server. That
 * herald-bench is not on herald.jar's classpath at all is the enforcer rule server-classpath in this module's pom;
 * this rule keeps Netty to herald-transport. (Naming herald-bench from here cannot even compile: Maven refuses the cycle.)
 */
class ArchitectureTest {
  private static final JavaClasses APP =
      new ClassFileImporter().importUrl(Main.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void appDoesNotTouchNetty() {
    noClasses().should().dependOnClassesThat().resideInAPackage("io.netty..")
        .because("only herald-transport touches Netty; the app configures it through HeraldServer")
        .check(APP);
  }
}
