package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static dev.weft.server.ServerFixture.val;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What Weave's server does with calls (docs/weave-protocol.md, "Calls" and "Queries"), against a
 * live server; run once per store ({@link SqliteCallsApiTest}, {@link PostgresCallsApiTest}).
 */
abstract class CallsApiContract extends StoreContract {
  static final String P = "acme/demo";

  static ObjectNode start(String id, String parent, String op, int second, JsonNode inputs) {
    ObjectNode st = ServerFixture.JSON.createObjectNode();
    st.put("project_id", P).put("id", id).put("trace_id", "t-" + (parent == null ? id : "x"))
        .put("op_name", op).put("started_at", String.format("2025-01-01T12:00:%02d.000Z", second));
    st.put("parent_id", parent);
    st.set("attributes", obj("{'weave':{'source':'test'}}"));
    st.set("inputs", inputs == null ? ServerFixture.JSON.createObjectNode() : inputs);
    return st;
  }

  static ObjectNode end(String id, int second, JsonNode output, String exception, JsonNode summary) {
    ObjectNode e = ServerFixture.JSON.createObjectNode();
    e.put("project_id", P).put("id", id).put("ended_at", String.format("2025-01-01T12:00:%02d.000Z", second));
    e.set("output", output);
    e.put("exception", exception);
    e.set("summary", summary == null ? ServerFixture.JSON.createObjectNode() : summary);
    return e;
  }

  void upsert(JsonNode... items) throws Exception {
    ArrayNode batch = ServerFixture.JSON.createArrayNode();
    for (JsonNode i : items) {
      ObjectNode item = batch.addObject();
      boolean isStart = i.has("started_at");
      item.put("mode", isStart ? "start" : "end");
      item.putObject("req").set(isStart ? "start" : "end", i);
    }
    ObjectNode body = ServerFixture.JSON.createObjectNode();
    body.set("batch", batch);
    JsonNode res = s.ok("/call/upsert_batch", body);
    assertEquals(items.length, res.get("res").size());
  }

  JsonNode read(String id) throws Exception {
    return s.ok("/call/read", obj("{'project_id':'" + P + "','id':'" + id + "'}")).get("call");
  }

  List<String> ids(String query) throws Exception {
    JsonNode lines = s.ok("/calls/stream_query", obj(query));
    List<String> out = new ArrayList<>();
    for (JsonNode c : lines) out.add(c.get("id").asText());
    JsonNode legacy = s.ok("/calls/query", obj(query)).get("calls");
    assertEquals(lines, legacy, "stream_query and query agree");
    long count = s.ok("/calls/query_stats", obj(query)).get("count").asLong();
    if (!obj(query).has("limit") && !obj(query).has("offset")) assertEquals(out.size(), count, "query_stats counts the same rows");
    return out;
  }

  @Test
  void aStartedCallReadsAsRunningThenSuccessAfterItsEnd() throws Exception {
    s.ok("/call/start", obj("{'start':" + start("a", null, "weave:///acme/demo/op/run:abc", 1, obj("{'x':1}")) + "}"));
    JsonNode running = read("a");
    assertTrue(running.get("ended_at").isNull());
    assertTrue(running.get("output").isNull());
    assertTrue(running.get("exception").isNull());
    assertEquals(obj("{'status':'running','trace_name':'run'}"), running.at("/summary/weave"));

    s.ok("/call/end", obj("{'end':" + end("a", 3, obj("{'r':[1,2]}"), null, obj("{'c':5}")) + "}"));
    JsonNode done = read("a");
    assertEquals(5, done.at("/summary/c").asInt());
    assertEquals("success", done.at("/summary/weave/status").asText());
    assertEquals(2000, done.at("/summary/weave/latency_ms").asLong());
    assertTrue(done.at("/summary/weave/latency_ms").isIntegralNumber());
    assertEquals(obj("{'r':[1,2]}"), done.get("output"));
    assertEquals("2025-01-01T12:00:03Z", done.get("ended_at").asText());
  }

