// A project's runs and metrics: the latest run at a glance, metrics across runs and within one,
// a categorical breakdown, the run's tables, all runs, and two runs side by side. A run's LLM
// tokens and cost, by model, are the server's summary.llm (summed over the run's traces).
import {h, fill, link, statusBadge, fmtDuration, fmtTime, fmtNumber, millis} from './dom.js';
import {api} from './api.js';
import {fmtCost, fmtTokens} from './llm.js';
import {runArtifacts} from './artifacts.js';

const COLORS = ['#3b5bdb', '#0ca678', '#f08c00', '#e03131', '#7048e8', '#1098ad', '#d6336c', '#5c940d',
  '#495057', '#fab005'];
// Which way a metric is better is the server's rule (/runs/compare), the one `compare` gates CI by.

export async function render(el, ctx) {
  const project = ctx.project;
  let charts = [];
  let generation = 0;

  async function draw() {
    const mine = ++generation;
    const runs = await api.runs(project);
    if (mine !== generation) return; // a newer draw is under way
    if (runs.length === 0) {
      charts.forEach(c => c.destroy());
      charts = [];
      fill(el, h('div', {class: 'page'}, h('div', {class: 'panel empty'},
        h('p', null, 'No runs in this project yet.'),
        h('p', null, 'Every app started with the agent is a run; metrics come from ',
          h('code', null, 'Weft.log(Map.of("pass_rate", 0.75))'), '.'))));
      return;
    }
    markSameNames(runs);
    const p = ctx.params;
    const byId = new Map(runs.map(r => [r.id, r]));
    const run = byId.get(p.run) || runs[0];
    const [a, b] = comparePair(runs, byId, p);
    const none = Promise.resolve(new Map());
    const [history, tables, aToB, vsPrevious] = await Promise.all([api.history(project, run.id), api.tables(project, run.id),
      a !== b ? api.compareRuns(project, a.id, b.id) : none,
      runs.length > 1 ? api.compareRuns(project, runs[1].id, runs[0].id) : none]);
    if (mine !== generation) return;
    charts.forEach(c => c.destroy());
    charts = [];
    const metrics = metricNames(runs);
    const chrono = [...runs].reverse();
    // A run that never logged a metric (an evaluation's, say) is no point on that metric's charts.
    const logged = m => chrono.filter(r => r.latest_metrics?.[m] != null);
    const set = changes => {
      ctx.setParams({...ctx.params, ...changes});
      draw();
    };
    const pick = (key, options, fallback, label) => {
      const value = options.includes(p[key]) ? p[key] : fallback;
      return [value, h('select', {'aria-label': label, onchange: e => set({[key]: e.target.value})},
        options.map(o => h('option', {value: o, selected: o === value}, o)))];
    };

    const headline = metrics.find(m => /pass|accuracy|score|success/.test(m)) || metrics[0];
    const [across, acrossSelect] = pick('metric', metrics, headline, 'metric across runs');
    const stepped = [...new Set(history.map(pt => pt.name))];
    const [within, withinSelect] = pick('step_metric', stepped, stepped.includes(across) ? across : stepped[0],
      'metric within the run');
    const [barMetric, barSelect] = pick('bar', metrics, metrics.find(m => /fix_time|time/.test(m)) || metrics[0], 'metric per run');
    const breakdowns = categorical(run, tables);
    const names = breakdowns.map(b => b.name);
    const [pie, pieSelect] = pick('pie', names, names.find(n => /type|kind|categor/i.test(n)) || names[0], 'breakdown');
    const models = llmModels(runs);
    const [llmMeasure, llmSelect] = pick('llm', ['cost', 'tokens'], 'cost', 'LLM cost or tokens');
    const runSelect = h('select', {'aria-label': 'run', onchange: e => set({run: e.target.value})},
      runs.map(r => h('option', {value: r.id, selected: r.id === run.id}, label(r))));

    const charted = [];
    const chartPanel = (name, title, controls, config) => {
      const canvas = h('canvas', {dataset: {chart: name}, role: 'img', 'aria-label': title});
      charted.push([canvas, config]);
      return h('div', {class: 'panel chart'}, h('div', {class: 'head'}, h('h3', null, title), h('div', {class: 'row'}, controls)),
        h('div', {class: 'canvas'}, config ? canvas : h('p', {class: 'muted'}, 'Nothing logged yet.')));
    };

    fill(el, h('div', {class: 'page'},
      h('div', {class: 'row', style: {marginBottom: '12px'}}, h('h1', {style: {margin: 0}}, 'Dashboard'),
        h('span', {class: 'muted'}, `${runs.length} runs`)),
      stats(runs, vsPrevious),
      h('div', {class: 'charts'},
        chartPanel('across-runs', 'Across runs', acrossSelect, across && lineConfig(logged(across).map(label),
          [{label: across, data: logged(across).map(r => r.latest_metrics[across])}])),
        chartPanel('within-run', 'Within a run, by step', [runSelect, withinSelect], within && lineConfig(
          history.filter(pt => pt.name === within).map(pt => pt.step),
          [{label: within, data: history.filter(pt => pt.name === within).map(pt => pt.value)}])),
        chartPanel('per-run', 'Per run', barSelect, barMetric && barConfig(logged(barMetric).map(label),
          logged(barMetric).map(r => r.latest_metrics[barMetric]), barMetric)),
        chartPanel('breakdown', `Breakdown · ${label(run)}`, pieSelect, pie && pieConfig(breakdowns.find(b => b.name === pie))),
        models.length ? chartPanel('llm', 'LLM usage by model, across runs', llmSelect,
          llmConfig(chrono, models, llmMeasure)) : null),
      tables.filter(t => !names.includes(t.name)).map(t => runTable(t, run)),
      runArtifacts(project, run.id, label(run)),
      runsTable(project, runs, metrics, p, set),
      compare(a, b, aToB)));
    for (const [canvas, config] of charted) if (config) charts.push(new Chart(canvas, config));
  }

  await draw();
  return {refresh: draw, dispose: () => charts.forEach(c => c.destroy())};
}

