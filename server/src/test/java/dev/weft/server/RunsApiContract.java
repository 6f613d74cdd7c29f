package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** Runs and metrics through the API, once per store. */
abstract class RunsApiContract extends StoreContract {

  void run(String id, String started) throws Exception {
    s.ok("/run/start", obj("{'run':{'project_id':'e/p','id':'" + id + "','name':'patchpilot " + id + "',"
        + "'config':{'seed':7,'max_iterations':5},'tags':['nightly'],'group':'fixers',"
        + "'environment':{'jvm':'17','host':'ci','git':{'commit':'abc123','branch':'main','dirty':false}},"
        + "'started_at':'" + started + "'}}"));
  }

  @Test
  void aRunKeepsItsHistorySummaryTablesAndState() throws Exception {
    run("r1", "2025-01-01T10:00:00Z");
    assertEquals(4, s.ok("/run/log", obj("{'project_id':'e/p','run_id':'r1','points':["
        + "{'step':0,'metrics':{'pass_rate':0.25,'fix_time_seconds':12.5},'call_id':'c0'},"
        + "{'step':1,'timestamp':'2025-01-01T10:00:05Z','metrics':{'pass_rate':0.75,'fix_time_seconds':3}}]}")).get("count").asInt());
    s.ok("/run/summary", obj("{'project_id':'e/p','run_id':'r1','summary':{'bug_types':{'off-by-one':3,'null':1}}}"));
    s.ok("/run/summary", obj("{'project_id':'e/p','run_id':'r1','summary':{'bugs_fixed':4}}"));
    s.ok("/run/table", obj("{'project_id':'e/p','run_id':'r1','name':'recent_fixes','columns':['bug','iterations'],"
        + "'rows':[['Calc.add',2],['Str.pad',1]]}"));
    s.ok("/run/finish", obj("{'project_id':'e/p','id':'r1','state':'finished'}"));

    JsonNode run = s.ok("/run/read", obj("{'project_id':'e/p','id':'r1'}")).get("run");
    assertEquals("finished", run.get("state").asText());
    assertTrue(run.hasNonNull("ended_at"));
    assertEquals(7, run.at("/config/seed").asInt());
    assertEquals("nightly", run.at("/tags/0").asText());
    assertEquals("abc123", run.at("/environment/git/commit").asText());
    assertEquals(3, run.at("/summary/bug_types/off-by-one").asInt());
    assertEquals(4, run.at("/summary/bugs_fixed").asInt());
    assertEquals(0.75, run.at("/latest_metrics/pass_rate").asDouble());

    JsonNode points = s.ok("/run/history", obj("{'project_id':'e/p','run_id':'r1','metrics':['pass_rate']}")).get("points");
    assertEquals(2, points.size());
    assertEquals(0.25, points.get(0).get("value").asDouble());
    assertEquals("c0", points.get(0).get("call_id").asText());
    assertEquals("2025-01-01T10:00:05Z", points.get(1).get("timestamp").asText());

    JsonNode table = s.ok("/run/tables", obj("{'project_id':'e/p','run_id':'r1'}")).at("/tables/0");
    assertEquals("recent_fixes", table.get("name").asText());
    assertEquals("Str.pad", table.at("/rows/1/0").asText());
  }

  @Test
  void runsListNewestFirstWithTheirLatestMetrics() throws Exception {
    run("old", "2025-01-01T10:00:00Z");
    run("new", "2025-01-02T10:00:00Z");
    s.ok("/run/log", obj("{'project_id':'e/p','run_id':'old','points':[{'step':0,'metrics':{'pass_rate':0.5}}]}"));
    s.ok("/run/log", obj("{'project_id':'e/p','run_id':'new','points':[{'step':0,'metrics':{'pass_rate':0.6}},{'step':1,'metrics':{'pass_rate':0.9}}]}"));
    s.ok("/run/finish", obj("{'project_id':'e/p','id':'old','state':'failed'}"));
    JsonNode runs = s.ok("/runs/query", obj("{'project_id':'e/p'}")).get("runs");
    assertEquals(2, runs.size());
    assertEquals("new", runs.at("/0/id").asText());
    assertEquals(0.9, runs.at("/0/latest_metrics/pass_rate").asDouble());
    assertEquals("running", runs.at("/0/state").asText());
    assertEquals("failed", runs.at("/1/state").asText());
    assertEquals(0.5, runs.at("/1/latest_metrics/pass_rate").asDouble());
  }

