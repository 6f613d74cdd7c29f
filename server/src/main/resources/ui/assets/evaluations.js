// Evaluations, read from the calls Weave's Evaluation writes: a root call of Evaluation.evaluate
// is one evaluation and its output the summary; its Evaluation.predict_and_score children (the
// TypeScript SDK's Evaluation class spells it predictAndScore) are its rows, each output holding
// the model's output and the scores. Routes: #/E/P/evaluations, #/E/P/evaluations/CALL_ID, and
// #/E/P/evaluations?compare=ID,ID (two to four, the first the baseline).
import {h, fill, link, callName, status, statusBadge, duration, fmtDuration, fmtTime, fmtNumber, preview,
  debounce, parseException} from './dom.js';
import {api, post} from './api.js';
import {llmTotals, fmtCost, fmtTokens} from './llm.js';

const EVALUATE = ['Evaluation.evaluate'];
const PREDICT = ['Evaluation.predict_and_score', 'Evaluation.predictAndScore'];
const MAX_EVALUATIONS = 500;
const MAX_ROWS = 10000;
const ROW_REF = '/attr/rows/id/';

const read = {
  refs: refs => post('/refs/read_batch', {refs}).then(r => r.vals),
  tableRows: (project, digest, rowDigests) => post('/table/query',
    {project_id: project, digest, filter: {row_digests: rowDigests}}).then(r => r.rows),
};

export async function render(el, ctx) {
  const compare = (ctx.params.compare || '').split(',').filter(Boolean);
  if (ctx.id) return one(el, ctx);
  if (compare.length >= 2) return comparison(el, ctx, compare.slice(0, 4));
  return list(el, ctx);
}

const opFilter = (project, names) => names.flatMap(n => [`weave:///${project}/op/${n}:*`, n]);

/** The object or op a ref names: 'weave:///e/p/object/triage:abc' → 'triage'; any other string as it is. */
export function refName(ref) {
  if (typeof ref !== 'string') return '';
  const m = /^weave:\/\/\/[^/]+\/[^/]+\/(?:object|op)\/([^:/]+)/.exec(ref);
  return m ? m[1] : ref;
}

/** An evaluation's scores in its summary, flattened: [{key, kind: 'fraction'|'mean', value, count}]. */
export function summaryMetrics(summary) {
  const out = [];
  const walk = (v, path) => {
    if (!v || typeof v !== 'object' || Array.isArray(v)) return;
    if (typeof v.true_fraction === 'number') out.push({key: path, kind: 'fraction', value: v.true_fraction, count: v.true_count});
    else if (typeof v.mean === 'number') out.push({key: path, kind: 'mean', value: v.mean});
    else for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
  };
  walk(summary, '');
  return out.filter(m => m.key !== 'model_latency');
}

function fmtMetric(m) {
  if (!m) return '';
  return m.kind === 'fraction' ? `${+(m.value * 100).toFixed(1)}%` : fmtNumber(m.value);
}

function metricTitle(m) {
  if (m.kind !== 'fraction') return `mean ${m.value}`;
  const total = m.value ? Math.round(m.count / m.value) : null;
  return total != null ? `${m.count} of ${total} true` : `${m.count ?? 0} true`;
}

function scoreChips(summary) {
  return summaryMetrics(summary).map(m => h('span', {class: 'chip score', title: metricTitle(m), dataset: {metric: m.key}},
    `${m.key} `, h('b', null, fmtMetric(m))));
}

/** What the list shows of an evaluation, from its root call and its Evaluation object. */
function describe(root, evalObjects) {
  const self = root.inputs?.self;
  const obj = evalObjects.get(self);
  const latency = root.output?.model_latency?.mean;
  return {
    root, id: root.id,
    name: refName(self) || callName(root),
    label: root.display_name && root.display_name !== refName(self) ? root.display_name : null,
    model: refName(root.inputs?.model),
    dataset: obj ? refName(obj.dataset) : '',
    llm: llmTotals(root.summary),
    latency: typeof latency === 'number' ? latency * 1000 : null,
  };
}

async function evaluationObjects(roots) {
  const selfs = [...new Set(roots.map(r => r.inputs?.self).filter(s => typeof s === 'string' && s.startsWith('weave:///')))];
  // One ref per request: an object deleted since must not hide the others.
  const vals = await Promise.all(selfs.map(ref => read.refs([ref]).then(v => v[0]).catch(() => null)));
  return new Map(selfs.map((ref, i) => [ref, vals[i]]));
}