  @Test
  void projectsListsEveryProjectWithCallsOrRuns() throws Exception {
    assertEquals(obj("{'projects':[]}"), s.ok("/projects/query", obj("{}")));
    upsert(start("a", null, "op", 1, null));
    ObjectNode other = start("b", null, "op", 2, null).put("project_id", "zeta/other");
    s.ok("/call/start", obj("{'start':" + other + "}"));
    s.ok("/run/start", obj("{'run':{'project_id':'beta/runs-only','id':'r1'}}"));
    assertEquals(obj("{'projects':[{'project_id':'acme/demo'},{'project_id':'beta/runs-only'},"
        + "{'project_id':'zeta/other'}]}"), s.ok("/projects/query", obj("{}")));
  }

  @Test
  void unknownCallReadsAsNull() throws Exception {
    assertTrue(read("nope").isNull());
  }

  @Test
  void jsonRoundTripsExactly() throws Exception {
    JsonNode inputs = obj("{'n':{'deep':[1,2.5,true,null,'s',{'k':-3}]},'big':12345678901234,'neg':-0.5}");
    upsert(start("a", null, "op", 1, inputs), end("a", 2, obj("{'o':[null,false]}"), null, null));
    JsonNode c = read("a");
    assertEquals(inputs, c.get("inputs"));
    assertEquals(obj("{'o':[null,false]}"), c.get("output"));
    assertEquals("test", c.at("/attributes/weave/source").asText());
  }

  @Test
  void errorsAndDescendantErrorsAreDerived() throws Exception {
    upsert(start("p", null, "parent", 1, null), start("c", "p", "child", 2, null),
        end("c", 3, null, "boom", obj("{'status_counts':{'success':0,'error':1}}")),
        end("p", 4, null, null, obj("{'status_counts':{'success':1,'error':1}}")));
    assertEquals("error", read("c").at("/summary/weave/status").asText());
    assertEquals("boom", read("c").get("exception").asText());
    assertEquals("descendant_error", read("p").at("/summary/weave/status").asText());
  }

  @Test
  void eachStatusFiltersExactly() throws Exception {
    upsert(start("p", null, "parent", 1, null), start("c", "p", "child", 2, null),
        end("c", 3, null, "boom", obj("{'status_counts':{'success':0,'error':1}}")),
        end("p", 4, null, null, obj("{'status_counts':{'success':1,'error':1}}")),
        start("ok", null, "fine", 5, null), end("ok", 6, val("1"), null, null),
        start("live", null, "slow", 7, null));
    String q = "{'project_id':'" + P + "','query':{'$expr':";
    String status = "{'$eq':[{'$getField':'summary.weave.status'},{'$literal':'%s'}]}";
    assertEquals(List.of("c"), ids(q + String.format(status, "error") + "}}"));
    assertEquals(List.of("p"), ids(q + String.format(status, "descendant_error") + "}}"));
    assertEquals(List.of("ok"), ids(q + String.format(status, "success") + "}}"));
    assertEquals(List.of("live"), ids(q + String.format(status, "running") + "}}"));
    assertEquals(List.of(), ids(q + String.format(status, "nonsense") + "}}"));
    // As one term of an $and, with the literal first.
    assertEquals(List.of("p"), ids(q + "{'$and':[{'$eq':[{'$literal':'descendant_error'},{'$getField':'summary.weave.status'}]},"
        + "{'$eq':[{'$getField':'parent_id'},{'$literal':null}]}]}}}"));
  }