/** A run's name, with its id where another run of the project has the same name. */
function label(run) {
  const name = run.name || run.id.slice(0, 8);
  return run.$sameName ? `${name} (${run.id.slice(0, 6)})` : name;
}

function markSameNames(runs) {
  const count = new Map();
  for (const r of runs) count.set(r.name, (count.get(r.name) || 0) + 1);
  for (const r of runs) r.$sameName = !!r.name && count.get(r.name) > 1;
}

/** The models any run called, most used first. */
function llmModels(runs) {
  const tokens = new Map();
  for (const r of runs) {
    for (const [m, u] of Object.entries(r.summary?.llm?.models || {})) tokens.set(m, (tokens.get(m) || 0) + u.total_tokens);
  }
  return [...tokens.keys()].sort((a, b) => tokens.get(b) - tokens.get(a));
}

/** A bar per run, stacked by model: each model's cost (USD) or tokens. */
function llmConfig(runs, models, measure) {
  const value = (r, m) => {
    const u = r.summary?.llm?.models?.[m];
    return u ? (measure === 'cost' ? u.cost : u.total_tokens) : null;
  };
  return {type: 'bar', data: {labels: runs.map(label), datasets: models.map((m, i) => ({label: m, data: runs.map(r => value(r, m)),
    backgroundColor: COLORS[i % COLORS.length]}))},
  options: {...BASE, scales: {x: {stacked: true}, y: {stacked: true, title: {display: true, text: measure === 'cost' ? 'USD' : 'tokens'}}},
    plugins: {legend: {display: true, position: 'bottom'}}}};
}

function metricNames(runs) {
  const seen = new Set();
  for (const r of runs) for (const m of Object.keys(r.latest_metrics || {})) seen.add(m);
  return [...seen];
}

function runMillis(run) {
  return run.ended_at ? millis(run.ended_at) - millis(run.started_at) : NaN;
}

