package io.herald.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.herald.config.Env;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes manifests under deploy/kubernetes parse, hang together (selectors, ports, names)
 * and keep the promises docs/operations.md makes: probes on /health, one pod down at a time, and a
 * grace period the drain fits in, measured against the shutdown timeout Herald itself reads from
 * the ConfigMap.
 */
class DeploymentManifestsTest {
  private static final Path DIR = Path.of("..", "deploy", "kubernetes");
  private static final Map<String, JsonNode> byKind = new HashMap<>();

  @BeforeAll
  static void parseEveryManifest() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<Path> files;
    try (Stream<Path> s = Files.list(DIR)) {
      files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
    for (Path f : files) {
      JsonNode doc = yaml.readTree(f.toFile());
      assertThat(doc.path("apiVersion").asText()).as(f + " apiVersion").isNotEmpty();
      assertThat(doc.path("kind").asText()).as(f + " kind").isNotEmpty();
      byKind.put(doc.path("kind").asText(), doc);
    }
    assertThat(byKind)
        .containsKeys("Deployment", "Service", "PodDisruptionBudget", "ConfigMap", "Kustomization");
    for (String resource :
        byKind
            .get("Kustomization")
            .path("resources")
            .valueStream()
            .map(JsonNode::asText)
            .toList()) {
      assertThat(DIR.resolve(resource)).as("kustomization.yaml lists " + resource).exists();
    }
  }

  private static JsonNode container() {
    return byKind.get("Deployment").at("/spec/template/spec/containers/0");
  }

  @Test
  void probesAskHealthOnTheContainersPort() {
    JsonNode c = container();
    List<String> ports = c.path("ports").valueStream().map(p -> p.path("name").asText()).toList();
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertThat(c.at("/" + probe + "/httpGet/path").asText()).as(probe).isEqualTo("/health");
      assertThat(ports).as(probe + " port").contains(c.at("/" + probe + "/httpGet/port").asText());
    }
  }

  @Test
  void aRollingUpdateReplacesOnePodAtATimeWithoutLosingCapacity() {
    JsonNode spec = byKind.get("Deployment").path("spec");
    assertThat(spec.at("/strategy/type").asText()).isEqualTo("RollingUpdate");
    assertThat(spec.at("/strategy/rollingUpdate/maxUnavailable").asInt(-1)).isZero();
    assertThat(spec.at("/strategy/rollingUpdate/maxSurge").asInt()).isEqualTo(1);
    assertThat(spec.path("replicas").asInt()).isGreaterThan(1);
    assertThat(spec.at("/template/metadata/labels")).isEqualTo(spec.at("/selector/matchLabels"));
  }

  @Test
  void theGracePeriodOutlastsThePreStopPauseAndHeraldsDrain() throws Exception {
    Map<String, String> data = new HashMap<>();
    byKind
        .get("ConfigMap")
        .path("data")
        .properties()
        .forEach(e -> data.put(e.getKey(), e.getValue().asText()));
    // Herald reads the ConfigMap as it would in the pod: it must accept it (no unknown HERALD_
    // variable, no bad value).
    AppConfig config = AppConfig.from(Env.of(data), ServiceName.ALL);
    long drain =
        config.server().shutdownTimeout().toSeconds()
            + 2; // the timeout plus the 2 s close grace (docs/shared.md)
    JsonNode pod = byKind.get("Deployment").at("/spec/template/spec");
    long pause = container().at("/lifecycle/preStop/sleep/seconds").asLong();
    assertThat(pause).as("preStop pause").isPositive();
    assertThat(pod.path("terminationGracePeriodSeconds").asLong())
        .as("terminationGracePeriodSeconds")
        .isGreaterThan(pause + drain);
  }

  @Test
  void thePodDisruptionBudgetLetsOnePodGoAtATime() {
    JsonNode pdb = byKind.get("PodDisruptionBudget");
    assertThat(pdb.path("apiVersion").asText()).isEqualTo("policy/v1");
    assertThat(pdb.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    assertThat(pdb.at("/spec/selector/matchLabels"))
        .isEqualTo(byKind.get("Deployment").at("/spec/template/metadata/labels"));
  }

  @Test
  void theServiceReachesThePodsPortAndThePodsRunAsNonRoot() {
    JsonNode svc = byKind.get("Service").path("spec");
    assertThat(svc.path("selector"))
        .isEqualTo(byKind.get("Deployment").at("/spec/template/metadata/labels"));
    assertThat(container().path("ports").valueStream().map(p -> p.path("name").asText()))
        .contains(svc.at("/ports/0/targetPort").asText());
    JsonNode security = byKind.get("Deployment").at("/spec/template/spec/securityContext");
    assertThat(security.path("runAsNonRoot").asBoolean()).isTrue();
    assertThat(security.path("runAsUser").asInt()).isPositive();
  }

  @Test
  void aConfigMapWithAnUnknownVariableWouldBeRefusedAsTheTestAssumes() {
    // The check above relies on Herald refusing what it does not know; if that changed, it would
    // prove nothing.
    assertThatCode(
            () -> AppConfig.from(Env.of(Map.of("HERALD_SHUTDOWN_TIMOUT", "20s")), ServiceName.ALL))
        .hasMessageContaining("HERALD_SHUTDOWN_TIMOUT".replace("TIMEOUT", "TIMOUT"));
  }
}
