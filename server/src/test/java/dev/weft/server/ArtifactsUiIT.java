package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.weft.wire.artifact.Manifest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.WebElement;

/** Artifacts in the web UI, in headless Chromium: the list, an artifact's versions, files, metadata, lineage; a run's artifacts. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ArtifactsUiIT {
  private ServerFixture server;
  private Browser browser;

  @BeforeAll
  void start() throws Exception {
    server = ServerFixture.start();
    for (String run : new String[] {"trainer", "evaluator"}) {
      server.ok("/run/start", obj("{'run':{'project_id':'acme/ui','id':'" + run + "','name':'" + run + "',"
          + "'started_at':'2025-01-01T10:00:00Z'}}"));
    }
    log("w-0", null);
    log("w-1", "best");
    server.ok("/artifact/use", obj("{'project_id':'acme/ui','name':'ckpt','version':'best','run_id':'evaluator'}"));
    browser = Browser.start();
  }

  private void log(String weights, String alias) throws Exception {
    ObjectNode body = obj("{'project_id':'acme/ui','name':'ckpt','type':'checkpoint','run_id':'trainer',"
        + "'metadata':{'epoch':" + weights.charAt(2) + ",'val_loss':0.25}}");
    List<Manifest.Entry> entries = new ArrayList<>();
    for (String[] f : new String[][] {{"weights.bin", weights}, {"meta/config.json", "{\"layers\":4}"}}) {
      byte[] bytes = f[1].getBytes(StandardCharsets.UTF_8);
      String d = ArtifactsApiContract.sha(bytes);
      server.http.send(HttpRequest.newBuilder(URI.create(server.base + "/artifact/blob/" + d))
          .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding());
      entries.add(new Manifest.Entry(f[0], d, bytes.length));
      body.withArray("manifest").addObject().put("path", f[0]).put("digest", d).put("size", bytes.length);
    }
    if (alias != null) body.putArray("aliases").add(alias);
    server.ok("/artifact/log", body);
  }

  @AfterAll
  void stop() {
    if (browser != null) browser.close();
    if (server != null) server.close();
  }

  @Test
  void theProjectsArtifactsListTheirLatestVersions() {
    browser.open(server.base + "/#/acme/ui/artifacts");
    browser.await("the artifact row", d -> browser.all("#artifacts tbody tr[data-artifact='ckpt']").size() == 1);
    String row = browser.one("#artifacts tbody tr[data-artifact='ckpt']").getText();
    assertTrue(row.contains("checkpoint") && row.contains("ckpt:v1") && row.contains("best"), row);
    assertTrue(browser.one("#tabs a.on").getText().equals("Artifacts"));
  }

  @Test
  void anArtifactShowsItsVersionsFilesMetadataAndLineageWithDownloads() throws Exception {
    browser.open(server.base + "/#/acme/ui/artifacts/ckpt");
    browser.await("the versions", d -> browser.all("#versions tbody tr").size() == 2);
    assertEquals("v1", browser.one("#version").getAttribute("data-version"), "the newest first");
    List<String> files = new ArrayList<>();
    for (WebElement r : browser.all("#files tbody tr")) files.add(r.getAttribute("data-path"));
    assertEquals(List.of("meta/config.json", "weights.bin"), files);
    assertTrue(browser.one("#version").getText().contains("val_loss"), "metadata");
    assertEquals(1, browser.all("#lineage tr[data-run='trainer'][data-role='logged']").size());
    assertEquals(1, browser.all("#lineage tr[data-run='evaluator'][data-role='used']").size());

    String href = browser.one("#files tr[data-path='weights.bin'] a.download").getAttribute("href");
    HttpResponse<byte[]> got = server.http.send(HttpRequest.newBuilder(URI.create(href)).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, got.statusCode());
    assertArrayEquals("w-1".getBytes(StandardCharsets.UTF_8), got.body());
    assertTrue(got.headers().firstValue("Content-Disposition").orElse("").contains("weights.bin"));

    browser.one("#versions tr[data-version='v0'] a").click();
    browser.await("v0's files", d -> "v0".equals(browser.one("#version").getAttribute("data-version")));
    assertEquals(0, browser.all("#lineage tr[data-role='used']").size(), "nobody used v0");
    assertTrue(browser.js("return location.hash").toString().endsWith("version=v0"), "a link to share");
  }

  @Test
  void theDashboardShowsWhatARunLoggedAndUsed() {
    browser.open(server.base + "/#/acme/ui/dashboard?run=trainer");
    browser.await("the trainer's artifacts", d -> browser.all("#run-artifacts tr[data-role='logged']").size() == 2);
    browser.open(server.base + "/#/acme/ui/dashboard?run=evaluator");
    browser.await("the evaluator's", d -> browser.all("#run-artifacts tr[data-role='used']").size() == 1);
    assertEquals("ckpt:v1", browser.one("#run-artifacts tr[data-role='used']").getAttribute("data-artifact"));
  }
}