/** B − A, coloured by whether it is better; {@code lowerIsBetter} as the server says. */
function delta(now, before, lowerIsBetter) {
  if (typeof now !== 'number' || typeof before !== 'number') return null;
  const d = now - before;
  const better = d === 0 ? null : (d > 0) !== lowerIsBetter;
  const pct = before !== 0 ? ` (${d > 0 ? '+' : ''}${((d / Math.abs(before)) * 100).toFixed(0)}%)` : '';
  return h('span', {class: `delta ${better === null ? '' : better ? 'up' : 'down'}`},
    `${d > 0 ? '▲ +' : d < 0 ? '▼ ' : ''}${fmtNumber(d)}${pct}`);
}

/** A metric's delta from a row of /runs/compare. */
function rowDelta(row) {
  return row ? delta(row.candidate, row.baseline, row.better === 'lower') : null;
}

function stats(runs, vsPrevious) {
  const [latest, previous] = runs;
  const cards = [h('div', {class: 'panel stat', dataset: {stat: 'run'}},
    h('div', {class: 'label'}, 'Latest run'),
    h('div', {class: 'value', style: {fontSize: '18px'}}, label(latest)),
    h('div', {class: 'row small'}, statusBadge(latest.state), h('span', {class: 'muted'}, fmtDuration(runMillis(latest)))))];
  const llm = latest.summary?.llm;
  if (llm) {
    const before = previous?.summary?.llm;
    cards.push(h('div', {class: 'panel stat', dataset: {stat: 'llm_tokens'}},
      h('div', {class: 'label'}, 'LLM tokens'),
      h('div', {class: 'value'}, fmtTokens(llm.total_tokens)),
      h('div', {class: 'small muted'}, Object.keys(llm.models).join(', '))));
    cards.push(h('div', {class: 'panel stat', dataset: {stat: 'llm_cost'}},
      h('div', {class: 'label'}, 'LLM cost'),
      h('div', {class: 'value'}, llm.cost == null ? '—' : fmtCost(llm.cost)),
      h('div', {class: 'small muted'}, before?.cost != null && llm.cost != null ? [delta(llm.cost, before.cost, true), ' vs previous']
        : llm.cost == null ? 'no price for its models' : '')));
  }
  for (const [m, v] of Object.entries(latest.latest_metrics || {})) {
    const d = previous ? rowDelta(vsPrevious.get(m)) : null;
    cards.push(h('div', {class: 'panel stat', dataset: {stat: m}},
      h('div', {class: 'label', title: m}, m),
      h('div', {class: 'value'}, fmtNumber(v)),
      h('div', {class: 'small muted'}, d ? [d, ' vs previous'] : 'first run')));
  }
  return h('div', {class: 'stats'}, cards);
}

/** Categorical breakdowns of a run: summary values that map names to numbers, and two-column tables of name and number. */
function categorical(run, tables) {
  const out = [];
  for (const [k, v] of Object.entries(run.summary || {})) {
    if (k === 'weft' || k === 'llm') continue; // the agent's own counters and the LLM usage, shown on their own
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).length
        && Object.values(v).every(x => typeof x === 'number')) {
      out.push({name: k, labels: Object.keys(v), values: Object.values(v)});
    }
  }
  for (const t of tables) {
    if (t.columns.length === 2 && t.rows.length && t.rows.every(r => typeof r[1] === 'number')) {
      out.push({name: t.name, labels: t.rows.map(r => String(r[0])), values: t.rows.map(r => r[1])});
    }
  }
  return out;
}

const BASE = {responsive: true, maintainAspectRatio: false, animation: false};

function lineConfig(labels, series) {
  if (!labels.length) return null;
  return {type: 'line', data: {labels, datasets: series.map((s, i) => ({...s, borderColor: COLORS[i], backgroundColor: COLORS[i],
    tension: 0.25, spanGaps: true, pointRadius: 3}))},
  options: {...BASE, plugins: {legend: {display: series.length > 1}}}};
}

