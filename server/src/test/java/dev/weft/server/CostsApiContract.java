package dev.weft.server;

import static dev.weft.server.ServerFixture.obj;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * LLM costs (docs/server-api.md, "Costs"): the built-in prices, a project's own through Weave's
 * cost routes, effective dates, and {@code include_costs}; once per store
 * ({@link SqliteCostsApiTest}, {@link PostgresCostsApiTest}).
 */
abstract class CostsApiContract extends StoreContract {
  static final String P = "acme/llm";
  static final double EPS = 1e-12;

  /** An ended LLM call of {@code P} started at {@code startedAt}, with {@code summary.usage} as the agent writes it. */
  void llmCall(String id, String startedAt, String usage) throws Exception {
    llmCall(P, id, null, startedAt, usage, null);
  }

  void llmCall(String project, String id, String parent, String startedAt, String usage, String runId) throws Exception {
    ObjectNode start = obj("{'project_id':'" + project + "','id':'" + id + "','trace_id':'t-" + id + "',"
        + "'op_name':'openai.chat.completions.create','started_at':'" + startedAt + "','attributes':{},'inputs':{}}");
    start.put("parent_id", parent);
    if (runId != null) start.put("wb_run_id", project + "/" + runId);
    ObjectNode end = obj("{'project_id':'" + project + "','id':'" + id + "','ended_at':'" + startedAt + "',"
        + "'output':null,'summary':{'usage':" + usage + "}}");
    ObjectNode body = ServerFixture.JSON.createObjectNode();
    ArrayNode batch = body.putArray("batch");
    batch.addObject().put("mode", "start").putObject("req").set("start", start);
    batch.addObject().put("mode", "end").putObject("req").set("end", end);
    s.ok("/call/upsert_batch", body);
  }

  /** The call's {@code summary.weave.costs} through all three read routes, which must agree. */
  JsonNode costs(String id) throws Exception {
    String query = "{'project_id':'" + P + "','filter':{'call_ids':['" + id + "']},'include_costs':true}";
    JsonNode streamed = s.ok("/calls/stream_query", obj(query)).get(0);
    assertEquals(streamed, s.ok("/calls/query", obj(query)).at("/calls/0"), "stream_query and query agree");
    JsonNode read = s.ok("/call/read", obj("{'project_id':'" + P + "','id':'" + id + "','include_costs':true}")).get("call");
    assertEquals(streamed, read, "call/read agrees");
    return streamed.at("/summary/weave/costs");
  }

  List<String> createPrices(String project, String costs) throws Exception {
    JsonNode ids = s.ok("/costs/create", obj("{'project_id':'" + project + "','costs':" + costs + "}")).get("ids");
    List<String> out = new ArrayList<>();
    for (JsonNode pair : ids) out.add(pair.get(1).asText());
    return out;
  }

  @Test
  void aCallOfAModelInTheBuiltInTableIsPricedByIt() throws Exception {
    llmCall("c1", "2026-01-05T10:00:00Z",
        "{'gpt-4o-mini-2024-07-18':{'requests':1,'prompt_tokens':42,'completion_tokens':17,'total_tokens':59,'cached_tokens':10}}");
    JsonNode c = costs("c1").get("gpt-4o-mini-2024-07-18");
    assertEquals(1, c.get("requests").asLong());
    assertEquals(42, c.get("prompt_tokens").asLong());
    assertEquals(17, c.get("completion_tokens").asLong());
    assertEquals(59, c.get("total_tokens").asLong());
    assertEquals(10, c.get("cache_read_input_tokens").asLong());
    assertEquals(0.15e-6, c.get("prompt_token_cost").asDouble(), EPS);
    assertEquals(0.60e-6, c.get("completion_token_cost").asDouble(), EPS);
    assertEquals(0.075e-6, c.get("cache_read_input_token_cost").asDouble(), EPS);
    assertEquals(32 * 0.15e-6, c.get("prompt_tokens_total_cost").asDouble(), EPS, "the uncached prompt tokens");
    assertEquals(10 * 0.075e-6, c.get("cache_read_input_tokens_total_cost").asDouble(), EPS);
    assertEquals(17 * 0.60e-6, c.get("completion_tokens_total_cost").asDouble(), EPS);
    assertEquals("USD", c.get("prompt_token_cost_unit").asText());
    assertEquals("USD", c.get("completion_token_cost_unit").asText());
    assertEquals("2024-07-18T00:00:00Z", c.get("effective_date").asText());
    assertEquals("openai", c.get("provider_id").asText());
    assertEquals("default", c.get("pricing_level").asText());
    assertEquals("default", c.get("pricing_level_id").asText());

    JsonNode plain = s.ok("/call/read", obj("{'project_id':'" + P + "','id':'c1'}")).get("call");
    assertFalse(plain.at("/summary/weave").has("costs"), "costs only when asked for");
    assertEquals(59, plain.at("/summary/usage/gpt-4o-mini-2024-07-18/total_tokens").asLong(), "usage as written");
  }

