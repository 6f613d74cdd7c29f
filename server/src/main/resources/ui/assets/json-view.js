// Collapsible JSON: objects and arrays are <details>, whose children are built only when opened,
// so a huge captured value costs nothing until someone looks inside it.
import {h} from './dom.js';

const SHOWN = 200; // children shown per level before a "more" link

export function jsonView(value, openDepth = 2) {
  // A top-level object shows its fields directly: its own {n} line would say nothing.
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 0) return h('div', {class: 'json muted'}, '{}');
    return h('div', {class: 'json'}, entries.map(([k, v]) => node(k, v, 1, openDepth)));
  }
  return h('div', {class: 'json'}, node(null, value, 0, openDepth));
}

function node(key, value, depth, openDepth) {
  const label = key == null ? null : [h('span', {class: 'k'}, key), ': '];
  if (value === null || typeof value !== 'object') return h('div', {class: 'leaf'}, label, scalar(value));
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v]) : Object.entries(value);
  const summary = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  if (entries.length === 0) return h('div', {class: 'leaf'}, label, Array.isArray(value) ? '[]' : '{}');
  const details = h('details', null, h('summary', null, label, h('span', {class: 'muted'}, summary)));
  let built = false;
  const build = () => {
    if (built) return;
    built = true;
    entries.slice(0, SHOWN).forEach(([k, v]) => details.append(node(k, v, depth + 1, openDepth)));
    if (entries.length > SHOWN) {
      let shown = SHOWN;
      const more = h('div', {class: 'leaf more'}, h('a', {href: '#', onclick: e => {
        e.preventDefault();
        const next = entries.slice(shown, shown + SHOWN);
        next.forEach(([k, v]) => more.before(node(k, v, depth + 1, openDepth)));
        shown += next.length;
        if (shown >= entries.length) more.remove();
      }}, `${entries.length - SHOWN} more…`));
      details.append(more);
    }
  };
  details.addEventListener('toggle', build);
  if (depth < openDepth) {
    build();
    details.open = true;
  }
  return details;
}

function scalar(v) {
  if (typeof v === 'string') return h('span', {class: 's'}, JSON.stringify(v));
  if (typeof v === 'number') return h('span', {class: 'n'}, String(v));
  if (typeof v === 'boolean') return h('span', {class: 'b'}, String(v));
  return h('span', {class: 'z'}, 'null');
}
