package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.weft.server.store.Retention;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Retention on every store: traces past their project's days go whole, with their feedback and
 * the objects only they referred to, while calls keep coming in; everything newer stays.
 */
abstract class RetentionContract extends StoreContract {
  static final String P = "e/p";
  /** Refs of the ops the seeded calls run: one only old traces use, one the new ones use too. */
  String oldOp, sharedOp;

  /** A trace of a root and three children, started {@code daysAgo}; the children of {@code op}, the root's inputs naming {@code ref}. */
  void trace(String id, int daysAgo, String op, String ref) throws Exception {
    String at = Instant.now().minus(daysAgo, ChronoUnit.DAYS).toString();
    StringBuilder b = new StringBuilder("{\"batch\":[");
    for (int i = 0; i < 4; i++) {
      String call = i == 0 ? id : id + "-" + i;
      if (i > 0) b.append(',');
      b.append("{\"mode\":\"start\",\"req\":{\"start\":{\"project_id\":\"" + P + "\",\"id\":\"" + call + "\",\"trace_id\":\""
          + id + "\",\"parent_id\":" + (i == 0 ? "null" : "\"" + id + "\"") + ",\"op_name\":\"" + (i == 0 ? "root" : op)
          + "\",\"started_at\":\"" + at + "\",\"attributes\":{},\"inputs\":{\"d\":\"" + (i == 0 ? ref : "") + "\"}}}},")
          .append("{\"mode\":\"end\",\"req\":{\"end\":{\"project_id\":\"" + P + "\",\"id\":\"" + call + "\",\"ended_at\":\""
              + at + "\",\"output\":1,\"summary\":{}}}}");
    }
    s.ok("/call/upsert_batch", ServerFixture.JSON.readTree(b.append("]}").toString()));
  }

  void feedbackOn(String callId) throws Exception {
    s.ok("/feedback/create", obj("{'project_id':'" + P + "','weave_ref':'weave:///" + P + "/call/" + callId
        + "','feedback_type':'wandb.reaction.1','payload':{'emoji':'+1'}}"));
  }

  String publish(String objectId, String val) throws Exception {
    return s.ok("/obj/create", obj("{'obj':{'project_id':'" + P + "','object_id':'" + objectId + "','val':" + val + "}}"))
        .get("digest").asText();
  }

  /** Old and new traces, a long one still going, feedback and objects; the old runs apart. */
  void seed() throws Exception {
    String op = "{'_type':'CustomWeaveType','weave_type':{'type':'Op'},'v':";
    oldOp = "weave:///e/p/op/old_op:" + publish("old_op", op + "1}");
    sharedOp = "weave:///e/p/op/shared:" + publish("shared", op + "2}");
    String dataset = publish("old_ds", "{'rows':[1,2]}");
    for (int i = 0; i < 12; i++) trace("old" + i, 40, oldOp, i == 0 ? "weave:///e/p/object/old_ds:" + dataset : "");
    trace("old-shared", 40, sharedOp, "");
    for (int i = 0; i < 5; i++) trace("new" + i, 1, sharedOp, "");
    trace("long", 40, "step", ""); // started 40 days ago, with a call today: the trace stays whole
    String now = Instant.now().toString();
    s.ok("/call/upsert_batch", ServerFixture.JSON.readTree("{\"batch\":[{\"mode\":\"start\",\"req\":{\"start\":{\"project_id\":\""
        + P + "\",\"id\":\"long-today\",\"trace_id\":\"long\",\"parent_id\":\"long\",\"op_name\":\"step\",\"started_at\":\""
        + now + "\",\"attributes\":{},\"inputs\":{}}}}]}"));
    feedbackOn("old0");
    feedbackOn("new0");
  }

  int objectStatus(String objectId) throws Exception {
    return s.post("/obj/read", obj("{'project_id':'e/p','object_id':'" + objectId + "','digest':'latest'}").toString()).status();
  }

  long count(String project, String filter) throws Exception {
    return s.ok("/calls/query_stats", obj("{'project_id':'" + project + "'" + filter + "}")).get("count").asLong();
  }