  @Test
  void anthropicCacheReadsAndWritesArePricedAtTheirOwnPrices() throws Exception {
    llmCall("c1", "2026-01-05T10:00:00Z", "{'claude-sonnet-4-5-20250929':{'requests':1,'prompt_tokens':132,"
        + "'completion_tokens':50,'total_tokens':182,'cached_tokens':12,'cache_creation_tokens':20}}");
    JsonNode c = costs("c1").get("claude-sonnet-4-5-20250929");
    assertEquals(12, c.get("cache_read_input_tokens").asLong());
    assertEquals(20, c.get("cache_creation_input_tokens").asLong());
    assertEquals(100 * 3e-6, c.get("prompt_tokens_total_cost").asDouble(), EPS);
    assertEquals(12 * 0.30e-6, c.get("cache_read_input_tokens_total_cost").asDouble(), EPS);
    assertEquals(20 * 3.75e-6, c.get("cache_creation_input_tokens_total_cost").asDouble(), EPS);
    assertEquals(50 * 15e-6, c.get("completion_tokens_total_cost").asDouble(), EPS);
    assertEquals("anthropic", c.get("provider_id").asText());
    assertEquals("2025-09-29T00:00:00Z", c.get("effective_date").asText());
  }

  @Test
  void aBuiltInPriceAppliesFromItsEffectiveDate() throws Exception {
    String usage = "{'o3-2025-04-16':{'requests':1,'prompt_tokens':1000,'completion_tokens':100,'total_tokens':1100}}";
    llmCall("before-cut", "2025-05-01T00:00:00Z", usage);
    llmCall("after-cut", "2025-06-10T00:00:00Z", usage);
    JsonNode before = costs("before-cut").get("o3-2025-04-16");
    JsonNode after = costs("after-cut").get("o3-2025-04-16");
    assertEquals(10e-6, before.get("prompt_token_cost").asDouble(), EPS);
    assertEquals(1000 * 10e-6, before.get("prompt_tokens_total_cost").asDouble(), EPS);
    assertEquals("2025-04-16T00:00:00Z", before.get("effective_date").asText());
    assertEquals(2e-6, after.get("prompt_token_cost").asDouble(), EPS, "the newer price, in effect at the call's start");
    assertEquals(100 * 8e-6, after.get("completion_tokens_total_cost").asDouble(), EPS);
    assertEquals("2025-06-10T00:00:00Z", after.get("effective_date").asText());
  }

