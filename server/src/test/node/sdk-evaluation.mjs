// Writes evaluations with the real Weave TypeScript SDK against the server at WF_TRACE_SERVER_URL,
// in both of its forms: the Evaluation class (dataset, model op, scorer ops) and the
// EvaluationLogger (predictions and scores logged one by one, then a summary).
// Prints one JSON line with what each returned; exits non-zero on any failure.
import * as weave from 'weave';

const client = await weave.init(process.env.WEFT_PROJECT ?? 'weft-test/eval');

const dataset = new weave.Dataset({
  name: 'seeded bugs',
  rows: [
    { bug: 'Calculator.add', expected: 'off-by-one' },
    { bug: 'Parser.parse', expected: 'null-handling' },
    { bug: 'Range.contains', expected: 'boundary' },
  ],
});
const triage = weave.op(async function triage({ datasetRow }) {
  return datasetRow.bug === 'Range.contains' ? 'off-by-one' : datasetRow.expected;
});
const exactBugType = weave.op(function exactBugType({ datasetRow, modelOutput }) {
  return modelOutput === datasetRow.expected;
});
const confidence = weave.op(function confidence({ modelOutput }) {
  return { score: modelOutput.length / 10, long: modelOutput.length > 8 };
});
const evaluation = new weave.Evaluation({ name: 'triage-eval', dataset, scorers: [exactBugType, confidence] });
const summary = await evaluation.evaluate({ model: triage, maxConcurrency: 2 });

const logger = new weave.EvaluationLogger({ name: 'triage-logged', dataset: 'seeded bugs', model: { name: 'triage' } });
for (const row of [{ bug: 'Calculator.add', expected: 'off-by-one' }, { bug: 'Range.contains', expected: 'boundary' }]) {
  const output = row.bug === 'Range.contains' ? 'off-by-one' : row.expected;
  const pred = logger.logPrediction(row, output);
  pred.logScore('exactBugType', output === row.expected);
  pred.logScore('confidence', output.length / 10);
  pred.finish();
}
await logger.logSummary();

await client.waitForBatchProcessing?.();
await new Promise((r) => setTimeout(r, 1000));
console.log(JSON.stringify({ summary }));
