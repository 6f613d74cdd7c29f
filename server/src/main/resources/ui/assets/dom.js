// DOM building and formatting. Every piece of user data reaches the page as a text node or an
// attribute value set through the DOM, never as HTML, so a traced `<script>` stays text.

/** h('a', {href, class, onclick}, child, …): strings become text nodes; null and false are skipped. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  if (props) {
    for (const [k, v] of Object.entries(props)) {
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'style') Object.assign(el.style, v);
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else if (k === 'checked' || k === 'value' || k === 'selected') el[k] = v;
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** Replaces an element's children. */
export function fill(el, ...children) {
  el.replaceChildren();
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

/** The hash link of a view: link('acme/demo', 'traces', id, {call}) → '#/acme/demo/traces/<id>?call=…'. */
export function link(project, view, id, params) {
  const [entity, name] = splitProject(project);
  let path = `#/${encodeURIComponent(entity)}/${encodeURIComponent(name)}/${view}`;
  if (id) path += '/' + encodeURIComponent(id);
  const q = query(params);
  return q ? `${path}?${q}` : path;
}

export function query(params) {
  if (!params) return '';
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '' && v !== false) q.set(k, String(v));
  return q.toString();
}

export function splitProject(project) {
  const i = project.indexOf('/');
  return i < 0 ? [project, ''] : [project.slice(0, i), project.slice(i + 1)];
}

/** An op's short name: 'weave:///e/p/op/Orchestrator.run:abc' → 'Orchestrator.run'. */
export function opName(ref) {
  if (!ref) return '';
  const m = /^weave:\/\/\/[^/]+\/[^/]+\/op\/(.+?)(?::[^:]*)?$/.exec(ref);
  return m ? m[1] : ref;
}

/** A call's name as people read it: its display name, else its op's short name. */
export function callName(call) {
  return call.display_name || opName(call.op_name);
}

export function status(call) {
  return call.summary?.weave?.status || (call.exception ? 'error' : call.ended_at ? 'success' : 'running');
}

export function statusBadge(s) {
  return h('span', {class: `status ${s}`, dataset: {status: s}}, s.replace('_', ' '));
}

/** A call's exception (Weave's JSON string: type, message, traceback) as an object. */
export function parseException(raw) {
  if (raw == null) return null;
  try {
    const e = JSON.parse(raw);
    if (e && typeof e === 'object') return {type: e.type || 'Error', message: e.message ?? '', traceback: e.traceback || []};
  } catch (err) { /* not JSON: keep the text */ }
  return {type: 'Error', message: String(raw), traceback: []};
}

export function millis(iso) {
  return iso ? Date.parse(iso) : NaN;
}

/** A call's duration in ms, or until now while it runs. */
export function duration(call, now = Date.now()) {
  const start = millis(call.started_at);
  const end = call.ended_at ? millis(call.ended_at) : now;
  return Math.max(0, end - start);
}

export function fmtDuration(ms) {
  if (!Number.isFinite(ms)) return '';
  if (ms < 1) return ms === 0 ? '< 1 ms' : `${ms.toFixed(2)} ms`; // timestamps carry whole ms
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(ms < 10000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60000);
  return `${m} m ${Math.round((ms % 60000) / 1000)} s`;
}

export function fmtTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const today = new Date().toDateString() === d.toDateString();
  return today ? d.toLocaleTimeString() : d.toLocaleString();
}

export function fmtNumber(v) {
  if (typeof v !== 'number' || !Number.isFinite(v)) return v == null ? '' : String(v);
  if (Number.isInteger(v)) return v.toLocaleString();
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toPrecision(3);
}

/** A one-line preview of a JSON value, cut at n characters. */
export function preview(value, n = 90) {
  if (value == null) return '';
  let s;
  if (typeof value === 'object' && !Array.isArray(value)) {
    s = Object.entries(value).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ');
  } else {
    s = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

export function debounce(fn, ms) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}
