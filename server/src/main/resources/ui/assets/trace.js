// One trace: its call tree with a waterfall on a shared time axis, and the selected call's detail.
// The tree is virtualised (only the rows in view exist), so a 10,000-call trace scrolls freely.
import {h, fill, link, opName, callName, status, statusBadge, duration, fmtDuration, fmtTime, millis,
  parseException} from './dom.js';
import {api} from './api.js';
import {jsonView} from './json-view.js';
import {conversation, llmTotals, modelCost, fmtCost, fmtTokens} from './llm.js';
import {feedbackPanel} from './feedback.js';

const ROW = 28;          // px, as --row in weft.css
const OVERSCAN = 12;     // rows drawn beyond the viewport
const MAX_CALLS = 50000; // a trace larger than this shows its first calls and says so
const MAX_INDENT = 30;   // deeper levels share one indent and show their depth instead
// What the tree needs of each call; the selected call is read whole. Inputs give the one-line
// hint beside each name, for traces small enough that bringing them all stays cheap.
const SKELETON = ['id', 'parent_id', 'trace_id', 'op_name', 'display_name', 'started_at', 'ended_at',
  'exception', 'summary'];
const HINTS_UP_TO = 5000; // calls
const compact = new Intl.NumberFormat('en', {notation: 'compact', maximumFractionDigits: 1});

