// A project's calls: roots by default, filtered by op, status, feedback and free text, sorted, paged.
// Everything is asked of the server's own /calls/query; nothing is filtered here. A call's tokens
// and cost are its own and its descendants' (its summary sums them), so a root's are its trace's.
import {h, fill, link, opName, callName, status, statusBadge, duration, fmtDuration, fmtTime,
  preview, debounce, parseException} from './dom.js';
import {api} from './api.js';
import {llmTotals, fmtCost, fmtTokens} from './llm.js';

const PAGE = 50;
const SORTS = {started_at: 'started', op_name: 'op', 'summary.weave.latency_ms': 'duration'};
// The feedback filter's choices, as the server's filter takes them (Weave's feedback types).
const FEEDBACK = {
  up: ['👍', {feedback_emojis: ['👍']}],
  down: ['👎', {feedback_emojis: ['👎']}],
  note: ['a note', {feedback_types: ['wandb.note.1']}],
  any: ['any feedback', {feedback_types: ['wandb.reaction.1', 'wandb.note.1']}],
};

export async function render(el, ctx) {
  const project = ctx.project;
  const p = () => ctx.params;
  const set = changes => {
    const next = {...p(), ...changes};
    if (!('page' in changes)) delete next.page; // a new filter starts at the first page
    ctx.setParams(next);
    draw();
  };

  const ops = await api.ops(project).catch(() => []);
  const opSelect = h('select', {'aria-label': 'op', onchange: e => set({op: e.target.value})},
    h('option', {value: ''}, 'all ops'),
    ops.map(o => h('option', {value: o, selected: o === p().op}, o)));
  if (p().op && !ops.includes(p().op)) opSelect.append(h('option', {value: p().op, selected: true}, p().op));
  const statusSelect = h('select', {'aria-label': 'status', onchange: e => set({status: e.target.value})},
    ['', 'success', 'error', 'descendant_error', 'running'].map(s =>
      h('option', {value: s, selected: s === (p().status || '')}, s ? s.replace('_', ' ') : 'any status')));
  const feedbackSelect = h('select', {'aria-label': 'feedback', onchange: e => set({feedback: e.target.value})},
    h('option', {value: ''}, 'with or without feedback'),
    Object.entries(FEEDBACK).map(([k, [label]]) => h('option', {value: k, selected: k === p().feedback}, `with ${label}`)));
  const search = h('input', {type: 'search', placeholder: 'Search op, name, inputs, output', 'aria-label': 'search',
    value: p().q || '', size: 34, oninput: debounce(e => set({q: e.target.value}), 300)});
  const all = h('input', {type: 'checkbox', checked: p().all === '1', onchange: e => set({all: e.target.checked ? '1' : ''})});
  const table = h('div', {class: 'panel', id: 'calls'});
  fill(el, h('div', {class: 'page'},
    h('div', {class: 'toolbar'}, opSelect, statusSelect, feedbackSelect, search,
      h('label', {class: 'toggle'}, all, 'all calls (not only roots)'),
      p().run ? h('span', {class: 'chip'}, `run ${p().run.slice(0, 12)} `,
        h('a', {href: '#', 'aria-label': 'all runs', onclick: e => {
          e.preventDefault();
          e.target.closest('.chip').remove();
          set({run: ''});
        }}, '×')) : null),
    table));

  let generation = 0;
  async function draw() {
    const mine = ++generation;
    const body = request(project, p());
    const page = Number(p().page || 0);
    const [rows, total] = await Promise.all([
      api.calls({...body, limit: PAGE, offset: page * PAGE}),
      api.count(body),
    ]);
    if (mine !== generation) return; // a newer request answered first: keep its result
    fill(table, rows.length === 0
      ? h('div', {class: 'empty'}, total === 0 && !hasFilter(p()) ? 'No calls in this project yet.' : 'No calls match.')
      : [grid(project, rows, p(), set), pager(page, total, set)]);
  }
  await draw();
  return {refresh: draw};
}

function hasFilter(p) {
  return p.op || p.status || p.q || p.run || p.feedback;
}