  @Test
  void aProjectsOwnPriceWinsOverTheBuiltInOneFromItsEffectiveDate() throws Exception {
    String usage = "{'gpt-4o-mini':{'requests':1,'prompt_tokens':1000,'completion_tokens':500,'total_tokens':1500}}";
    createPrices(P, "{'gpt-4o-mini':{'prompt_token_cost':0.000001,'completion_token_cost':0.000002,"
        + "'effective_date':'2025-06-01T00:00:00Z','provider_id':'azure'}}");
    createPrices(P, "{'gpt-4o-mini':{'prompt_token_cost':0.000003,'completion_token_cost':0.000004,"
        + "'effective_date':'2026-06-01T00:00:00Z'}}");
    llmCall("old", "2025-01-01T00:00:00Z", usage);
    llmCall("mid", "2026-01-01T00:00:00Z", usage);
    llmCall("new", "2026-07-01T00:00:00Z", usage);
    llmCall("elsewhere-project", "2026-07-01T00:00:00Z", usage);

    JsonNode old = costs("old").get("gpt-4o-mini");
    assertEquals("default", old.get("pricing_level").asText(), "the project's prices were not yet in effect");
    assertEquals(1000 * 0.15e-6, old.get("prompt_tokens_total_cost").asDouble(), EPS);

    JsonNode mid = costs("mid").get("gpt-4o-mini");
    assertEquals("project", mid.get("pricing_level").asText());
    assertEquals(P, mid.get("pricing_level_id").asText());
    assertEquals("azure", mid.get("provider_id").asText());
    assertEquals(1000 * 1e-6, mid.get("prompt_tokens_total_cost").asDouble(), EPS);
    assertEquals(500 * 2e-6, mid.get("completion_tokens_total_cost").asDouble(), EPS);
    assertEquals("2025-06-01T00:00:00Z", mid.get("effective_date").asText());

    JsonNode newest = costs("new").get("gpt-4o-mini");
    assertEquals(1000 * 3e-6, newest.get("prompt_tokens_total_cost").asDouble(), EPS, "the newest price in effect");
    assertEquals("default", newest.get("provider_id").asText(), "Weave's default provider");
    assertEquals(3e-6, newest.get("cache_read_input_token_cost").asDouble(), EPS, "no cache price: the prompt price");

    llmCall("other/project", "o1", null, "2026-07-01T00:00:00Z", usage, null);
    JsonNode other = s.ok("/call/read", obj("{'project_id':'other/project','id':'o1','include_costs':true}"))
        .at("/call/summary/weave/costs/gpt-4o-mini");
    assertEquals("default", other.get("pricing_level").asText(), "another project's prices are its own");
  }

  @Test
  void aModelWithNoPriceInEffectShowsItsTokensAndNoCost() throws Exception {
    createPrices(P, "{'my-model':{'prompt_token_cost':0.001,'completion_token_cost':0.002,'effective_date':'2030-01-01T00:00:00Z'}}");
    llmCall("c1", "2026-01-05T10:00:00Z", "{'my-model':{'requests':2,'prompt_tokens':30,'completion_tokens':12,'total_tokens':42},"
        + "'gpt-4.1-mini-2025-04-14':{'requests':1,'prompt_tokens':10,'completion_tokens':5,'total_tokens':15}}");
    JsonNode all = costs("c1");
    JsonNode mine = all.get("my-model");
    assertEquals(2, mine.get("requests").asLong());
    assertEquals(42, mine.get("total_tokens").asLong());
    for (String f : List.of("prompt_tokens_total_cost", "completion_tokens_total_cost", "prompt_token_cost",
        "completion_token_cost", "effective_date", "pricing_level")) {
      assertTrue(mine.get(f).isNull(), f + " is null, not made up: " + mine);
    }
    assertEquals(10 * 0.40e-6, all.at("/gpt-4.1-mini-2025-04-14/prompt_tokens_total_cost").asDouble(), EPS,
        "the other model of the same call is priced");
  }

