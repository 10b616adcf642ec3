package io.herald.protocol;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.herald.protocol.envelope.Envelope;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md, "The layers": herald-protocol holds codecs on core and Jackson, nothing of
 * the network.
 */
class ArchitectureTest {
  private static final JavaClasses PROTOCOL =
      new ClassFileImporter()
          .importUrl(Envelope.class.getProtectionDomain().getCodeSource().getLocation());

  @Test
  void protocolDependsOnCoreAndJacksonOnly() {
    classes()
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..", "io.herald.core..", "io.herald.protocol..", "com.fasterxml.jackson..")
        .because(
            "codecs are pure functions of bytes; only herald-transport touches Netty and Vert.x")
        .check(PROTOCOL);
  }
}