async function list(el, ctx) {
  const project = ctx.project;
  const picked = new Set(); // kept across refreshes
  const draw = async () => {
    const roots = await api.calls({project_id: project, include_costs: true, limit: MAX_EVALUATIONS,
      filter: {op_names: opFilter(project, EVALUATE), trace_roots_only: true},
      sort_by: [{field: 'started_at', direction: 'desc'}]});
    const objs = await evaluationObjects(roots);
    const evals = roots.map(r => describe(r, objs));
    const compareButton = h('button', {type: 'button', id: 'compare', disabled: true, onclick: () => {
      location.hash = link(project, 'evaluations', null, {compare: [...picked].join(',')});
    }}, 'Compare');
    const pick = (id, on) => {
      if (on) picked.add(id); else picked.delete(id);
      compareButton.disabled = picked.size < 2 || picked.size > 4;
      compareButton.textContent = picked.size ? `Compare ${picked.size}` : 'Compare';
    };
    fill(el, h('div', {class: 'page'},
      h('div', {class: 'row'}, h('h1', null, 'Evaluations'), h('span', {class: 'spacer'}),
        evals.length > 1 ? [h('span', {class: 'muted small'}, 'pick two to four to compare'), compareButton] : null),
      evals.length === 0
        ? h('div', {class: 'panel empty'}, h('p', null, 'No evaluations in this project yet.'),
            h('p', null, 'Write one with ', h('code', null, 'Evaluation.of("name", dataset).scorer(…).evaluate(…)'),
              ' under the agent, a ', h('code', null, '@WeftEvaluation'), ' test class, or a Weave SDK.'))
        : h('div', {class: 'panel', style: {overflowX: 'auto'}}, h('table', {class: 'grid', id: 'evaluations'},
            h('thead', null, h('tr', null, h('th', null, ''), h('th', null, 'Evaluation'), h('th', null, 'Model'),
              h('th', null, 'Dataset'), h('th', null, 'Scores'), h('th', null, 'Status'), h('th', null, 'Started'),
              h('th', {class: 'num'}, 'Run time'), h('th', {class: 'num', title: 'mean model latency per row'}, 'Latency'),
              h('th', {class: 'num'}, 'Tokens'), h('th', {class: 'num'}, 'Cost'))),
            h('tbody', null, evals.map(e => {
              const href = link(project, 'evaluations', e.id);
              return h('tr', {class: 'link', dataset: {callId: e.id}, onclick: ev => {
                if (ev.target.closest('a, input')) return;
                location.hash = href;
              }},
                h('td', null, h('input', {type: 'checkbox', 'aria-label': `compare ${e.name}`, checked: picked.has(e.id),
                  onchange: ev => pick(e.id, ev.target.checked)})),
                h('td', null, h('a', {href, dataset: {col: 'name'}}, e.name),
                  e.label ? h('div', {class: 'muted small'}, e.label) : null),
                h('td', {dataset: {col: 'model'}}, e.model),
                h('td', {dataset: {col: 'dataset'}}, e.dataset),
                h('td', {dataset: {col: 'scores'}}, scoreChips(e.root.output)),
                h('td', null, statusBadge(status(e.root))),
                h('td', {title: e.root.started_at}, fmtTime(e.root.started_at)),
                h('td', {class: 'num', dataset: {col: 'runtime'}}, e.root.ended_at ? fmtDuration(duration(e.root)) : 'running'),
                h('td', {class: 'num'}, e.latency != null ? fmtDuration(e.latency) : ''),
                h('td', {class: 'num', dataset: {col: 'tokens'}}, e.llm ? fmtTokens(e.llm.tokens) : ''),
                h('td', {class: 'num', dataset: {col: 'cost'}}, e.llm?.cost != null ? fmtCost(e.llm.cost) + (e.llm.unpriced ? '+' : '') : ''));
            }))))));
    for (const id of [...picked]) if (!evals.some(e => e.id === id)) picked.delete(id);
    pick(null, false);
  };
  await draw();
  return {refresh: draw};
}

/** An evaluation whole: its root, its rows with their examples resolved, and the row table's columns. */
async function load(project, id) {
  const root = await api.call(project, id);
  if (!root) return null;
  const [objs, preds] = await Promise.all([evaluationObjects([root]),
    api.calls({project_id: project, limit: MAX_ROWS,
      filter: {parent_ids: [id], op_names: opFilter(project, PREDICT)},
      sort_by: [{field: 'started_at', direction: 'asc'}]})]);
  const examples = await resolveExamples(project, preds);
  const rows = preds.map((c, i) => row(c, i, examples));
  return {eval: describe(root, objs), rows, columns: columns(rows)};
}

