package dev.weft.demo;

import dev.weft.eval.Dataset;
import dev.weft.eval.Evaluation;
import dev.weft.eval.EvaluationRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --eval}: Triage as a Weave Evaluation. The dataset is the code base's units with the kind
 * of bug seeded in each; the model runs a unit's tests and diagnoses them (with {@code --llm}, the
 * model's diagnosis first); the scorers ask whether the seeded kind came first, and where it was
 * ranked. Under the agent the evaluation goes to the trace server; without it, only the summary.
 */
final class TriageEval {
  private TriageEval() {}

  /** The units and their seeded kinds, from {@code labels.txt}: the dataset's rows. */
  static List<Map<String, Object>> rows() {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (InputStream in = TriageEval.class.getResourceAsStream("/patchpilot/codebase/labels.txt")) {
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        String[] parts = line.trim().split("\\s+");
        if (parts.length != 2 || parts[0].startsWith("#")) continue;
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("unit", parts[0]);
        row.put("seeded_kind", parts[1]);
        rows.add(row);
      }
    } catch (IOException e) {
      throw new IllegalStateException("the demo's labels are missing", e);
    }
    return rows;
  }

  /** Runs the evaluation: its summary (Weave's: each scorer's true_fraction or mean) and, under the agent, its call's id. */
  static EvaluationRun run(CodeBase codeBase, ModelAdvisor model) {
    TesterAgent tester = new TesterAgent(new TestRunner(codeBase));
    TriageAgent triage = new TriageAgent(codeBase, model);
    return Evaluation.of("triage-eval", Dataset.of("patchpilot-seeded-bugs", rows()))
        .scorer("first_is_seeded", (row, out) -> suspects(out).indexOf(row.get("seeded_kind")) == 0)
        .scorer("seeded_rank", (row, out) -> {
          int i = suspects(out).indexOf(row.get("seeded_kind"));
          return i < 0 ? Mutations.KINDS.size() + 1 : i + 1; // 1 is best; past the end when never named
        })
        .run(model == null ? "triage-rules" : "triage-" + model.name(), row -> {
          String unit = (String) row.get("unit");
          return triage.diagnose(tester.runTest(unit, 1, codeBase.unit(unit).source())).suspects();
        });
  }

  @SuppressWarnings("unchecked")
  private static List<String> suspects(Object output) {
    return output instanceof List ? (List<String>) output : List.of();
  }
}