  @Test
  void deletesExactlyTheOldTracesWhileIngestContinues() throws Exception {
    seed();
    s.ok("/project/retention/update", obj("{'project_id':'" + P + "','retention_days':30}"));
    List<String> acknowledged = new ArrayList<>();
    AtomicBoolean stop = new AtomicBoolean();
    Thread ingest = new Thread(() -> {
      for (int i = 0; !stop.get() && i < 2000; i++) {
        try {
          trace("live" + i, 0, sharedOp, "");
          acknowledged.add("live" + i);
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      }
    });
    assertEquals(List.of(200, 200, 200), List.of(objectStatus("old_op"), objectStatus("old_ds"), objectStatus("shared")));
    ingest.start();
    List<Retention.Report> went = s.store.retention().runNow();
    stop.set(true);
    ingest.join();
    assertTrue(acknowledged.size() > 0);

    assertEquals(1, went.size(), went.toString());
    assertEquals(13, went.get(0).traces(), "the 13 old traces, not the long one");
    assertEquals(52, went.get(0).calls());
    assertEquals(1, went.get(0).feedback());
    assertEquals(0, count(P, ",'filter':{'trace_ids':['old0','old5','old-shared']}"));
    assertEquals(4 * 5 + 5 + 4 * acknowledged.size(), count(P, ""), "the new traces, the long one and all the live ones");
    JsonNode feedback = s.ok("/feedback/query", obj("{'project_id':'" + P + "'}")).get("result");
    assertEquals(1, feedback.size());
    assertEquals("weave:///e/p/call/new0", feedback.get(0).get("weave_ref").asText());
    // The op and the dataset only the old traces named are gone; the op the new ones use stays.
    assertEquals(List.of(404, 404, 200), List.of(objectStatus("old_op"), objectStatus("old_ds"), objectStatus("shared")));
    assertEquals(List.of(), s.store.retention().runNow(), "a second pass finds nothing");
  }

  @Test
  void aDryRunShowsWhatWouldGoAndDeletesNothing() throws Exception {
    seed();
    s.ok("/run/start", obj("{'run':{'project_id':'" + P + "','id':'r-old','name':'old','started_at':'"
        + Instant.now().minus(50, ChronoUnit.DAYS) + "'}}"));
    s.ok("/run/log", obj("{'project_id':'" + P + "','run_id':'r-old','points':[{'step':1,'metrics':{'a':1,'b':2}}]}"));
    s.ok("/run/start", obj("{'run':{'project_id':'" + P + "','id':'r-new','name':'new'}}"));
    s.ok("/project/retention/update", obj("{'project_id':'" + P + "','retention_days':30,'run_retention_days':45}"));
    long before = count(P, "");
    JsonNode plan = s.ok("/retention/dry_run", obj("{'project_id':'" + P + "'}")).get("projects").get(0);
    assertEquals(13, plan.get("traces").asLong());
    assertEquals(52, plan.get("calls").asLong());
    assertEquals(1, plan.get("feedback").asLong());
    assertEquals(1, plan.get("runs").asLong());
    assertEquals(2, plan.get("metric_points").asLong());
    assertEquals(before, count(P, ""), "a dry run deletes nothing");
    List<Retention.Report> went = s.store.retention().runNow();
    assertEquals(1, went.get(0).runs());
    assertTrue(s.ok("/run/read", obj("{'project_id':'" + P + "','id':'r-old'}")).get("run").isNull());
    assertTrue(s.ok("/run/read", obj("{'project_id':'" + P + "','id':'r-new'}")).get("run").isObject());
  }

  @Test
  void aProjectsSettingIsCheckedAndFollowsTheServerDefaultWhenNull() throws Exception {
    assertEquals(422, s.post("/project/retention/update", "{\"project_id\":\"e/p\",\"retention_days\":-1}").status());
    assertEquals(422, s.post("/project/retention/update", "{\"project_id\":\"e/p\",\"retention_days\":\"ten\"}").status());
    JsonNode set = s.ok("/project/retention/update", obj("{'project_id':'e/p','retention_days':7}"));
    assertEquals(7, set.get("effective").get("retention_days").asInt());
    assertEquals(0, set.get("effective").get("run_retention_days").asInt(), "the server keeps runs forever by default");
    JsonNode cleared = s.ok("/project/retention/update", obj("{'project_id':'e/p','retention_days':null}"));
    assertTrue(cleared.get("retention_days").isNull());
    assertEquals(0, cleared.get("effective").get("retention_days").asInt());
  }
}