  @Test
  void badRunRequestsAreRefusedClearly() throws Exception {
    run("r", "2025-01-01T10:00:00Z");
    assertEquals(404, s.post("/run/log", obj("{'project_id':'e/p','run_id':'nope','points':[]}").toString()).status());
    assertEquals(422, s.post("/run/log", obj("{'project_id':'e/p','run_id':'r','points':[{'step':0,'metrics':{'x':'high'}}]}").toString()).status());
    assertEquals(422, s.post("/run/finish", obj("{'project_id':'e/p','id':'r','state':'exploded'}").toString()).status());
    assertEquals(422, s.post("/run/table", obj("{'project_id':'e/p','run_id':'r','name':'t','columns':['a','b'],'rows':[[1]]}").toString()).status());
    assertTrue(s.ok("/run/read", obj("{'project_id':'e/p','id':'missing'}")).get("run").isNull());
  }

  @Test
  void aKnownIdStartsAgainOnlyAsResumeAllowsAndGoesOnFromItsLastStep() throws Exception {
    run("r", "2025-01-01T10:00:00Z");
    run("r", "2025-01-01T10:00:00Z"); // the same session's start again (its config changed): taken as an update
    s.ok("/run/log", obj("{'project_id':'e/p','run_id':'r','points':[{'step':0,'metrics':{'loss':0.9}},{'step':1,'metrics':{'loss':0.7}}]}"));
    s.ok("/run/summary", obj("{'project_id':'e/p','run_id':'r','summary':{'best':0.7}}"));
    s.ok("/run/finish", obj("{'project_id':'e/p','id':'r','state':'failed'}"));
    String later = "{'run':{'project_id':'e/p','id':'r','name':'second try','config':{'seed':8,'lr':0.1},"
        + "'tags':['resumed','nightly'],'started_at':'2025-01-02T10:00:00Z'%s}}";

    ServerFixture.Response refused = s.post("/run/start", obj(String.format(later, "")).toString());
    assertEquals(409, refused.status(), "resume never, the default: the id is taken");
    assertTrue(refused.body().contains("resume") && refused.body().contains("\"detail\""), refused.body());
    ServerFixture.Response missing = s.post("/run/start", obj("{'run':{'project_id':'e/p','id':'ghost','resume':'must'}}").toString());
    assertEquals(404, missing.status());
    assertTrue(missing.body().contains("no run ghost"), missing.body());
    assertTrue(s.ok("/run/read", obj("{'project_id':'e/p','id':'ghost'}")).get("run").isNull(), "must creates nothing");
    assertEquals(422, s.post("/run/start", obj(String.format(later, ",'resume':'sometimes'")).toString()).status());

    JsonNode resumed = s.ok("/run/start", obj(String.format(later, ",'resume':'allow'")));
    assertTrue(resumed.get("resumed").asBoolean());
    assertEquals(1, resumed.get("last_step").asLong());
    JsonNode run = s.ok("/run/read", obj("{'project_id':'e/p','id':'r'}")).get("run");
    assertEquals("running", run.get("state").asText());
    assertTrue(run.get("ended_at").isNull());
    assertEquals("patchpilot r", run.get("name").asText(), "the name is kept");
    assertEquals(8, run.at("/config/seed").asInt(), "config merged, the newer value wins");
    assertEquals(5, run.at("/config/max_iterations").asInt());
    assertEquals(0.1, run.at("/config/lr").asDouble());
    assertEquals("[\"nightly\",\"resumed\"]", run.get("tags").toString(), "tags joined");
    assertEquals(0.7, run.at("/summary/best").asDouble(), "the summary accumulates");
    assertEquals(1, run.get("last_step").asLong());

    // The resumed session's start again (its config changed) goes on with the same run: nothing doubles.
    JsonNode again = s.ok("/run/start", obj(String.format(later, ",'resume':'must'")));
    assertEquals(1, again.get("last_step").asLong());
    assertEquals("[\"nightly\",\"resumed\"]", s.ok("/run/read", obj("{'project_id':'e/p','id':'r'}")).at("/run/tags").toString());
    s.ok("/run/log", obj("{'project_id':'e/p','run_id':'r','points':[{'step':2,'metrics':{'loss':0.5}}]}"));
    JsonNode points = s.ok("/run/history", obj("{'project_id':'e/p','run_id':'r','metrics':['loss']}")).get("points");
    assertEquals(3, points.size());
    assertEquals(2, points.get(2).get("step").asLong());
  }

