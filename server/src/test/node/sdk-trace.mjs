// Traces with the real Weave TypeScript SDK against the server at WF_TRACE_SERVER_URL:
// nested ops, an op that throws, a saved dataset; then reads the calls back through the SDK.
// Prints one JSON line of what it saw; exits non-zero on any failure.
import * as weave from 'weave';

const client = await weave.init(process.env.WEFT_PROJECT ?? 'weft-test/sdk');

const diagnose = weave.op(async function diagnose(failure) {
  return { kind: 'off-by-one', failure };
});
const generatePatch = weave.op(async function generatePatch(diagnosis, attempt) {
  return `patch for ${diagnosis.kind} #${attempt}`;
});
const verify = weave.op(async function verify(patch) {
  if (patch.endsWith('#0')) throw new Error('tests still fail');
  return true;
});
const run = weave.op(async function run(bug) {
  const d = await diagnose(bug);
  for (let attempt = 0; attempt < 2; attempt++) {
    const patch = await generatePatch(d, attempt);
    try {
      return { fixed: await verify(patch), attempts: attempt + 1 };
    } catch (e) {
      // retry
    }
  }
  return { fixed: false };
});

const result = await run('Calculator.add');
const dataset = new weave.Dataset({ name: 'seeded bugs', rows: [{ bug: 'add', kind: 'off-by-one' }, { bug: 'div', kind: 'null' }] });
const ref = await dataset.save();
const loaded = await ref.get();
const rows = [];
for await (const row of loaded.rows) rows.push(row);

await client.waitForBatchProcessing?.();
await new Promise((r) => setTimeout(r, 500));
const calls = await client.getCalls({});
console.log(JSON.stringify({
  result,
  datasetRef: ref.uri(),
  datasetRows: rows.length,
  calls: calls.map((c) => ({ id: c.id, parent: c.parent_id, op: c.op_name, exception: c.exception, status: c.summary?.weave?.status })),
}));