export async function render(el, ctx) {
  const project = ctx.project;
  const traceId = ctx.id;
  const collapsed = new Set();
  let selected = ctx.params.call || null;
  let tree = null;     // {byId, kids, roots, t0, t1, truncated, running}
  let visible = [];    // [{c, depth}] in display order
  let detailGen = 0;

  const title = h('div');
  const ticks = h('div', {class: 'ticks'});
  const rows = h('div', {class: 'rows', role: 'tree', 'aria-label': 'calls of this trace'});
  const scroller = h('div', {class: 'tree', tabindex: 0, onscroll: () => requestAnimationFrame(paint), onkeydown: keys}, rows);
  const detail = h('aside', {class: 'detail', 'aria-label': 'call detail'});
  const axis = h('div', {class: 'axis'}, h('div', {style: {paddingLeft: '10px'}}, 'Call'), ticks);
  fill(el, h('div', {class: 'trace'},
    h('section', {class: 'trace-main'}, h('div', {class: 'trace-head'}, title), axis, scroller),
    detail));

  async function load() {
    const query = {project_id: project, filter: {trace_ids: [traceId]}};
    const size = await api.count(query);
    const calls = await api.calls({...query, sort_by: [{field: 'started_at', direction: 'asc'}], include_costs: true,
      columns: size <= HINTS_UP_TO ? [...SKELETON, 'inputs'] : SKELETON, limit: MAX_CALLS + 1});
    const first = tree === null;
    tree = build(calls.slice(0, MAX_CALLS), calls.length > MAX_CALLS);
    if (!selected || !tree.byId.has(selected)) selected = tree.roots[0]?.id ?? null;
    if (first) reveal(selected); // a refresh keeps what the user collapsed, and where they scrolled
    layout();
    head();
    if (first) scrollTo(selected);
    paint();
    alignAxis();
    await showDetail();
  }

  function build(calls, truncated) {
    const byId = new Map();
    const kids = new Map();
    for (const c of calls) byId.set(c.id, c);
    const roots = [];
    let t0 = Infinity;
    let t1 = -Infinity;
    let running = 0;
    const now = Date.now();
    for (const c of calls) {
      c.$status = status(c);
      c.$tokens = llmTotals(c.summary)?.tokens;
      c.$start = millis(c.started_at);
      c.$end = c.ended_at ? millis(c.ended_at) : now;
      if (!c.ended_at) running++;
      t0 = Math.min(t0, c.$start);
      t1 = Math.max(t1, c.$end);
      // A call whose parent is not (yet) here shows at the top level rather than not at all.
      if (c.parent_id && byId.has(c.parent_id)) {
        if (!kids.has(c.parent_id)) kids.set(c.parent_id, []);
        kids.get(c.parent_id).push(c);
      } else {
        roots.push(c);
      }
    }
    // A call that succeeded over a failed descendant shows so, as Weave shows it, whatever the
    // writer put in its summary: children before parents, in reverse depth-first order.
    const order = [];
    const stack = [...roots];
    while (stack.length) {
      const c = stack.pop();
      order.push(c);
      for (const k of kids.get(c.id) || []) stack.push(k);
    }
    for (let i = order.length - 1; i >= 0; i--) {
      const c = order[i];
      const parent = c.parent_id && byId.get(c.parent_id);
      if (parent && /error/.test(c.$status) && parent.$status === 'success') parent.$status = 'descendant_error';
    }
    return {byId, kids, roots, t0, t1: Math.max(t1, t0 + 1), truncated, running, count: calls.length};
  }

  // The rows in display order, walking the tree without recursion (traces can be 10,000 deep).
  function layout() {
    visible = [];
    const stack = [...tree.roots].reverse().map(c => [c, 0]);
    while (stack.length) {
      const [c, depth] = stack.pop();
      visible.push({c, depth});
      const kids = tree.kids.get(c.id);
      if (kids && !collapsed.has(c.id)) for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i], depth + 1]);
    }
    rows.style.height = `${visible.length * ROW}px`;
  }

  function head() {
    const root = tree.roots[0];
    if (!root) {
      fill(title, h('h1', null, 'Trace not found'), h('p', {class: 'muted'}, `No calls with trace id ${traceId} in ${project}.`));
      fill(ticks);
      return;
    }
    const errors = [...tree.byId.values()].filter(c => c.$status === 'error').length;
    const llm = llmTotals(root.summary);
    fill(title,
      h('div', {class: 'row'},
        h('h1', {style: {margin: 0}}, callName(root)), statusBadge(root.$status),
        h('span', {class: 'spacer'}),
        opName(root.op_name) === 'Evaluation.evaluate'
          ? h('a', {href: link(project, 'evaluations', root.id), id: 'as-evaluation'}, 'Evaluation view') : null,
        h('button', {type: 'button', onclick: () => { collapsed.clear(); relayout(); }}, 'Expand all'),
        h('button', {type: 'button', onclick: () => {
          for (const id of tree.kids.keys()) collapsed.add(id);
          relayout();
        }}, 'Collapse all')),
      h('div', {class: 'muted small'},
        `${tree.count.toLocaleString()} calls · ${fmtDuration(tree.t1 - tree.t0)} · started ${fmtTime(root.started_at)}`,
        errors ? ` · ${errors} failed` : '', tree.running ? ` · ${tree.running} running` : '',
        llm ? h('span', {dataset: {traceLlm: ''}}, ` · ${fmtTokens(llm.tokens)} tokens`,
          llm.cost != null ? ` · ${fmtCost(llm.cost)}${llm.unpriced ? '+' : ''}` : '') : '',
        tree.truncated ? ` · showing the first ${MAX_CALLS.toLocaleString()} calls` : ''));
    const span = tree.t1 - tree.t0;
    fill(ticks, [0, 0.25, 0.5, 0.75, 1].map(f => h('span', {style: {left: `${f * 100}%`}}, f ? fmtDuration(span * f) : '0')));
  }

  function relayout() {
    layout();
    paint();
    alignAxis();
  }

  // The axis lines up with the rows, whose lane is narrower by the tree's scrollbar.
  function alignAxis() {
    axis.style.paddingRight = `${scroller.offsetWidth - scroller.clientWidth}px`;
  }

  function paint() {
    if (!tree) return;
    const top = scroller.scrollTop;
    const from = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
    const to = Math.min(visible.length, Math.ceil((top + scroller.clientHeight) / ROW) + OVERSCAN);
    const span = tree.t1 - tree.t0;
    const out = [];
    for (let i = from; i < to; i++) out.push(row(visible[i], i, span));
    fill(rows, out);
  }

  function row({c, depth}, i, span) {
    const kids = tree.kids.get(c.id);
    const open = kids && !collapsed.has(c.id);
    const left = ((c.$start - tree.t0) / span) * 100;
    const width = ((c.$end - c.$start) / span) * 100;
    const ms = c.$end - c.$start;
    return h('div', {
      class: 'node' + (c.id === selected ? ' sel' : ''), role: 'treeitem', 'aria-level': depth + 1,
      'aria-expanded': kids ? String(open) : null, 'aria-selected': String(c.id === selected),
      dataset: {callId: c.id, depth: String(depth), status: c.$status}, style: {top: `${i * ROW}px`},
      onclick: () => select(c.id),
    },
      h('div', {class: 'name', style: {paddingLeft: `${6 + Math.min(depth, MAX_INDENT) * 14}px`}},
        kids
          ? h('button', {class: 'caret', type: 'button', 'aria-label': open ? 'collapse' : 'expand',
              onclick: e => { e.stopPropagation(); toggle(c.id); }}, open ? '▾' : '▸')
          : h('span', {class: 'caret'}),
        depth > MAX_INDENT ? h('span', {class: 'depth'}, `L${depth}`) : null,
        h('span', {class: `status ${c.$status}`, title: c.$status}),
        h('span', {class: 'op', title: c.op_name}, callName(c)),
        kids ? h('span', {class: 'muted small'}, `(${kids.length})`) : null,
        h('span', {class: 'hint'}, hint(c.inputs)),
        c.$tokens ? h('span', {class: 'tok', title: `${fmtTokens(c.$tokens)} LLM tokens, of this call and those under it`},
          `${compact.format(c.$tokens)} tok`) : null,
        h('span', {class: 'dur'}, c.ended_at ? fmtDuration(ms) : 'running')),
      h('div', {class: 'lane'}, h('div', {class: `bar ${c.$status}`,
        style: {left: `${left}%`, width: `${Math.max(width, 0.15)}%`},
        title: `${callName(c)}: ${c.ended_at ? fmtDuration(ms) : 'running'}`})));
  }

  function toggle(id) {
    if (collapsed.has(id)) collapsed.delete(id); else collapsed.add(id);
    relayout();
  }

  function reveal(id) {
    for (let c = tree.byId.get(id); c && c.parent_id; c = tree.byId.get(c.parent_id)) collapsed.delete(c.parent_id);
  }

  function select(id, scroll) {
    if (!tree.byId.has(id)) return;
    selected = id;
    ctx.setParams({...ctx.params, call: id});
    reveal(id);
    layout();
    if (scroll) scrollTo(id);
    paint();
    showDetail();
  }

  /** Scrolls the least needed to show a call's row. */
  function scrollTo(id) {
    const i = visible.findIndex(v => v.c.id === id);
    if (i < 0) return;
    if (i * ROW < scroller.scrollTop) scroller.scrollTop = i * ROW;
    else if ((i + 1) * ROW > scroller.scrollTop + scroller.clientHeight) scroller.scrollTop = (i + 1) * ROW - scroller.clientHeight;
  }

  function keys(e) {
    const i = visible.findIndex(v => v.c.id === selected);
    if (i < 0) return;
    const c = visible[i].c;
    let next = null;
    if (e.key === 'ArrowDown') next = visible[Math.min(visible.length - 1, i + 1)].c.id;
    else if (e.key === 'ArrowUp') next = visible[Math.max(0, i - 1)].c.id;
    else if (e.key === 'ArrowRight' && tree.kids.has(c.id) && collapsed.has(c.id)) toggle(c.id);
    else if (e.key === 'ArrowLeft' && tree.kids.has(c.id) && !collapsed.has(c.id)) toggle(c.id);
    else if (e.key === 'ArrowLeft' && c.parent_id && tree.byId.has(c.parent_id)) next = c.parent_id;
    else return;
    e.preventDefault();
    if (next) select(next, true);
  }

  async function showDetail() {
    const mine = ++detailGen;
    if (!selected) {
      fill(detail, h('p', {class: 'muted'}, 'Select a call.'));
      return;
    }
    const call = await api.call(project, selected);
    if (mine !== detailGen) return; // another call was selected meanwhile
    if (!call) {
      fill(detail, h('p', {class: 'muted'}, 'This call is gone.'));
      return;
    }
    const s = status(call);
    const href = new URL(link(project, 'traces', traceId, {call: call.id}), location.href).href;
    const parent = call.parent_id && tree.byId.get(call.parent_id);
    const exception = parseException(call.exception);
    const llm = llmTotals(call.summary);
    const talk = conversation(call); // an LLM call reads as a conversation; its JSON stays below, closed
    fill(detail,
      h('h2', null, callName(call)),
      h('div', {class: 'row'}, statusBadge(s),
        h('button', {type: 'button', title: href, onclick: e => copy(e.target, href)}, 'Copy link')),
      h('dl', {class: 'meta'},
        h('dt', null, 'op'), h('dd', {title: call.op_name}, opName(call.op_name)),
        h('dt', null, 'call'), h('dd', {class: 'mono'}, call.id),
        h('dt', null, 'trace'), h('dd', {class: 'mono'}, call.trace_id),
        parent ? [h('dt', null, 'parent'), h('dd', null,
          h('a', {href: link(project, 'traces', traceId, {call: parent.id}),
            onclick: e => { e.preventDefault(); select(parent.id, true); }}, callName(parent)))] : null,
        h('dt', null, 'started'), h('dd', {title: call.started_at}, fmtTime(call.started_at)),
        h('dt', null, 'duration'), h('dd', null, call.ended_at ? fmtDuration(duration(call)) : `running for ${fmtDuration(duration(call))}`),
        llm ? [h('dt', null, 'tokens'), h('dd', {dataset: {llm: 'tokens'}}, fmtTokens(llm.tokens)),
          h('dt', null, 'cost'), h('dd', {dataset: {llm: 'cost'}}, llm.cost == null ? 'no price for this model'
            : fmtCost(llm.cost) + (llm.unpriced ? ' and tokens of a model with no price' : ''))] : null),
      exception ? section('Exception', h('div', {class: 'exception'},
        h('div', {class: 'msg'}, `${exception.type}: ${exception.message}`),
        exception.traceback.length ? h('ol', null, exception.traceback.map(f =>
          h('li', null, `${f.function_name ?? '?'} (${f.filename ?? '?'}:${f.line_number ?? '?'})`))) : null)) : null,
      section('Feedback', feedbackPanel(project, call.id)),
      talk ? section('Conversation', talk) : null,
      llm ? section('Usage', usageTable(call.summary)) : null,
      section('Inputs', jsonView(call.inputs ?? {}), !talk),
      section('Output', call.ended_at ? jsonView(call.output) : h('span', {class: 'muted'}, 'still running'), !talk),
      section('Attributes', jsonView(call.attributes ?? {}, 1)),
      section('Summary', jsonView(call.summary ?? {}, 2)));
  }

  function section(name, body, open = true) {
    return h('details', {class: 'section', open, dataset: {section: name.toLowerCase()}}, h('summary', null, name), body);
  }

  await load();
  return {
    refresh: load,
    // While calls run, the view polls even without auto-refresh, so they fill in as they finish.
    live: () => tree && tree.running > 0,
  };
}

