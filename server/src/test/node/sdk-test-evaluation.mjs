// Writes with the real Weave TypeScript SDK's EvaluationLogger what the weft-junit module's
// TriageSuite writes as a JUnit evaluation: @WeftEvaluation(name = "triage-tests", model =
// "triage", dataset = "seeded bugs"), a row per @CsvSource line, the test's output, a
// `confidence` score, then `passed` (whether its assertion held). JUnitEvaluationIT compares the
// two field by field. Exits non-zero on any failure.
import * as weave from 'weave';

const client = await weave.init(process.env.WEFT_PROJECT ?? 'weft-test/junit');

const diagnose = (bug) => (bug === 'Parser.parse' ? 'null-handling' : 'off-by-one');
const logger = new weave.EvaluationLogger({ name: 'triage-tests', dataset: 'seeded bugs', model: { name: 'triage' } });
for (const [bug, expected] of [['Calculator.add', 'off-by-one'], ['Parser.parse', 'null-handling'], ['Range.contains', 'boundary']]) {
  const found = diagnose(bug);
  const pred = logger.logPrediction({ bug, expected }, found);
  pred.logScore('confidence', found.length / 10);
  pred.logScore('passed', found === expected);
  pred.finish();
}
await logger.logSummary();

await client.waitForBatchProcessing?.();
await new Promise((r) => setTimeout(r, 1000));