  @Test
  void costsAreQueriedAndPurgedById() throws Exception {
    List<String> ids = createPrices(P, "{'model-a':{'prompt_token_cost':1e-6,'completion_token_cost':2e-6,"
        + "'effective_date':'2025-01-01T00:00:00Z','cache_read_input_token_cost':5e-7},"
        + "'model-b':{'prompt_token_cost':3e-6,'completion_token_cost':4e-6,'prompt_token_cost_unit':'EUR'}}");
    assertEquals(2, ids.size());
    // Under /cost/…, where Weave's Python SDK sends it.
    s.ok("/cost/create", obj("{'project_id':'other/project','costs':{'model-a':{'prompt_token_cost':9e-6,'completion_token_cost':9e-6}}}"));

    JsonNode all = s.ok("/costs/query", obj("{'project_id':'" + P + "'}")).get("results");
    assertEquals(2, all.size());
    JsonNode a = all.get(0);
    assertEquals(ids.get(0), a.get("id").asText());
    assertEquals("model-a", a.get("llm_id").asText());
    assertEquals(1e-6, a.get("prompt_token_cost").asDouble(), EPS);
    assertEquals(2e-6, a.get("completion_token_cost").asDouble(), EPS);
    assertEquals(5e-7, a.get("cache_read_input_token_cost").asDouble(), EPS);
    assertEquals("2025-01-01T00:00:00Z", a.get("effective_date").asText());
    assertEquals("default", a.get("provider_id").asText());
    assertEquals("EUR", all.get(1).get("prompt_token_cost_unit").asText());

    JsonNode byModel = s.ok("/costs/query", obj("{'project_id':'" + P + "','fields':['id','llm_id'],"
        + "'query':{'$expr':{'$in':[{'$getField':'llm_id'},[{'$literal':'model-b'}]]}}}")).get("results");
    assertEquals(List.of(obj("{'id':'" + ids.get(1) + "','llm_id':'model-b'}")), List.of(byModel.get(0)));
    assertEquals(1, byModel.size());
    JsonNode sorted = s.ok("/costs/query", obj("{'project_id':'" + P + "','sort_by':[{'field':'prompt_token_cost',"
        + "'direction':'desc'}],'limit':1}")).get("results");
    assertEquals("model-b", sorted.get(0).get("llm_id").asText());

    s.ok("/costs/purge", obj("{'project_id':'" + P + "','query':{'$expr':{'$in':[{'$getField':'id'},[{'$literal':'"
        + ids.get(0) + "'}]]}}}"));
    JsonNode left = s.ok("/costs/query", obj("{'project_id':'" + P + "'}")).get("results");
    assertEquals(1, left.size());
    assertEquals("model-b", left.get(0).get("llm_id").asText());
    s.ok("/costs/purge", obj("{'project_id':'" + P + "','query':{'$expr':{'$eq':[{'$getField':'id'},{'$literal':'"
        + ids.get(1) + "'}]}}}"));
    assertEquals(0, s.ok("/costs/query", obj("{'project_id':'" + P + "'}")).get("results").size());
    assertEquals(1, s.ok("/cost/query", obj("{'project_id':'other/project'}")).get("results").size(),
        "a purge touches its own project only");
  }

  void assertRefused(int status, String path, String body, String detail) throws Exception {
    ServerFixture.Response r = s.post(path, body.replace('\'', '"'));
    assertEquals(status, r.status(), r.body());
    assertTrue(r.json().get("detail").asText().contains(detail), r.body());
  }

