// LLM calls: the conversation an LLM call's inputs and output hold, and the tokens and cost of a
// call's summary. Reads OpenAI chat completions (what the LangChain4j and Spring AI integrations
// write too), OpenAI Responses and Anthropic messages; anything else is left to the JSON view.
import {h, fmtNumber} from './dom.js';

const ROLES = {system: 'system', developer: 'system', user: 'user', human: 'user', assistant: 'assistant',
  ai: 'assistant', model: 'assistant', tool: 'tool', function: 'tool'};

/** The conversation of an LLM call as an element, or null when its inputs and output are no known shape. */
export function conversation(call) {
  const turns = [...request(call.inputs), ...reply(call.output)];
  if (!turns.length || !turns.some(t => t.role === 'assistant' || t.role === 'user')) return null;
  const tools = Array.isArray(call.inputs?.tools) ? call.inputs.tools.map(toolName).filter(Boolean) : [];
  return h('div', {class: 'conversation'},
    tools.length ? h('div', {class: 'muted small', dataset: {tools: ''}}, 'tools: ', tools.join(', ')) : null,
    turns.map(turn));
}

function turn(t) {
  return h('div', {class: `msg ${t.role}`, dataset: {role: t.role}},
    h('div', {class: 'role'}, t.role, t.name ? h('span', {class: 'muted'}, ` · ${t.name}`) : null,
      t.reply ? h('span', {class: 'muted'}, ' · reply') : null),
    t.parts.map(p => p.call
      ? h('div', {class: 'tool-call', dataset: {toolCall: p.call}},
          h('span', {class: 'fn'}, p.call), h('pre', null, args(p.args)))
      : h('div', {class: p.kind === 'text' ? 'text' : `text ${p.kind}`}, p.text)));
}

/** A tool's name in a request's tools list, in OpenAI's or Anthropic's spelling. */
function toolName(t) {
  return t?.function?.name ?? t?.name ?? null;
}

function args(a) {
  if (typeof a === 'string') {
    try {
      return JSON.stringify(JSON.parse(a), null, 2);
    } catch (e) {
      return a;
    }
  }
  return JSON.stringify(a ?? {}, null, 2);
}

/** The turns a request sends: system prompt, then messages (or a Responses input). */
function request(inputs) {
  if (!inputs || typeof inputs !== 'object') return [];
  const out = [];
  const system = inputs.system ?? inputs.instructions;
  if (typeof system === 'string' || Array.isArray(system) && system.every(b => b?.type === 'text')) {
    out.push({role: 'system', parts: parts(system)});
  }
  const messages = Array.isArray(inputs.messages) ? inputs.messages
    : typeof inputs.input === 'string' ? [{role: 'user', content: inputs.input}]
    : Array.isArray(inputs.input) ? inputs.input : [];
  for (const m of messages) {
    const t = message(m);
    if (t) out.push(t);
  }
  return out;
}

/** The turns of a reply: OpenAI's choices, a Responses output list, or an Anthropic message. */
function reply(output) {
  if (!output || typeof output !== 'object') return [];
  let turns = [];
  if (Array.isArray(output.choices)) turns = output.choices.map(c => message(c.message ?? c.delta ?? {role: 'assistant'}));
  else if (Array.isArray(output.output)) turns = output.output.map(message);
  else if (output.role === 'assistant' || output.type === 'message') turns = [message(output)];
  turns = merge(turns.filter(Boolean).filter(t => t.parts.length));
  for (const t of turns) t.reply = true;
  return turns;
}

/** Responses output items come one per text or tool call: consecutive ones of one role read as one turn. */
function merge(turns) {
  const out = [];
  for (const t of turns) {
    const last = out[out.length - 1];
    if (last && last.role === t.role && t.role === 'assistant') last.parts.push(...t.parts);
    else out.push(t);
  }
  return out;
}