/** Tokens and cost by model, of the call and the calls under it. */
function usageTable(summary) {
  const costs = summary.weave?.costs || {};
  return h('table', {class: 'grid usage'},
    h('thead', null, h('tr', null, h('th', null, 'model'), h('th', {class: 'num'}, 'requests'), h('th', {class: 'num'}, 'prompt'),
      h('th', {class: 'num'}, 'completion'), h('th', {class: 'num'}, 'total'), h('th', {class: 'num'}, 'cost'))),
    h('tbody', null, Object.entries(summary.usage).map(([model, u]) => {
      const c = costs[model];
      const priced = c && c.prompt_tokens_total_cost != null;
      return h('tr', {dataset: {model}}, h('td', null, model), h('td', {class: 'num'}, fmtTokens(u.requests)),
        h('td', {class: 'num'}, fmtTokens(u.prompt_tokens ?? u.input_tokens)),
        h('td', {class: 'num'}, fmtTokens(u.completion_tokens ?? u.output_tokens)),
        h('td', {class: 'num'}, fmtTokens(u.total_tokens)),
        h('td', {class: 'num', title: priced ? `${c.pricing_level} price from ${c.effective_date}` : 'no price for this model'},
          priced ? fmtCost(modelCost(c)) : '—'));
    })));
}

/** The first few scalar inputs, e.g. "unit=Calculator, iteration=2", to tell siblings apart. */
function hint(inputs) {
  if (!inputs || typeof inputs !== 'object') return '';
  const parts = [];
  for (const [k, v] of Object.entries(inputs)) {
    if (v === null || typeof v === 'object') continue;
    parts.push(`${k}=${typeof v === 'string' && v.length > 24 ? v.slice(0, 23) + '…' : v}`);
    if (parts.length === 3) break;
  }
  return parts.join(', ');
}

async function copy(button, text) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'Copied';
  } catch (e) {
    window.prompt('Link to this call', text);
  }
  setTimeout(() => { button.textContent = 'Copy link'; }, 1500);
}