function barConfig(labels, data, metric) {
  return {type: 'bar', data: {labels, datasets: [{label: metric, data, backgroundColor: COLORS[1], borderRadius: 4}]},
    options: {...BASE, plugins: {legend: {display: false}}}};
}

function pieConfig(b) {
  if (!b) return null;
  return {type: 'doughnut', data: {labels: b.labels, datasets: [{data: b.values, backgroundColor: b.labels.map((_, i) => COLORS[i % COLORS.length])}]},
    options: {...BASE, plugins: {legend: {position: 'right'}}}};
}

function runTable(t, run) {
  return h('div', {class: 'panel', style: {marginBottom: '16px'}, dataset: {table: t.name}},
    h('div', {class: 'pad', style: {padding: '12px 14px 4px'}}, h('h3', null, `${t.name} · ${label(run)}`)),
    h('table', {class: 'grid'},
      h('thead', null, h('tr', null, t.columns.map(c => h('th', null, c)))),
      h('tbody', null, t.rows.slice(-100).reverse().map(r => h('tr', null, r.map(v =>
        h('td', {class: typeof v === 'number' ? 'num' : null}, typeof v === 'object' && v !== null ? JSON.stringify(v) : fmtNumber(v))))))));
}

function runsTable(project, runs, metrics, p, set) {
  const [a, b] = comparePair(runs, new Map(runs.map(r => [r.id, r])), p);
  const shown = metrics.slice(0, 8);
  const radio = (key, run, on) => h('input', {type: 'radio', name: key, 'aria-label': `compare ${key.toUpperCase()}`,
    checked: on, onchange: () => set({[key]: run.id})});
  return h('div', {class: 'panel', style: {marginBottom: '16px', overflowX: 'auto'}},
    h('div', {style: {padding: '12px 14px 4px'}}, h('h3', null, 'Runs')),
    h('table', {class: 'grid', id: 'runs'},
      h('thead', null, h('tr', null, h('th', {title: 'compare'}, 'A'), h('th', null, 'B'), h('th', null, 'Run'),
        h('th', null, 'State'), h('th', null, 'Started'), h('th', null, 'Duration'), h('th', null, 'Tags'),
        h('th', null, 'Git'), h('th', null, 'Config'), h('th', {class: 'num'}, 'LLM tokens'), h('th', {class: 'num'}, 'LLM cost'),
        shown.map(m => h('th', {class: 'num'}, m)))),
      h('tbody', null, runs.map(r => h('tr', {dataset: {runId: r.id}},
        h('td', null, radio('a', r, r === a)), h('td', null, radio('b', r, r === b)),
        h('td', null, h('a', {href: link(project, 'calls', null, {run: r.id}), title: `calls of run ${r.id}`}, label(r)),
          r.group ? h('div', {class: 'muted small'}, r.group) : null),
        h('td', null, statusBadge(r.state), losses(r)),
        h('td', {title: r.started_at}, fmtTime(r.started_at)),
        h('td', {class: 'num'}, fmtDuration(runMillis(r))),
        h('td', null, (r.tags || []).map(t => h('span', {class: 'chip'}, t))),
        h('td', {class: 'mono small'}, git(r)),
        h('td', {class: 'small'}, Object.entries(r.config || {}).slice(0, 6).map(([k, v]) =>
          h('div', null, `${k}=${typeof v === 'object' ? JSON.stringify(v) : v}`))),
        h('td', {class: 'num', dataset: {col: 'tokens'}}, fmtTokens(r.summary?.llm?.total_tokens)),
        h('td', {class: 'num', dataset: {col: 'cost'}, title: llmTitle(r)}, r.summary?.llm ? (r.summary.llm.cost == null ? '—' : fmtCost(r.summary.llm.cost)) : ''),
        shown.map(m => h('td', {class: 'num'}, fmtNumber(r.latest_metrics?.[m]))))))));
}