function request(project, p) {
  const [field, dir] = (p.sort || 'started_at:desc').split(':');
  const body = {
    project_id: project,
    filter: {trace_roots_only: p.all !== '1'},
    include_costs: true,
    sort_by: [{field: SORTS[field] ? field : 'started_at', direction: dir === 'asc' ? 'asc' : 'desc'}],
  };
  if (p.run) body.filter.wb_run_ids = [p.run];
  if (FEEDBACK[p.feedback]) Object.assign(body.filter, FEEDBACK[p.feedback][1]);
  if (p.op) body.filter.op_names = [`weave:///${project}/op/${p.op}:*`, p.op];
  const terms = [];
  if (p.status) terms.push({$eq: [{$getField: 'summary.weave.status'}, {$literal: p.status}]});
  if (p.q) {
    const text = field => ({$contains: {input: field, substr: {$literal: p.q}, case_insensitive: true}});
    const asString = path => ({$convert: {input: {$getField: path}, to: 'string'}});
    terms.push({$or: [text({$getField: 'op_name'}), text({$getField: 'display_name'}),
      text(asString('inputs')), text(asString('output'))]});
  }
  if (terms.length) body.query = {$expr: terms.length === 1 ? terms[0] : {$and: terms}};
  return body;
}

function grid(project, rows, p, set) {
  const [field, dir] = (p.sort || 'started_at:desc').split(':');
  const sortHead = (key, label) => {
    const on = field === key;
    const next = on && dir === 'desc' ? 'asc' : 'desc';
    return h('th', {'aria-sort': on ? (dir === 'asc' ? 'ascending' : 'descending') : null},
      h('button', {class: 'sort', type: 'button', onclick: () => set({sort: `${key}:${next}`})},
        label, on ? (dir === 'asc' ? ' ▲' : ' ▼') : ''));
  };
  return h('table', {class: 'grid'},
    h('thead', null, h('tr', null,
      sortHead('op_name', 'Op'), h('th', null, 'Name'), h('th', null, 'Status'),
      sortHead('started_at', 'Started'), sortHead('summary.weave.latency_ms', 'Duration'),
      h('th', {class: 'num', title: 'LLM tokens of the call and the calls under it'}, 'Tokens'),
      h('th', {class: 'num', title: 'LLM cost of the call and the calls under it'}, 'Cost'),
      h('th', null, 'Inputs'), h('th', null, 'Output'))),
    h('tbody', null, rows.map(c => {
      const href = link(project, 'traces', c.trace_id, {call: c.id});
      const llm = llmTotals(c.summary);
      return h('tr', {class: 'link', dataset: {callId: c.id}, onclick: e => {
        if (e.target.closest('a')) return;
        location.hash = href;
      }},
        h('td', null, h('a', {href}, opName(c.op_name))),
        h('td', null, callName(c)),
        h('td', null, statusBadge(status(c))),
        h('td', {title: c.started_at}, fmtTime(c.started_at)),
        h('td', {class: 'num'}, c.ended_at ? fmtDuration(duration(c)) : '…'),
        h('td', {class: 'num', dataset: {col: 'tokens'}}, llm ? fmtTokens(llm.tokens) : ''),
        h('td', {class: 'num', dataset: {col: 'cost'}, title: llm?.unpriced ? 'some tokens are of a model with no price' : null},
          llm ? (llm.cost == null ? '—' : fmtCost(llm.cost) + (llm.unpriced ? '+' : '')) : ''),
        h('td', null, h('div', {class: 'preview', title: preview(c.inputs, 2000)}, preview(c.inputs))),
        h('td', null, h('div', {class: 'preview', title: preview(c.output, 2000)},
          c.exception ? exceptionLine(c.exception) : preview(c.output))));
    })));
}

function exceptionLine(raw) {
  const e = parseException(raw);
  return `${e.type}: ${e.message}`;
}

function pager(page, total, set) {
  const first = page * PAGE + 1;
  const last = Math.min(total, (page + 1) * PAGE);
  return h('div', {class: 'pager'},
    h('span', {class: 'muted small', id: 'range'}, `${first.toLocaleString()}–${last.toLocaleString()} of ${total.toLocaleString()}`),
    h('button', {type: 'button', disabled: page === 0, onclick: () => set({page: page - 1 || ''})}, '‹ Previous'),
    h('button', {type: 'button', disabled: last >= total, onclick: () => set({page: page + 1})}, 'Next ›'));
}