  @Test
  void textSearchFindsTheSameCallsWhetherOrNotSqlNarrowsFirst() throws Exception {
    upsert(start("a", null, "weave:///acme/demo/op/Fixer.patch:d1", 1, obj("{'file':'Calc_Add.java'}")),
        end("a", 2, val("'Patched CALCULATOR'"), null, null),
        start("b", null, "weave:///acme/demo/op/Tester.run:d2", 3, obj("{'file':'CalcXAdd.java','n':42}")),
        end("b", 4, obj("{'passed':true}"), null, null),
        start("c", null, "weave:///acme/demo/op/Tester.run:d2", 5, obj("{'note':'two words'}")));
    String q = "{'project_id':'" + P + "','query':{'$expr':";
    java.util.function.Function<String, String> any = term -> q + "{'$or':["
        + "{'$contains':{'input':{'$getField':'op_name'},'substr':{'$literal':'" + term + "'},'case_insensitive':true}},"
        + "{'$contains':{'input':{'$convert':{'input':{'$getField':'inputs'},'to':'string'}},'substr':{'$literal':'" + term + "'},'case_insensitive':true}},"
        + "{'$contains':{'input':{'$convert':{'input':{'$getField':'output'},'to':'string'}},'substr':{'$literal':'" + term + "'},'case_insensitive':true}}"
        + "]}}}";
    assertEquals(List.of("a"), ids(any.apply("FIXER")), "op name, any case");
    assertEquals(List.of("a"), ids(any.apply("calculator")), "output, any case");
    assertEquals(List.of("a"), ids(any.apply("calc_add")), "calc_add matches Calc_Add only");
    assertEquals(List.of("a", "b"), ids(any.apply("calc")));
    assertEquals(List.of("b"), ids(any.apply("42")), "a number in the inputs");
    assertEquals(List.of("c"), ids(any.apply("two words")), "a term SQL does not judge still finds its call");
    assertEquals(List.of(), ids(any.apply("nowhere")));
    // With another condition beside it, and with one option SQL cannot judge.
    assertEquals(List.of("b"), ids(q + "{'$and':[" + any.apply("calc").substring(q.length(), any.apply("calc").length() - 2)
        + ",{'$eq':[{'$getField':'inputs.n'},{'$literal':42}]}]}}}"));
    assertEquals(List.of("a"), ids(q + "{'$or':[{'$contains':{'input':{'$getField':'op_name'},'substr':{'$literal':'fixer'},"
        + "'case_insensitive':true}},{'$eq':[{'$getField':'id'},{'$literal':'nope'}]}]}}}"));
  }

  @Test
  void aChildMayArriveBeforeItsParentAndAnEndBeforeItsStart() throws Exception {
    upsert(start("c", "p", "child", 2, null));
    upsert(end("p", 4, val("1"), null, null));
    assertTrue(read("p").isNull(), "an end alone is not a call yet");
    upsert(start("p", null, "parent", 1, null));
    assertEquals("success", read("p").at("/summary/weave/status").asText());
    assertEquals("p", read("c").get("parent_id").asText());
  }

  @Test
  void aBatchMayRepeatAStartOrAnEnd() throws Exception {
    // Retries resend halves; the last end in a batch wins, whichever half comes first.
    upsert(start("x", null, "op", 1, null), end("x", 3, val("1"), null, null), end("x", 4, val("2"), null, null));
    upsert(end("y", 5, val("7"), null, null), start("y", null, "op", 2, null), start("y", null, "op", 2, null));
    upsert(end("z", 6, val("8"), null, null), end("z", 7, val("9"), null, null));
    assertEquals(2, read("x").get("output").asInt());
    assertEquals("2025-01-01T12:00:04Z", read("x").get("ended_at").asText());
    assertEquals(7, read("y").get("output").asInt());
    assertEquals("success", read("y").at("/summary/weave/status").asText());
    assertTrue(read("z").isNull(), "ends alone are not a call yet");
    upsert(start("z", null, "op", 3, null));
    assertEquals(9, read("z").get("output").asInt());
  }

