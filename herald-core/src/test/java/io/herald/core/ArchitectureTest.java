package io.herald.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.herald.core.hub.Hub;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md, "The layers": herald-core is the engine SPI and the fan-out, and depends on
 * the JDK only.
 */
class ArchitectureTest {
  // Only this module's main classes (the folder or jar Hub was loaded from): the rule is about what
  // core ships, and its
  // tests may use anything.
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .importUrl(Hub.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void coreDependsOnTheJdkOnly() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.herald.core..")
        .because(
            "herald-core declares no dependency: every engine and service builds on it, so it must stay JDK only")
        .check(CORE);
  }
}
