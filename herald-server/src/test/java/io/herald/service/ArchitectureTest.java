package io.herald.service;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameEndingWith;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.herald.core.engine.Engine;
import io.herald.core.engine.NodeFeed;
import io.herald.core.history.Journal;
import io.herald.core.hub.Hub;
import io.herald.core.hub.LocalEngine;
import io.herald.service.pushhub.PushHubService;
import org.junit.jupiter.api.Test;

/**
 * docs/ARCHITECTURE.md, "The layers": the five services sit on transport and stores. (That they
 * name nothing of herald-app or herald-bench needs no rule: those depend on this module, and Maven
 * refuses the cycle.)
 */
class ArchitectureTest {
  private static final JavaClasses SERVICES =
      new ClassFileImporter()
          .importUrl(PushHubService.class.getProtectionDomain().getCodeSource().getLocation());

  // An engine behind core's port, or the record that configures one: a service naming one of these
  // picks an engine
  // itself, and then HERALD_ENGINE, the health checks and the tests that swap engines no longer
  // cover it. The
  // implementations live in store's subpackages (redis, nats, file); store's own package is the
  // port's face that
  // services may use (Stores, EngineConfig: which engine HERALD_ENGINE chose, EngineKind,
  // Namespace).
  private static final DescribedPredicate<JavaClass> ENGINE_IMPLEMENTATION =
      resideInAPackage("io.herald.store.*..")
          .and(
              assignableTo(Engine.class)
                  .or(assignableTo(Journal.class))
                  .or(simpleNameEndingWith("EngineConfig")))
          .as(
              "are an engine implementation in herald-stores or its config record (use Stores and core's Engine)");

  @Test
  void servicesUseTheEnginePortNotTheHubOrItsFeed() {
    // A service holding the hub could publish past the engine (seen by this node only, with a
    // sequence no other node
    // gives), and one holding the feed could pick its own path per engine: the port is the one path
    // for all.
    noClasses()
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(Hub.class, NodeFeed.class, LocalEngine.class)
        .because(
            "services publish, subscribe, read and share values through core's EnginePort (ServerContext.engine())")
        .check(SERVICES);
  }

  @Test
  void servicesDoNotTouchNetty() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .because(
            "only herald-transport touches Netty; services use Vert.x's router, request and Vertx types")
        .check(SERVICES);
  }

  @Test
  void servicesReachEnginesOnlyThroughThePort() {
    noClasses()
        .should()
        .dependOnClassesThat(ENGINE_IMPLEMENTATION)
        .because(
            "an engine is chosen in one place, Stores, from the configuration; services see core's Engine")
        .check(SERVICES);
  }
}
