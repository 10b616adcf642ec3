import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;

/**
 * Runs one fuzz test (Class#method) through the JUnit launcher, for scripts/fuzz.sh: one JVM per
 * target on the module's test classpath instead of a Maven build per target. Exits 1 on a finding
 * or when the method is not found (a renamed target must not pass silently).
 */
class FuzzLauncher {
  public static void main(String[] args) throws Exception {
    String[] target = args[0].split("#", 2);
    Class<?> type = Class.forName(target[0]);
    Method method =
        Arrays.stream(type.getDeclaredMethods())
            .filter(m -> m.getName().equals(target[1]))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no fuzz method " + args[0]));
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    LauncherFactory.create().execute(request().selectors(selectMethod(type, method)).build(), summary);
    var result = summary.getSummary();
    result.printFailuresTo(new PrintWriter(System.err, true), 30);
    boolean ran = result.getTestsSucceededCount() + result.getTestsFailedCount() > 0;
    System.exit(ran && result.getTotalFailureCount() == 0 ? 0 : 1);
  }
}