  @Test
  void aPointForALoggedStepIsMergedAndOneBehindTheLastStepIsRefused() throws Exception {
    run("r", "2025-01-01T10:00:00Z");
    s.ok("/run/log", obj("{'project_id':'e/p','run_id':'r','points':[{'step':0,'metrics':{'x':1}},{'step':1,'metrics':{'x':2}}]}"));
    JsonNode merged = s.ok("/run/log", obj("{'project_id':'e/p','run_id':'r','points':[{'step':1,'metrics':{'x':9,'y':3}}]}"));
    assertEquals(1, merged.get("merged").asInt());
    assertEquals(1, merged.get("stored").asInt(), "y is new at step 1");
    JsonNode behind = s.ok("/run/log", obj("{'project_id':'e/p','run_id':'r','points':[{'step':0,'metrics':{'x':5}}]}"));
    assertEquals(0, behind.get("count").asInt());
    assertTrue(behind.at("/refused/0").asText().contains("x at step 0: steps only move forward"), behind.toString());
    JsonNode points = s.ok("/run/history", obj("{'project_id':'e/p','run_id':'r','metrics':['x']}")).get("points");
    assertEquals(2, points.size(), "never two points of x at one step");
    assertEquals(1.0, points.get(0).get("value").asDouble());
    assertEquals(9.0, points.get(1).get("value").asDouble());
  }

  @Test
  void aRunNotHeardFromIsCrashedAndHearingFromItAgainMakesItRunning() throws Exception {
    run("quiet", "2025-01-01T10:00:00Z");
    run("done", "2025-01-01T10:00:00Z");
    s.ok("/run/finish", obj("{'project_id':'e/p','id':'done','state':'finished'}"));
    long now = System.currentTimeMillis() * 1000;
    assertEquals(0, s.store.runs().markCrashed(now - 60_000_000L).size(), "both were heard from just now");
    assertEquals("quiet", s.store.runs().markCrashed(now + 1).get(0).id(), "only the running one");
    assertEquals(0, s.store.runs().markCrashed(now + 1).size(), "and once");
    JsonNode quiet = s.ok("/run/read", obj("{'project_id':'e/p','id':'quiet'}")).get("run");
    assertEquals("crashed", quiet.get("state").asText());
    assertTrue(quiet.hasNonNull("ended_at"));
    assertEquals("finished", s.ok("/run/read", obj("{'project_id':'e/p','id':'done'}")).at("/run/state").asText());
    s.ok("/run/heartbeat", obj("{'project_id':'e/p','id':'quiet'}"));
    assertEquals("running", s.ok("/run/read", obj("{'project_id':'e/p','id':'quiet'}")).at("/run/state").asText());
    assertEquals(404, s.post("/run/heartbeat", obj("{'project_id':'e/p','id':'nope'}").toString()).status());
  }
}