/** The dataset rows that predictions name by ref, read from their table in one request per dataset. */
async function resolveExamples(project, preds) {
  const out = new Map();
  const byDataset = new Map();
  for (const c of preds) {
    const ex = c.inputs?.example;
    const at = typeof ex === 'string' ? ex.indexOf(ROW_REF) : -1;
    if (at < 0) continue;
    const dataset = ex.slice(0, at);
    if (!byDataset.has(dataset)) byDataset.set(dataset, new Set());
    byDataset.get(dataset).add(ex.slice(at + ROW_REF.length));
  }
  await Promise.all([...byDataset].map(async ([dataset, digests]) => {
    try {
      const [obj] = await read.refs([dataset]);
      const table = typeof obj?.rows === 'string' ? obj.rows : '';
      const m = /^weave:\/\/\/([^/]+\/[^/]+)\/table\/([^/]+)$/.exec(table);
      if (!m) return;
      for (const r of await read.tableRows(m[1], m[2], [...digests])) out.set(dataset + ROW_REF + r.digest, r.val);
    } catch (e) { /* the rows show as their refs */ }
  }));
  return out;
}

/** One prediction as a row: its example, the model's output, its scores flattened to columns. */
function row(c, index, examples) {
  const ex = c.inputs?.example;
  const example = typeof ex === 'string' && examples.has(ex) ? examples.get(ex) : ex;
  const out = c.output && typeof c.output === 'object' ? c.output : {};
  const scores = {};
  const walk = (v, path) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) for (const [k, x] of Object.entries(v)) walk(x, path ? `${path}.${k}` : k);
    else if (path) scores[path] = v;
  };
  walk(out.scores, '');
  const exception = parseException(c.exception);
  return {
    call: c, index, key: typeof ex === 'string' ? ex : JSON.stringify(ex ?? null),
    example, inputs: example && typeof example === 'object' && !Array.isArray(example) ? example : {input: example},
    output: 'output' in out ? out.output : out.model_output,
    scores, latency: typeof out.model_latency === 'number' ? out.model_latency * 1000 : null,
    status: status(c), error: exception ? `${exception.type}: ${exception.message}` : null,
  };
}

function columns(rows) {
  const inputs = new Set();
  const scores = new Set();
  for (const r of rows) {
    Object.keys(r.inputs).forEach(k => inputs.add(k));
    Object.keys(r.scores).forEach(k => scores.add(k));
  }
  const kind = k => rows.some(r => typeof r.scores[k] === 'boolean')
    && rows.every(r => r.scores[k] == null || typeof r.scores[k] === 'boolean') ? 'boolean' : 'other';
  return {inputs: [...inputs], scores: [...scores].map(k => ({key: k, kind: kind(k)}))};
}

