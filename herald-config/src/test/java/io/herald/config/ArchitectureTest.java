package io.herald.config;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md, "The layers": herald-config (configuration, backoff, digests) depends on
 * the JDK only.
 */
class ArchitectureTest {
  // This module's main classes only, wherever Env was loaded from (target/classes in the reactor,
  // else the jar).
  private static final JavaClasses CONFIG =
      new ClassFileImporter()
          .importUrl(Env.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void configDependsOnTheJdkOnly() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "io.herald.config..", "io.herald.util..")
        .because(
            "every layer reads its settings through herald-config, so it can pull in nothing of theirs")
        .check(CONFIG);
  }
}