  @Test
  void badCostRequestsAreRefusedWithADetail() throws Exception {
    assertRefused(400, "/costs/create", "{not json", "malformed JSON");
    assertRefused(400, "/costs/create", "{'project_id':'" + P + "','costs':{'m':{'prompt_token_cost':-1,'completion_token_cost':0}}}",
        "costs.m.prompt_token_cost: a price is a finite number, 0 or more");
    assertRefused(400, "/costs/create", "{'project_id':'" + P + "','costs':{'':{'prompt_token_cost':1,'completion_token_cost':0}}}",
        "must not be empty");
    assertRefused(422, "/costs/create", "{'project_id':'" + P + "','costs':{'m':{'completion_token_cost':0}}}",
        "field required: costs.m.prompt_token_cost");
    assertRefused(422, "/costs/create", "{'project_id':'" + P + "','costs':{'m':{'prompt_token_cost':'cheap','completion_token_cost':0}}}",
        "costs.m.prompt_token_cost: expected a number");
    assertRefused(422, "/costs/create", "{'project_id':'" + P + "','costs':{'m':{'prompt_token_cost':1,'completion_token_cost':0,'price':3}}}",
        "costs.m.price: not a field of a cost");
    assertRefused(422, "/costs/create", "{'project_id':'" + P + "','costs':{'m':{'prompt_token_cost':1,'completion_token_cost':0,"
        + "'effective_date':'yesterday'}}}", "costs.m.effective_date: not an ISO-8601 timestamp");
    assertRefused(422, "/costs/create", "{'project_id':'" + P + "','costs':[]}", "costs: expected an object");
    assertRefused(422, "/costs/create", "{'costs':{}}", "field required: project_id");
    assertRefused(400, "/costs/purge", "{'project_id':'" + P + "','query':{'$expr':{'$eq':[{'$getField':'llm_id'},{'$literal':'m'}]}}}",
        "costs can be purged only by id");
    assertRefused(422, "/costs/purge", "{'project_id':'" + P + "'}", "field required: query");
    assertRefused(400, "/costs/query", "{'project_id':'" + P + "','fields':['price']}", "fields: no field price");
    assertRefused(422, "/costs/query", "{'project_id':'" + P + "','query':{'$expr':{'$nope':[]}}}", "unknown operator");
    assertRefused(422, "/calls/query", "{'project_id':'" + P + "','include_costs':'yes'}", "include_costs: expected a boolean");
    assertEquals(0, s.ok("/costs/query", obj("{'project_id':'" + P + "'}")).get("results").size(), "nothing stored");
  }

  @Test
  void aRunsSummaryCarriesItsTokensAndCostByModel() throws Exception {
    s.ok("/run/start", obj("{'run':{'project_id':'" + P + "','id':'r1','name':'first','started_at':'2026-01-05T09:00:00Z'}}"));
    s.ok("/run/start", obj("{'run':{'project_id':'" + P + "','id':'r2','name':'second','started_at':'2026-01-06T09:00:00Z'}}"));
    String mini = "{'gpt-4o-mini-2024-07-18':{'requests':1,'prompt_tokens':1000,'completion_tokens':100,'total_tokens':1100}}";
    // Two traces of r1: each root's usage already holds its children's, which are not counted again.
    llmCall(P, "root-1", null, "2026-01-05T10:00:00Z", mini, "r1");
    llmCall(P, "child-1", "root-1", "2026-01-05T10:00:00Z", mini, "r1");
    llmCall(P, "root-2", null, "2026-01-05T11:00:00Z", "{'gpt-4o-mini-2024-07-18':{'requests':2,'prompt_tokens':2000,"
        + "'completion_tokens':200,'total_tokens':2200},'my-model':{'requests':1,'prompt_tokens':5,'completion_tokens':5,'total_tokens':10}}", "r1");

    JsonNode runs = s.ok("/runs/query", obj("{'project_id':'" + P + "'}")).get("runs");
    JsonNode r1 = runs.get(1);
    assertEquals("r1", r1.get("id").asText());
    JsonNode llm = r1.at("/summary/llm");
    assertEquals(3310, llm.get("total_tokens").asLong());
    double miniCost = 3000 * 0.15e-6 + 300 * 0.60e-6;
    assertEquals(miniCost, llm.get("cost").asDouble(), EPS, "the priced models' cost");
    assertEquals(3, llm.at("/models/gpt-4o-mini-2024-07-18/requests").asLong());
    assertEquals(3000, llm.at("/models/gpt-4o-mini-2024-07-18/prompt_tokens").asLong());
    assertEquals(miniCost, llm.at("/models/gpt-4o-mini-2024-07-18/cost").asDouble(), EPS);
    assertEquals(10, llm.at("/models/my-model/total_tokens").asLong());
    assertTrue(llm.at("/models/my-model/cost").isNull(), "no price: no cost");
    assertFalse(runs.get(0).get("summary").has("llm"), "a run without LLM calls has none");
    assertEquals(llm, s.ok("/run/read", obj("{'project_id':'" + P + "','id':'r1'}")).at("/run/summary/llm"));
  }
}