/** A cell's value to sort by: numbers and booleans by value, the rest by text; missing last. */
function sortValue(r, col) {
  const v = col === 'output' ? r.output : col === 'latency' ? r.latency : col === 'index' ? r.index
    : col === 'status' ? r.status : col.startsWith('in:') ? r.inputs[col.slice(3)] : r.scores[col.slice(6)];
  if (v == null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'number') return v;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function compareValues(a, b) {
  if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

function cell(v) {
  if (typeof v === 'boolean') return h('span', {class: `bool ${v}`}, String(v));
  if (typeof v === 'number') return fmtNumber(v);
  if (v == null) return '';
  return h('div', {class: 'preview', title: preview(v, 2000)}, preview(v));
}

function header(project, e, rowCount) {
  const root = e.root;
  return [
    h('div', {class: 'row'}, h('h1', {style: {margin: 0}, id: 'evaluation-name'}, e.name), statusBadge(status(root)),
      h('span', {class: 'spacer'}),
      h('a', {href: link(project, 'traces', root.trace_id, {call: root.id})}, 'Trace'),
      h('a', {href: link(project, 'evaluations')}, 'All evaluations')),
    h('p', {class: 'muted small', id: 'evaluation-meta'},
      e.label ? `${e.label} · ` : '', `model ${e.model || '?'}`, e.dataset ? ` · dataset ${e.dataset}` : '',
      ` · ${rowCount} rows · started ${fmtTime(root.started_at)}`,
      root.ended_at ? ` · ran ${fmtDuration(duration(root))}` : ' · running',
      e.llm ? ` · ${fmtTokens(e.llm.tokens)} tokens` : '', e.llm?.cost != null ? ` · ${fmtCost(e.llm.cost)}` : ''),
  ];
}

function summaryCards(e) {
  const metrics = summaryMetrics(e.root.output);
  return h('div', {class: 'stats', id: 'summary'},
    metrics.map(m => h('div', {class: 'panel stat', dataset: {metric: m.key}},
      h('div', {class: 'label', title: m.key}, m.key),
      h('div', {class: 'value', title: metricTitle(m)}, fmtMetric(m)),
      m.kind === 'fraction' ? h('div', {class: 'muted small'}, metricTitle(m)) : null)),
    e.latency != null ? h('div', {class: 'panel stat', dataset: {metric: 'model_latency'}},
      h('div', {class: 'label'}, 'model latency (mean)'), h('div', {class: 'value'}, fmtDuration(e.latency))) : null);
}

async function one(el, ctx) {
  const project = ctx.project;
  let data = null;
  const table = h('div', {class: 'panel', style: {overflowX: 'auto'}});
  const p = () => ctx.params;
  const set = changes => {
    ctx.setParams({...p(), ...changes});
    paint();
  };

  const head = h('div');
  let toolbar = null; // built once, so a refresh keeps what is being typed in the filter

  async function draw() {
    data = await load(project, ctx.id);
    if (!data) {
      toolbar = null;
      fill(el, h('div', {class: 'page'}, h('div', {class: 'panel empty', id: 'not-found'},
        h('p', null, `No evaluation ${ctx.id} in ${project}.`),
        h('p', null, h('a', {href: link(project, 'evaluations')}, 'All evaluations')))));
      return;
    }
    fill(head, header(project, data.eval, data.rows.length), summaryCards(data.eval));
    if (!toolbar) {
      const filters = [['', 'all rows'], ['errors', 'rows that failed']];
      for (const s of data.columns.scores.filter(s => s.kind === 'boolean')) {
        filters.push([`false:${s.key}`, `${s.key} false`], [`true:${s.key}`, `${s.key} true`]);
      }
      toolbar = h('div', {class: 'toolbar'},
        h('input', {type: 'search', placeholder: 'Filter rows by input or output', 'aria-label': 'filter rows', size: 34,
          value: p().q || '', oninput: debounce(e => set({q: e.target.value}), 200)}),
        h('select', {'aria-label': 'rows', onchange: e => set({only: e.target.value})},
          filters.map(([v, label]) => h('option', {value: v, selected: v === (p().only || '')}, label))),
        h('span', {class: 'muted small', id: 'row-count'}));
      fill(el, h('div', {class: 'page'}, head, toolbar, table));
    }
    paint();
  }

  function paint() {
    const {rows, columns: cols} = data;
    const q = (p().q || '').toLowerCase();
    const only = p().only || '';
    const shown = rows.filter(r => {
      if (only === 'errors' && !r.error && r.status === 'success') return false;
      if (only.startsWith('false:') && r.scores[only.slice(6)] !== false) return false;
      if (only.startsWith('true:') && r.scores[only.slice(5)] !== true) return false;
      return !q || JSON.stringify([r.inputs, r.output, r.error]).toLowerCase().includes(q);
    });
    const sort = p().sort || 'index:asc'; // a column's key may hold ':' itself (in:bug, score:exactBugType)
    const field = sort.slice(0, sort.lastIndexOf(':')), dir = sort.slice(sort.lastIndexOf(':') + 1);
    shown.sort((a, b) => {
      const va = sortValue(a, field), vb = sortValue(b, field);
      if (va == null || vb == null) return compareValues(va, vb); // missing last either way
      return (dir === 'desc' ? -1 : 1) * compareValues(va, vb) || a.index - b.index;
    });
    el.querySelector('#row-count')?.replaceChildren(`${shown.length} of ${rows.length} rows`);
    const sortHead = (key, label, cls) => {
      const on = field === key;
      return h('th', {class: cls, 'aria-sort': on ? (dir === 'asc' ? 'ascending' : 'descending') : null, dataset: {sort: key}},
        h('button', {class: 'sort', type: 'button', onclick: () => set({sort: `${key}:${on && dir === 'asc' ? 'desc' : 'asc'}`})},
          label, on ? (dir === 'asc' ? ' ▲' : ' ▼') : ''));
    };
    fill(table, rows.length === 0 ? h('div', {class: 'empty'}, 'This evaluation has no rows yet.')
      : h('table', {class: 'grid', id: 'rows'},
        h('thead', null, h('tr', null, sortHead('index', '#', 'num'),
          cols.inputs.map(k => sortHead(`in:${k}`, k)), sortHead('output', 'Output'),
          cols.scores.map(s => sortHead(`score:${s.key}`, s.key)),
          sortHead('latency', 'Latency', 'num'), sortHead('status', 'Status'), h('th', null, ''))),
        h('tbody', null, shown.map(r => {
          const href = link(project, 'traces', r.call.trace_id, {call: r.call.id});
          return h('tr', {class: 'link', dataset: {callId: r.call.id}, onclick: e => {
            if (!e.target.closest('a')) location.hash = href;
          }},
            h('td', {class: 'num'}, String(r.index + 1)),
            cols.inputs.map(k => h('td', {dataset: {input: k}}, cell(r.inputs[k]))),
            h('td', {dataset: {col: 'output'}}, r.error && r.output == null ? h('span', {class: 'error small'}, r.error) : cell(r.output)),
            cols.scores.map(s => h('td', {dataset: {score: s.key}}, cell(r.scores[s.key]))),
            h('td', {class: 'num'}, r.latency != null ? fmtDuration(r.latency) : ''),
            h('td', null, statusBadge(r.status)),
            h('td', null, h('a', {href, class: 'trace-link'}, 'trace')));
        }))));
  }

  await draw();
  // While the evaluation runs, its rows fill in without auto-refresh.
  return {refresh: draw, live: () => Boolean(data && !data.eval.root.ended_at)};
}

/** Which way a score is better: latency-like names lower, anything else higher. */
const lowerIsBetter = key => /latency|time|duration|cost|error|loss/i.test(key);

/** How a row's score moved from the baseline: 1 better, -1 worse, 0 the same or not comparable. */
function movement(key, base, other) {
  if (base == null || other == null || base === other) return 0;
  if (typeof base === 'boolean' && typeof other === 'boolean') return other ? 1 : -1;
  if (typeof base === 'number' && typeof other === 'number') return (other > base ? 1 : -1) * (lowerIsBetter(key) ? -1 : 1);
  return 0;
}

async function comparison(el, ctx, ids) {
  const project = ctx.project;
  const draw = async () => {
    const loaded = await Promise.all(ids.map(id => load(project, id)));
    const evals = loaded.filter(Boolean);
    if (evals.length < 2) {
      fill(el, h('div', {class: 'page'}, h('div', {class: 'panel empty'}, 'Two of these evaluations are needed to compare; ',
        h('a', {href: link(project, 'evaluations')}, 'pick them again'), '.')));
      return;
    }
    const [base] = evals;
    // The summary: each metric of any evaluation, the baseline's value, the others' with their delta.
    const keys = [...new Set(evals.flatMap(d => summaryMetrics(d.eval.root.output).map(m => m.key)))];
    const metricOf = (d, key) => summaryMetrics(d.eval.root.output).find(m => m.key === key);
    const summary = h('table', {class: 'grid', id: 'compare-summary'},
      h('thead', null, h('tr', null, h('th', null, 'Metric'), evals.map((d, i) => h('th', {class: 'num'},
        h('a', {href: link(project, 'evaluations', d.eval.id)}, d.eval.name), h('div', {class: 'muted small'},
          i === 0 ? `baseline · model ${d.eval.model}` : `model ${d.eval.model}`))))),
      h('tbody', null, [...keys, 'model_latency'].map(key => {
        const values = evals.map(d => key === 'model_latency' ? (d.eval.latency != null ? {key, kind: 'ms', value: d.eval.latency} : null)
          : metricOf(d, key));
        if (values.every(v => v == null)) return null;
        return h('tr', {dataset: {metric: key}}, h('td', null, key), values.map((v, i) => {
          const b = values[0];
          const delta = i > 0 && v && b ? v.value - b.value : null;
          const better = delta ? (delta > 0) !== lowerIsBetter(key) : null;
          return h('td', {class: 'num'}, v ? (v.kind === 'ms' ? fmtDuration(v.value) : fmtMetric(v)) : '—',
            delta ? h('div', {class: `delta ${better ? 'up' : 'down'}`, dataset: {delta: String(delta)}},
              v.kind === 'fraction' ? `${delta > 0 ? '+' : ''}${(delta * 100).toFixed(1)} pts`
                : v.kind === 'ms' ? `${delta > 0 ? '+' : '−'}${fmtDuration(Math.abs(delta))}`
                  : `${delta > 0 ? '+' : ''}${fmtNumber(delta)}`) : null);
        }));
      })));

    // The rows, matched by their example; the ones that got worse than the baseline first.
    const scoreKeys = [...new Set(evals.flatMap(d => d.columns.scores.map(s => s.key)))];
    const keyed = evals.map(d => trialKeys(d.rows));
    const byKey = keyed.map(rows => new Map(rows));
    const examples = [...new Set(keyed.flatMap(rows => rows.map(([k]) => k)))];
    const lines = examples.map(k => {
      const rs = byKey.map(m => m.get(k));
      let worse = 0, better = 0;
      for (let i = 1; i < rs.length; i++) {
        for (const s of scoreKeys) {
          const mv = movement(s, rs[0]?.scores[s], rs[i]?.scores[s]);
          if (mv < 0) worse++; else if (mv > 0) better++;
        }
      }
      const first = rs.find(Boolean);
      return {k, rs, worse, better, inputs: first.inputs};
    });
    lines.sort((a, b) => (b.worse > 0) - (a.worse > 0) || b.worse - a.worse || (b.better > 0) - (a.better > 0));
    const inputKeys = [...new Set(evals.flatMap(d => d.columns.inputs))];
    const rowsTable = h('table', {class: 'grid', id: 'compare-rows'},
      h('thead', null, h('tr', null, inputKeys.map(k => h('th', null, k)), h('th', null, 'Change'),
        evals.map(d => h('th', null, d.eval.name, h('div', {class: 'muted small'}, 'output · scores'))))),
      h('tbody', null, lines.map(line => h('tr', {class: line.worse ? 'worse' : line.better ? 'better' : null,
        dataset: {worse: String(line.worse), better: String(line.better)}},
        inputKeys.map(k => h('td', {dataset: {input: k}}, cell(line.inputs[k]))),
        h('td', null, line.worse ? h('span', {class: 'delta down'}, `${line.worse} worse`) : null,
          line.better ? h('span', {class: 'delta up'}, ` ${line.better} better`) : null),
        line.rs.map((r, i) => h('td', {dataset: {evaluation: String(i)}}, r ? [
          h('div', null, h('a', {href: link(project, 'traces', r.call.trace_id, {call: r.call.id})}, cell(r.output))),
          h('div', {class: 'small'}, scoreKeys.filter(s => s in r.scores).map(s => {
            const mv = i > 0 ? movement(s, line.rs[0]?.scores[s], r.scores[s]) : 0;
            return h('span', {class: `chip ${mv < 0 ? 'worse' : mv > 0 ? 'better' : ''}`, dataset: {score: s}},
              `${s} `, typeof r.scores[s] === 'number' ? fmtNumber(r.scores[s]) : String(r.scores[s]));
          }))] : h('span', {class: 'muted'}, '—')))))));

    fill(el, h('div', {class: 'page'},
      h('div', {class: 'row'}, h('h1', null, `Comparing ${evals.length} evaluations`), h('span', {class: 'spacer'}),
        h('a', {href: link(project, 'evaluations')}, 'All evaluations')),
      h('h3', null, 'Summary'), h('div', {class: 'panel', style: {overflowX: 'auto', marginBottom: '16px'}}, summary),
      h('h3', null, 'Rows, those that got worse first'), h('div', {class: 'panel', style: {overflowX: 'auto'}}, rowsTable)));
  };
  await draw();
  return {refresh: draw};
}

/** Rows keyed by their example and, with trials, which time it was run: [[key, row]]. */
function trialKeys(rows) {
  const seen = new Map();
  return rows.map(r => {
    const k = exampleKey(r);
    const n = seen.get(k) || 0;
    seen.set(k, n + 1);
    return [n ? `${k}#${n}` : k, r];
  });
}

/** A row's identity across evaluations: its example's values, whether given by ref or inline. */
function exampleKey(r) {
  const v = r.example;
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    return JSON.stringify(Object.keys(v).sort().map(k => [k, v[k]]));
  }
  return JSON.stringify(v ?? null);
}
