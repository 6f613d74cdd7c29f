// Artifacts: a project's artifacts; an artifact's versions, and the chosen version's files (each
// a download), metadata and lineage (the runs that logged and used it); and, for the dashboard,
// the artifacts a run logged and used. Routes: #/E/P/artifacts and #/E/P/artifacts/NAME?version=vN.
import {h, fill, link, fmtTime} from './dom.js';
import {post} from './api.js';
import {jsonView} from './json-view.js';

const api = {
  list: project => post('/artifacts/query', {project_id: project}).then(r => r.artifacts),
  versions: (project, name) => post('/artifact/versions', {project_id: project, name}).then(r => r.versions),
  read: (project, name, version) => post('/artifact/read', {project_id: project, name, version}).then(r => r.artifact),
  ofRun: (project, runId) => post('/artifacts/of_run', {project_id: project, run_id: runId}),
};

export async function render(el, ctx) {
  const draw = () => ctx.id ? artifact(el, ctx) : list(el, ctx);
  await draw();
  return {refresh: draw};
}

export function fmtBytes(n) {
  if (n == null) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${i === 0 ? n : n.toFixed(n < 10 ? 1 : 0)} ${units[i]}`;
}

const runLink = (project, runId) => runId
  ? h('a', {href: link(project, 'dashboard', null, {run: runId}), class: 'mono', title: `run ${runId}`}, runId) : '—';
const versionLink = (project, v) => h('a', {href: link(project, 'artifacts', v.name, {version: v.version})}, `${v.name}:${v.version}`);
const aliases = v => (v.aliases || []).map(a => h('span', {class: 'chip', dataset: {alias: a}}, a));

async function list(el, ctx) {
  const project = ctx.project;
  const artifacts = await api.list(project);
  fill(el, h('div', {class: 'page'}, h('h1', null, 'Artifacts'),
    artifacts.length === 0
      ? h('div', {class: 'panel empty'}, h('p', null, 'No artifacts in this project yet.'),
          h('p', null, 'Log one from an app under the agent: ', h('code', null, 'Weft.artifact("model", "checkpoint", Path.of("ckpt"))')))
      : h('div', {class: 'panel', style: {overflowX: 'auto'}}, h('table', {class: 'grid', id: 'artifacts'},
          h('thead', null, h('tr', null, ['Name', 'Type', 'Versions', 'Latest', 'Aliases', 'Size', 'Files', 'Updated', 'Keeps']
            .map(t => h('th', {class: ['Versions', 'Size', 'Files'].includes(t) ? 'num' : null}, t)))),
          h('tbody', null, artifacts.map(a => h('tr', {dataset: {artifact: a.name}},
            h('td', null, h('a', {href: link(project, 'artifacts', a.name)}, a.name)),
            h('td', null, a.type),
            h('td', {class: 'num'}, String(a.versions)),
            h('td', null, versionLink(project, a.latest)),
            h('td', null, aliases(a.latest)),
            h('td', {class: 'num'}, fmtBytes(a.latest.size)),
            h('td', {class: 'num'}, String(a.latest.file_count)),
            h('td', {title: a.latest.created_at}, fmtTime(a.latest.created_at)),
            h('td', null, a.keep_last ? `last ${a.keep_last}` : 'all'))))))));
}

async function artifact(el, ctx) {
  const project = ctx.project, name = ctx.id;
  const versions = await api.versions(project, name);
  if (versions.length === 0) {
    fill(el, h('div', {class: 'page'}, h('div', {class: 'panel pad error', role: 'alert'}, `No artifact ${name} in ${project}.`)));
    return;
  }
  const chosen = ctx.params.version || versions[0].version;
  const version = await api.read(project, name, chosen);
  const select = v => {
    ctx.setParams({...ctx.params, version: v});
    artifact(el, ctx);
  };
  fill(el, h('div', {class: 'page'},
    h('h1', null, h('a', {href: link(project, 'artifacts')}, 'Artifacts'), ' / ', name, ' ', h('span', {class: 'muted small'}, versions[0].type)),
    h('div', {class: 'panel', style: {marginBottom: '16px', overflowX: 'auto'}},
      h('div', {style: {padding: '12px 14px 4px'}}, h('h3', null, 'Versions')),
      h('table', {class: 'grid', id: 'versions'},
        h('thead', null, h('tr', null, ['Version', 'Aliases', 'Files', 'Size', 'Digest', 'Logged', 'By run']
          .map(t => h('th', {class: ['Files', 'Size'].includes(t) ? 'num' : null}, t)))),
        h('tbody', null, versions.map(v => h('tr', {dataset: {version: v.version}, class: v.version === version.version ? 'selected' : null},
          h('td', null, h('a', {href: link(project, 'artifacts', name, {version: v.version}),
            onclick: e => { e.preventDefault(); select(v.version); }}, v.version)),
          h('td', null, aliases(v)),
          h('td', {class: 'num'}, String(v.file_count)),
          h('td', {class: 'num'}, fmtBytes(v.size)),
          h('td', {class: 'mono small', title: v.digest}, v.digest.slice(0, 12)),
          h('td', {title: v.created_at}, fmtTime(v.created_at)),
          h('td', null, runLink(project, v.created_by_run))))))),
    versionPanel(project, version)));
}

function versionPanel(project, v) {
  const ref = `${v.name}:${v.version}`;
  return h('div', {class: 'panel pad', id: 'version', dataset: {version: v.version}},
    h('h2', null, ref, ' ', aliases(v)),
    h('p', {class: 'small'}, h('span', {class: 'muted'}, 'digest '), h('span', {class: 'mono', id: 'version-digest'}, v.digest),
      h('span', {class: 'muted'}, ` · ${v.file_count} file${v.file_count === 1 ? '' : 's'}, ${fmtBytes(v.size)} · logged ${fmtTime(v.created_at)}`)),
    h('h3', null, 'Files'),
    h('table', {class: 'grid', id: 'files'},
      h('thead', null, h('tr', null, h('th', null, 'Path'), h('th', {class: 'num'}, 'Size'), h('th', null, 'SHA-256'), h('th', null, ''))),
      h('tbody', null, v.files.map(f => h('tr', {dataset: {path: f.path}},
        h('td', {class: 'mono'}, f.path),
        h('td', {class: 'num'}, fmtBytes(f.size)),
        h('td', {class: 'mono small', title: f.digest}, f.digest.slice(0, 16)),
        h('td', null, downloadLink(f)))))),
    h('p', {class: 'muted small'}, 'All files, each checked against its SHA-256: ',
      h('code', null, `java -jar weft-server.jar artifact get ${ref} --to DIR --project ${project} --server ${location.origin}`)),
    h('h3', null, 'Metadata'),
    Object.keys(v.metadata || {}).length ? jsonView(v.metadata) : h('p', {class: 'muted'}, 'None.'),
    h('h3', null, 'Lineage'),
    h('table', {class: 'grid', id: 'lineage'},
      h('thead', null, h('tr', null, h('th', null, 'Run'), h('th', null, 'Role'), h('th', null, 'When'))),
      h('tbody', null,
        [...v.logged_by.map(l => ({...l, role: 'logged'})), ...v.used_by.map(l => ({...l, role: 'used'}))]
          .map(l => h('tr', {dataset: {run: l.run_id, role: l.role}},
            h('td', null, runLink(project, l.run_id)), h('td', null, l.role), h('td', {title: l.at}, fmtTime(l.at)))))));
}

/** A file's download: a plain link, or, when the server wants its API key, fetched with it. */
function downloadLink(f) {
  const name = f.path.split('/').pop();
  const href = `/artifact/blob/${f.digest}?filename=${encodeURIComponent(name)}`;
  return h('a', {href, download: name, class: 'download', onclick: async e => {
    const key = localStorage.getItem('weft.apiKey');
    if (!key) return; // the browser downloads it, streamed
    e.preventDefault();
    const bytes = new TextEncoder().encode('api:' + key);
    const res = await fetch(href, {headers: {Authorization: 'Basic ' + btoa(String.fromCharCode(...bytes))}});
    if (!res.ok) return;
    const url = URL.createObjectURL(await res.blob());
    h('a', {href: url, download: name}).click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }}, 'download');
}

/** For the dashboard: the artifacts a run logged and used, filled in when they arrive. */
export function runArtifacts(project, runId, title) {
  const body = h('p', {class: 'muted small'}, 'Loading…');
  const panel = h('div', {class: 'panel pad', id: 'run-artifacts', style: {marginBottom: '16px'}},
    h('h3', null, `Artifacts · ${title}`), body);
  api.ofRun(project, runId).then(({logged, used}) => {
    if (logged.length + used.length === 0) {
      fill(body, 'This run logged and used no artifacts.');
      return;
    }
    const rows = [...logged.map(v => [v, 'logged']), ...used.map(v => [v, 'used'])];
    body.replaceWith(h('table', {class: 'grid'},
      h('thead', null, h('tr', null, h('th', null, 'Artifact'), h('th', null, 'Role'), h('th', null, 'Type'),
        h('th', null, 'Aliases'), h('th', {class: 'num'}, 'Size'))),
      h('tbody', null, rows.map(([v, role]) => h('tr', {dataset: {artifact: `${v.name}:${v.version}`, role}},
        h('td', null, versionLink(project, v)), h('td', null, role), h('td', null, v.type), h('td', null, aliases(v)),
        h('td', {class: 'num'}, fmtBytes(v.size)))))));
  }).catch(e => fill(body, 'Could not load the run\'s artifacts: ', e.message || String(e)));
  return panel;
}
