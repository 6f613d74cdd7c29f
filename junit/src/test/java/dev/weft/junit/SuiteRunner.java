package dev.weft.junit;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** Runs test classes through the JUnit Platform Launcher, as a build tool does; prints what JUnit counted. */
public final class SuiteRunner {
  private SuiteRunner() {}

  static TestExecutionSummary run(String... classNames) {
    LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
    for (String c : classNames) request.selectors(selectClass(c));
    LauncherDiscoveryRequest built = request.build();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(built, listener);
    return listener.getSummary();
  }

  public static void main(String[] args) {
    TestExecutionSummary s = run(args);
    System.out.println("junit succeeded=" + s.getTestsSucceededCount() + " failed=" + s.getTestsFailedCount()
        + " aborted=" + s.getTestsAbortedCount());
  }
}