function message(m) {
  if (!m || typeof m !== 'object') return null;
  // Responses' items that are not messages: a tool call and its result.
  if (m.type === 'function_call') return {role: 'assistant', parts: [{call: m.name, args: m.arguments}]};
  if (m.type === 'function_call_output') return {role: 'tool', name: m.call_id, parts: parts(m.output)};
  if (m.type === 'reasoning') return null;
  const role = ROLES[String(m.role ?? '').toLowerCase()];
  if (!role) return null;
  const out = parts(m.content);
  for (const c of m.tool_calls || []) out.push({call: c.function?.name ?? c.name ?? '?', args: c.function?.arguments ?? c.arguments});
  if (m.function_call) out.push({call: m.function_call.name, args: m.function_call.arguments});
  if (m.refusal) out.push({kind: 'refusal', text: m.refusal});
  // A tool result: OpenAI's tool message, or Anthropic's user message of tool_result blocks.
  const isResult = Array.isArray(m.content) && m.content.length && m.content.every(b => b?.type === 'tool_result');
  return {role: isResult ? 'tool' : role, name: m.name ?? m.tool_call_id ?? (isResult ? m.content[0].tool_use_id : null), parts: out};
}

/** A message's content: a string, or blocks of text, tool calls, tool results, images. */
function parts(content) {
  if (content == null) return [];
  if (typeof content === 'string') return content ? [{kind: 'text', text: content}] : [];
  if (!Array.isArray(content)) return typeof content.text === 'string' ? [{kind: 'text', text: content.text}] : [];
  const out = [];
  for (const b of content) {
    if (typeof b === 'string') out.push({kind: 'text', text: b});
    else if (!b || typeof b !== 'object') continue;
    else if (b.type === 'tool_use') out.push({call: b.name, args: b.input});
    else if (b.type === 'tool_result') out.push(...parts(b.content));
    else if (b.type === 'thinking') out.push({kind: 'thinking', text: b.thinking ?? ''});
    else if (typeof b.text === 'string') out.push({kind: 'text', text: b.text});
    else if (/image|audio|file/.test(b.type ?? '')) out.push({kind: 'media', text: `[${b.type}]`});
  }
  return out;
}

/** A call's tokens and cost from its summary: usage (the call's and its descendants') priced by summary.weave.costs. */
export function llmTotals(summary) {
  const usage = summary?.usage;
  if (!usage || typeof usage !== 'object') return null;
  const costs = summary.weave?.costs || {};
  let tokens = 0;
  let cost = 0;
  let priced = false;
  let unpriced = false;
  for (const [model, u] of Object.entries(usage)) {
    if (!u || typeof u !== 'object') continue;
    tokens += u.total_tokens ?? ((u.prompt_tokens ?? u.input_tokens ?? 0) + (u.completion_tokens ?? u.output_tokens ?? 0));
    const c = costs[model];
    if (c && c.prompt_tokens_total_cost != null) {
      cost += modelCost(c);
      priced = true;
    } else {
      unpriced = true;
    }
  }
  return {tokens, cost: priced ? cost : null, unpriced, models: Object.keys(usage)};
}

/** What one model's tokens cost: uncached prompt, cache reads and writes, completion. */
export function modelCost(c) {
  return (c.prompt_tokens_total_cost ?? 0) + (c.completion_tokens_total_cost ?? 0)
    + (c.cache_read_input_tokens_total_cost ?? 0) + (c.cache_creation_input_tokens_total_cost ?? 0);
}

/** USD, with enough digits for the small sums single calls cost. */
export function fmtCost(v) {
  if (v == null || !Number.isFinite(v)) return '';
  if (v === 0) return '$0';
  if (v >= 100) return `$${v.toFixed(2)}`;
  if (v >= 0.01) return `$${v.toFixed(4)}`;
  return `$${v.toPrecision(3)}`;
}

export function fmtTokens(n) {
  return n == null ? '' : fmtNumber(n);
}