  @Test
  void concurrentBatchesAreAllStored() throws Exception {
    // Writers take turns on SQLite and run side by side on PostgreSQL; none may fail or be lost.
    int threads = 6, batches = 10, size = 50;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    List<java.util.concurrent.Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(pool.submit(() -> {
        for (int b = 0; b < batches; b++) {
          List<JsonNode> items = new ArrayList<>();
          for (int i = 0; i < size; i++) {
            String id = "w" + thread + "-" + b + "-" + i;
            items.add(start(id, null, "op", i % 60, null));
            items.add(end(id, i % 60, val(String.valueOf(i)), null, null));
          }
          upsert(items.toArray(new JsonNode[0]));
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> f : done) f.get();
    pool.shutdown();
    assertEquals(threads * batches * size,
        s.ok("/calls/query_stats", obj("{'project_id':'" + P + "'}")).get("count").asLong());
    assertEquals(17, read("w5-9-17").get("output").asInt());
  }

  void seed() throws Exception {
    upsert(start("r1", null, "weave:///acme/demo/op/run:v1", 1, obj("{'k':3,'tag':'Alpha','ref':'weave:///acme/demo/object/ds:d1'}")),
        start("c1", "r1", "weave:///acme/demo/op/step:v1", 2, obj("{'k':10,'tag':'beta'}")),
        start("c2", "r1", "weave:///acme/demo/op/step:v2", 2, obj("{'k':'7','tag':'gamma'}")),
        start("r2", null, "weave:///acme/demo/op/run:v2", 5, obj("{'tag':'alphabet'}")),
        end("c1", 3, obj("{'score':0.5}"), null, null),
        end("r1", 4, val("'weave:///acme/demo/object/out:o1'"), null, null));
  }

  @Test
  void defaultOrderIsStartTimeThenIdAndPagesAreStable() throws Exception {
    seed();
    String q = "{'project_id':'" + P + "'";
    assertEquals(List.of("r1", "c1", "c2", "r2"), ids(q + "}"));
    assertEquals(List.of("c2", "r2"), ids(q + ",'offset':2}"));
    assertEquals(List.of("c1"), ids(q + ",'limit':1,'offset':1}"));
    assertEquals(List.of("r2", "c2", "c1", "r1"), ids(q + ",'sort_by':[{'field':'started_at','direction':'desc'}]}"));
  }

  @Test
  void filtersSelectByOpParentTraceIdsAndRoots() throws Exception {
    seed();
    String q = "{'project_id':'" + P + "','filter':";
    assertEquals(List.of("c1"), ids(q + "{'op_names':['weave:///acme/demo/op/step:v1']}}"));
    assertEquals(List.of("c1", "c2"), ids(q + "{'op_names':['weave:///acme/demo/op/step:*']}}"));
    assertEquals(List.of("r1", "c2", "r2"), ids(q + "{'op_names':['weave:///acme/demo/op/run:*','weave:///acme/demo/op/step:v2']}}"));
    assertEquals(List.of("c1", "c2"), ids(q + "{'parent_ids':['r1']}}"));
    assertEquals(List.of("r1", "r2"), ids(q + "{'trace_roots_only':true}}"));
    assertEquals(List.of("r1", "c1", "c2", "r2"), ids(q + "{'trace_roots_only':false,'op_names':[],'parent_ids':null}}"));
    assertEquals(List.of("c2", "r1"), ids(q + "{'call_ids':['c2','r1']},'sort_by':[{'field':'id','direction':'asc'}]}"));
    assertEquals(List.of(), ids(q + "{'trace_ids':['unknown']}}"));
    assertEquals(List.of("r1"), ids(q + "{'input_refs':['weave:///acme/demo/object/ds:d1']}}"));
    assertEquals(List.of("r1"), ids(q + "{'output_refs':['weave:///acme/demo/object/out:o1']}}"));
    assertEquals(List.of(), ids("{'project_id':'other/project'}"));
  }

  @Test
  void sortingByNestedPathsPutsNumbersBeforeStringsAndNullsLast() throws Exception {
    seed();
    String q = "{'project_id':'" + P + "','sort_by':[{'field':'inputs.k','direction':";
    assertEquals(List.of("r1", "c1", "c2", "r2"), ids(q + "'asc'}]}"));
    assertEquals(List.of("c1", "r1", "c2", "r2"), ids(q + "'desc'}]}"));
    assertEquals(List.of("r1", "c1", "c2", "r2"), // success before running, then by start
        ids("{'project_id':'" + P + "','sort_by':[{'field':'summary.weave.status','direction':'desc'},{'field':'started_at','direction':'asc'}]}"));
  }

  @Test
  void theQueryLanguageFiltersWithWeaveSemantics() throws Exception {
    seed();
    String q = "{'project_id':'" + P + "','query':{'$expr':";
    assertEquals(List.of("c1"), ids(q + "{'$gt':[{'$getField':'inputs.k'},{'$literal':5}]}}}"));
    assertEquals(List.of("c1", "c2"), ids(q + "{'$gt':[{'$convert':{'input':{'$getField':'inputs.k'},'to':'int'}},{'$literal':5}]}}}"));
    assertEquals(List.of("r1", "c1", "c2"), ids(q + "{'$gte':[{'$convert':{'input':{'$getField':'inputs.k'},'to':'double'}},{'$literal':3}]}}}"));
    assertEquals(List.of("r1", "r2"), ids(q + "{'$contains':{'input':{'$getField':'inputs.tag'},'substr':{'$literal':'alpha'},'case_insensitive':true}}}}"));
    assertEquals(List.of("r2"), ids(q + "{'$contains':{'input':{'$getField':'inputs.tag'},'substr':{'$literal':'alpha'}}}}}"));
    assertEquals(List.of("c1", "c2"), ids(q + "{'$not':[{'$eq':[{'$getField':'parent_id'},{'$literal':null}]}]}}}"));
    assertEquals(List.of("r1", "c1", "c2", "r2"), ids(q + "{'$eq':[{'$literal':1},{'$literal':1}]}}}"));
    assertEquals(List.of("c1", "c2", "r2"), ids(q + "{'$or':[{'$eq':[{'$getField':'summary.weave.status'},{'$literal':'running'}]},"
        + "{'$and':[{'$eq':[{'$getField':'inputs.k'},{'$literal':10}]},{'$in':[{'$getField':'inputs.tag'},[{'$literal':'beta'}]]}]}]}}}"));
    // Incompatible types are false, not errors.
    assertEquals(List.of(), ids(q + "{'$gt':[{'$getField':'inputs.tag'},{'$literal':5}]}}}"));
  }

  @Test
  void deleteRemovesCallsAndTheirDescendants() throws Exception {
    seed();
    assertEquals(3, s.ok("/calls/delete", obj("{'project_id':'" + P + "','call_ids':['r1']}")).get("num_deleted").asInt());
    assertEquals(List.of("r2"), ids("{'project_id':'" + P + "'}"));
    assertEquals(0, s.ok("/calls/delete", obj("{'project_id':'" + P + "','call_ids':['r1']}")).get("num_deleted").asInt());
    assertEquals(0, s.ok("/calls/delete", obj("{'project_id':'" + P + "','call_ids':[]}")).get("num_deleted").asInt());
    assertEquals(422, s.post("/calls/delete", obj("{'project_id':'" + P + "','call_ids':[42]}")).status());
  }

  @Test
  void displayNameCanBeSetClearedAndSetAgain() throws Exception {
    seed();
    s.ok("/call/update", obj("{'project_id':'" + P + "','call_id':'r1','display_name':'first'}"));
    assertEquals("first", read("r1").get("display_name").asText());
    assertEquals("first", read("r1").at("/summary/weave/display_name").asText());
    s.ok("/call/update", obj("{'project_id':'" + P + "','call_id':'r1','display_name':''}"));
    assertTrue(read("r1").get("display_name").isNull());
    assertEquals("run", read("r1").at("/summary/weave/trace_name").asText());
    s.ok("/call/update", obj("{'project_id':'" + P + "','call_id':'r1','display_name':'again'}"));
    assertEquals("again", read("r1").get("display_name").asText());
    assertEquals(404, s.post("/call/update", obj("{'project_id':'" + P + "','call_id':'zz','display_name':'x'}")).status());
  }

  @Test
  void completedCallsFromNewerSdksAreStored() throws Exception {
    ObjectNode call = start("v2", null, "op", 1, obj("{'a':1}"));
    call.setAll(end("v2", 2, val("9"), null, null));
    ObjectNode body = ServerFixture.JSON.createObjectNode();
    body.putArray("batch").add(call);
    s.ok("/v2/acme/demo/calls/complete", body);
    assertEquals(9, read("v2").get("output").asInt());
  }

  @Test
  void anEmptyResultStreamsAnEmptyBody() throws Exception {
    ServerFixture.Response r = s.post("/calls/stream_query", obj("{'project_id':'" + P + "'}"));
    assertEquals(200, r.status());
    assertEquals("", r.body());
  }

  @Test
  void columnsLimitTheFieldsReturned() throws Exception {
    seed();
    JsonNode c = s.ok("/calls/query", obj("{'project_id':'" + P + "','columns':['inputs'],'limit':1}")).get("calls").get(0);
    assertEquals(List.of("id", "project_id", "op_name", "trace_id", "started_at", "inputs"),
        ServerFixture.JSON.convertValue(ServerFixture.JSON.valueToTree(iterable(c.fieldNames())), List.class));
  }

  static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }

  @Test
  void callsFilterByTheFeedbackGivenOnThem() throws Exception {
    upsert(start("liked", null, "Triage.diagnose", 1, null), start("disliked", null, "Triage.diagnose", 2, null),
        start("noted", null, "Triage.diagnose", 3, null), start("scored", null, "Triage.diagnose", 4, null),
        start("other", null, "Triage.diagnose", 5, null));
    String ref = "weave:///" + P + "/call/";
    s.ok("/feedback/create", obj("{'project_id':'" + P + "','weave_ref':'" + ref + "liked','feedback_type':'wandb.reaction.1','payload':{'emoji':'👍'}}"));
    s.ok("/feedback/create", obj("{'project_id':'" + P + "','weave_ref':'" + ref + "disliked','feedback_type':'wandb.reaction.1','payload':{'emoji':'👎'}}"));
    s.ok("/feedback/create", obj("{'project_id':'" + P + "','weave_ref':'" + ref + "noted','feedback_type':'wandb.note.1','payload':{'note':'why 👍?'}}"));
    s.ok("/feedback/create", obj("{'project_id':'" + P + "','weave_ref':'" + ref + "scored','feedback_type':'wandb.runnable.exact','payload':{'output':true}}"));
    s.ok("/feedback/create", obj("{'project_id':'other/project','weave_ref':'weave:///other/project/call/other','feedback_type':'wandb.reaction.1','payload':{'emoji':'👍'}}"));

    assertEquals(List.of("liked"), ids("{'project_id':'" + P + "','filter':{'feedback_emojis':['👍']}}"), "a note that mentions 👍 is not a 👍");
    assertEquals(List.of("liked", "disliked"), ids("{'project_id':'" + P + "','filter':{'feedback_emojis':['👍','👎']}}"));
    assertEquals(List.of("noted"), ids("{'project_id':'" + P + "','filter':{'feedback_types':['wandb.note.1']}}"));
    assertEquals(List.of("liked", "disliked", "noted"),
        ids("{'project_id':'" + P + "','filter':{'feedback_types':['wandb.reaction.1','wandb.note.1']}}"));
    assertEquals(422, s.post("/calls/query", obj("{'project_id':'" + P + "','filter':{'feedback_emojis':['%']}}").toString()).status());
  }
}
