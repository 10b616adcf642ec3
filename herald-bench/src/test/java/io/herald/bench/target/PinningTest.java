package io.herald.bench.target;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PinningTest {
  private final List<String> warnings = new ArrayList<>();

  @AfterEach
  void noOtherWarning() {
    assertThat(warnings).as("warnings left unchecked").isEmpty();
  }

  @Test
  void pinnedTheServerOnCpu0AndTheGeneratorOnCpu1() {
    Pinning p = Pinning.choose(true, 2, true, warnings::add);
    assertThat(p.on()).isTrue();
    assertThat(p.server(List.of("./herald", "push-hub")))
        .containsExactly("taskset", "-c", "0", "./herald", "push-hub");
    assertThat(p.generator(List.of("go-loadgen", "-clients", "1000")))
        .containsExactly("taskset", "-c", "1", "go-loadgen", "-clients", "1000");
    assertThat(p.describe())
        .isEqualTo("pinned with taskset: server under test on CPU 0, load generator on CPU 1");
  }

  @Test
  void noPinLeavesTheCommandsAsTheyAreWithoutAWarning() {
    Pinning p = Pinning.choose(false, 2, true, warnings::add);
    assertThat(p.on()).isFalse();
    assertThat(p.server(List.of("./herald", "push-hub"))).containsExactly("./herald", "push-hub");
    assertThat(p.describe()).isEqualTo("unpinned: server and load generator share every core");
  }

  @Test
  void oneCoreFallsBackToUnpinnedWithAWarning() {
    Pinning p = Pinning.choose(true, 1, true, warnings::add);
    assertThat(p.on()).isFalse();
    assertThat(p.generator(List.of("go-loadgen"))).containsExactly("go-loadgen");
    assertThat(warnings)
        .containsExactly("pinning off: 1 core here, the server and the generator need one each");
    warnings.clear();
  }

  @Test
  void noTasksetFallsBackToUnpinnedWithAWarning() {
    assertThat(Pinning.choose(true, 4, false, warnings::add).on()).isFalse();
    assertThat(warnings).containsExactly("pinning off: no taskset on PATH (Debian's util-linux)");
    warnings.clear();
  }
}
