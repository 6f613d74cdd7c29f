// The page shell: hash routes (so every view is a link that can be shared), the header, and
// refresh. Each view module exports render(main, ctx) → {refresh(), dispose()}.
import {h, fill, link} from './dom.js';
import {api} from './api.js';
import * as calls from './calls.js';
import * as trace from './trace.js';
import * as dashboard from './dashboard.js';
import * as settings from './settings.js';
import * as artifacts from './artifacts.js';
import * as evaluations from './evaluations.js';

const main = document.getElementById('view');
const crumbs = document.getElementById('crumbs');
const tabs = document.getElementById('tabs');
const updated = document.getElementById('updated');
const auto = document.getElementById('auto-refresh');
const AUTO_MS = 2000;

let current = null; // the rendered view
let routed = 0;      // routes started; a slower, older one must not take over from a newer one
let busy = false;

function parse() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const at = hash.indexOf('?');
  const path = at < 0 ? hash : hash.slice(0, at);
  const params = Object.fromEntries(new URLSearchParams(at < 0 ? '' : hash.slice(at + 1)));
  let parts;
  try {
    parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  } catch (e) {
    parts = [];
  }
  return {parts, params};
}

async function route() {
  current?.dispose?.();
  current = null;
  const {parts, params} = parse();
  const project = parts.length >= 2 ? `${parts[0]}/${parts[1]}` : null;
  const page = parts[2] || (project ? 'calls' : null);
  header(project, page);
  const ctx = {
    project, id: parts[3] || null, params,
    // Filters and selection change the link in place, without a new history entry or re-render.
    setParams(next) {
      ctx.params = next;
      history.replaceState(null, '', link(project, page, ctx.id, next));
    },
  };
  const view = !project ? projectsView : page === 'traces' && ctx.id ? trace : page === 'dashboard' ? dashboard
      : page === 'settings' ? settings : page === 'artifacts' ? artifacts : page === 'evaluations' ? evaluations
      : page === 'calls' || page === 'traces' ? calls : notFound;
  document.title = project ? `${project} · ${page} · Weft` : 'Weft';
  // Each route draws into its own element: if a newer route replaces it before it finishes,
  // it draws off-page and is dropped.
  const mine = ++routed;
  const el = h('div', null, h('p', {class: 'muted pad'}, 'Loading…'));
  fill(main, el);
  try {
    const rendered = await view.render(el, ctx);
    if (mine !== routed) {
      rendered?.dispose?.();
      return;
    }
    current = rendered;
    stamp();
  } catch (e) {
    if (mine === routed) showError(el, e);
  }
}

function header(project, page) {
  fill(crumbs, project ? [h('span', {class: 'sep'}, '/'), h('a', {href: link(project, 'calls')}, project)] : []);
  fill(tabs, project ? [
    h('a', {href: link(project, 'calls'), class: page === 'calls' || page === 'traces' ? 'on' : null}, 'Calls'),
    h('a', {href: link(project, 'evaluations'), class: page === 'evaluations' ? 'on' : null}, 'Evaluations'),
    h('a', {href: link(project, 'dashboard'), class: page === 'dashboard' ? 'on' : null}, 'Dashboard'),
    h('a', {href: link(project, 'artifacts'), class: page === 'artifacts' ? 'on' : null}, 'Artifacts'),
    h('a', {href: link(project, 'settings'), class: page === 'settings' ? 'on' : null}, 'Settings'),
  ] : []);
}

function showError(el, e) {
  fill(el, h('div', {class: 'page'}, h('div', {class: 'panel pad error', role: 'alert'},
      'Could not load this page: ', e.message || String(e))));
}

function stamp() {
  updated.textContent = 'updated ' + new Date().toLocaleTimeString();
}

async function refresh() {
  if (busy || !current?.refresh) return;
  busy = true;
  try {
    await current.refresh();
    stamp();
  } catch (e) {
    updated.textContent = 'refresh failed: ' + (e.message || e);
  } finally {
    busy = false;
  }
}

// An address no view knows says so, with the project's views, instead of showing another view.
const notFound = {
  async render(el, ctx) {
    const asked = parse().parts.slice(2).join('/');
    fill(el, h('div', {class: 'page'}, h('div', {class: 'panel pad', id: 'not-found'},
      h('h1', null, 'Page not found'),
      h('p', null, `${ctx.project} has no page `, h('code', null, asked), '. Its views:'),
      h('ul', null, [['calls', 'Calls'], ['evaluations', 'Evaluations'], ['dashboard', 'Dashboard'],
        ['artifacts', 'Artifacts'], ['settings', 'Settings']].map(([page, label]) =>
        h('li', null, h('a', {href: link(ctx.project, page), dataset: {view: page}}, label)))))));
  },
};

const projectsView = {
  async render(el) {
    const draw = async () => {
      const projects = await api.projects();
      fill(el, h('div', {class: 'page'},
        h('h1', null, 'Projects'),
        projects.length === 0
          ? h('div', {class: 'panel empty'},
              h('p', null, 'No traces yet.'),
              h('p', null, 'Run an app with ', h('code', null, '-javaagent:weft-agent.jar -Dweft.exporters=weave'),
                  ' and its calls appear here.'))
          : h('div', {class: 'cards'}, projects.map(p => h('div', {class: 'panel card', dataset: {project: p}},
              h('h2', null, h('a', {href: link(p, 'calls')}, p)),
              h('div', {class: 'links'},
                h('a', {href: link(p, 'calls')}, 'Calls'),
                h('a', {href: link(p, 'dashboard')}, 'Dashboard')))))));
    };
    await draw();
    return {refresh: draw};
  },
};

document.getElementById('refresh').addEventListener('click', refresh);
auto.checked = localStorage.getItem('weft.autoRefresh') === '1';
auto.addEventListener('change', () => localStorage.setItem('weft.autoRefresh', auto.checked ? '1' : '0'));
setInterval(() => {
  if (!document.hidden && (auto.checked || current?.live?.())) refresh();
}, AUTO_MS);
document.addEventListener('keydown', e => {
  if (e.key === 'r' && !e.ctrlKey && !e.metaKey && !e.altKey && !/INPUT|SELECT|TEXTAREA/.test(e.target.tagName)) refresh();
});
window.addEventListener('hashchange', route);
route();