/** Each model's tokens and cost, for the cost cell's tooltip. */
function llmTitle(run) {
  const models = run.summary?.llm?.models;
  if (!models) return null;
  return Object.entries(models).map(([m, u]) => `${m}: ${fmtTokens(u.total_tokens)} tokens, ${u.cost == null ? 'no price' : fmtCost(u.cost)}`).join('\n');
}

/** What the agent could not export for this run (dropped, failed): it says so, here too. */
function losses(run) {
  const w = run.summary?.weft || {};
  const parts = [['dropped_calls', 'calls dropped'], ['dropped_metric_points', 'metric points dropped'],
    ['internal_failures', 'agent failures']].filter(([k]) => w[k] > 0).map(([k, what]) => `${w[k]} ${what}`);
  return parts.length ? h('div', {class: 'small error', dataset: {losses: ''}}, parts.join(', ')) : null;
}

function git(run) {
  const g = run.environment?.git;
  if (!g) return '';
  return [g.commit ? String(g.commit).slice(0, 8) : '', g.branch ? ` ${g.branch}` : '', g.dirty ? ' (dirty)' : ''].join('');
}

function comparePair(runs, byId, p) {
  const b = byId.get(p.b) || runs[0];
  const a = byId.get(p.a) || runs.find(r => r !== b) || b;
  return [a, b];
}

function compare(a, b, aToB) {
  const rows = [];
  for (const [m, row] of aToB) {
    if (row.baseline == null && row.candidate == null) continue;
    rows.push(h('tr', {dataset: {metric: m, verdict: row.verdict}}, h('td', null, m), h('td', {class: 'num'}, fmtNumber(row.baseline)),
      h('td', {class: 'num'}, fmtNumber(row.candidate)), h('td', {class: 'num'}, rowDelta(row))));
  }
  const keys = [...new Set([...Object.keys(a.config || {}), ...Object.keys(b.config || {})])];
  for (const k of keys) {
    const va = JSON.stringify(a.config?.[k] ?? null);
    const vb = JSON.stringify(b.config?.[k] ?? null);
    rows.push(h('tr', {class: va !== vb ? 'changed' : null}, h('td', null, `config.${k}`), h('td', null, va), h('td', null, vb), h('td')));
  }
  if (a.summary?.llm || b.summary?.llm) {
    const la = a.summary?.llm || {};
    const lb = b.summary?.llm || {};
    rows.push(h('tr', {dataset: {metric: 'llm_tokens'}}, h('td', null, 'LLM tokens'), h('td', {class: 'num'}, fmtTokens(la.total_tokens)),
      h('td', {class: 'num'}, fmtTokens(lb.total_tokens)), h('td', {class: 'num'}, delta(lb.total_tokens, la.total_tokens, true))));
    rows.push(h('tr', {dataset: {metric: 'llm_cost'}}, h('td', null, 'LLM cost'), h('td', {class: 'num'}, fmtCost(la.cost)),
      h('td', {class: 'num'}, fmtCost(lb.cost)), h('td', {class: 'num'}, delta(lb.cost, la.cost, true))));
  }
  rows.push(h('tr', null, h('td', null, 'git'), h('td', {class: 'mono'}, git(a)), h('td', {class: 'mono'}, git(b)), h('td')));
  rows.push(h('tr', null, h('td', null, 'duration'), h('td', {class: 'num'}, fmtDuration(runMillis(a))),
    h('td', {class: 'num'}, fmtDuration(runMillis(b))), h('td')));
  return h('div', {class: 'panel', id: 'compare'},
    h('div', {style: {padding: '12px 14px 4px'}}, h('h3', null, `Compare · A ${label(a)} → B ${label(b)}`)),
    h('table', {class: 'grid'},
      h('thead', null, h('tr', null, h('th', null, ''), h('th', {class: 'num'}, `A · ${label(a)}`),
        h('th', {class: 'num'}, `B · ${label(b)}`), h('th', {class: 'num'}, 'B − A'))),
      h('tbody', null, rows)));
}
