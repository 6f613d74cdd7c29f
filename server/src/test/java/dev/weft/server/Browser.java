package dev.weft.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The system's headless Chromium, driven through the system's chromedriver (Debian's chromium and
 * chromium-driver, which .ci/run installs). Never Selenium Manager: nothing is downloaded.
 */
public final class Browser implements AutoCloseable {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  public final ChromeDriver driver;
  private final Path profile;

  private Browser(ChromeDriver driver, Path profile) {
    this.driver = driver;
    this.profile = profile;
  }

  /** A new browser; the test is skipped, with the reason, without Chromium, and fails in CI. */
  public static Browser start() throws IOException {
    String missing = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER) ? null
        : "no Chromium at " + CHROMIUM + " with " + CHROMEDRIVER + "; .ci/run installs Debian's chromium and chromium-driver";
    if (System.getenv("CI") != null && missing != null) throw new AssertionError("CI must provide Chromium: " + missing);
    assumeTrue(missing == null, missing);
    Path profile = Files.createTempDirectory("weft-chromium");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // This machine's closed network refuses Chromium's background connections: keep it to loopback.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1440,1000", "--lang=en-US");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new Browser(new ChromeDriver(service, options), profile);
  }

  public void open(String url) {
    driver.get(url);
  }

  /** Waits up to 15 s for a condition that is not null or false. */
  public <T> T await(String what, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, Duration.ofSeconds(15)).withMessage(what).ignoring(RuntimeException.class)
        .until(condition);
  }

  public List<WebElement> all(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  public WebElement one(String css) {
    return await("an element " + css, d -> d.findElement(By.cssSelector(css)));
  }

  public Object js(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /** Saves a screenshot of the page under target/screenshots, and also under the folder given by -Dweft.screenshots. */
  public void screenshot(String name) throws IOException {
    byte[] png = driver.getScreenshotAs(OutputType.BYTES);
    Path target = Path.of("target", "screenshots");
    Files.createDirectories(target);
    Files.write(target.resolve(name), png);
    String extra = System.getProperty("weft.screenshots");
    if (extra != null && !extra.isBlank()) {
      Path dir = Path.of(extra);
      Files.createDirectories(dir);
      Files.write(dir.resolve(name), png);
    }
  }

  @Override
  public void close() {
    driver.quit();
    TempDirs.delete(profile);
  }
}
