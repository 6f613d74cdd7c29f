// The server's own API, as any client calls it. With --api-key the server answers 401 and the
// page asks for the key once, keeps it in this browser, and retries.

const KEY = 'weft.apiKey';
let asking = null;

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

function authHeader() {
  const key = localStorage.getItem(KEY);
  if (!key) return {};
  const bytes = new TextEncoder().encode('api:' + key);
  return {Authorization: 'Basic ' + btoa(String.fromCharCode(...bytes))};
}

/** POSTs a JSON body and returns the parsed answer; throws ApiError with the server's detail. */
export async function post(path, body) {
  for (;;) {
    const res = await fetch(path, {
      method: 'POST',
      // X-Requested-With: the server then answers 401 without a Basic challenge, which would
      // make the browser show its own login box instead of ours.
      headers: {'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest', ...authHeader()},
      body: JSON.stringify(body ?? {}),
    });
    if (res.status === 401) {
      await askForKey(localStorage.getItem(KEY) ? 'That key was refused.' : null);
      continue;
    }
    if (!res.ok) {
      let detail = null;
      try {
        detail = (await res.json()).detail;
      } catch (e) { /* not JSON */ }
      throw new ApiError(res.status, detail);
    }
    return res.json();
  }
}

function askForKey(error) {
  if (asking) return asking;
  const dialog = document.getElementById('key-dialog');
  const input = document.getElementById('key-input');
  const message = document.getElementById('key-error');
  message.hidden = !error;
  message.textContent = error || '';
  input.value = '';
  asking = new Promise(resolve => {
    dialog.addEventListener('close', function done() {
      dialog.removeEventListener('close', done);
      localStorage.setItem(KEY, input.value);
      asking = null;
      resolve();
    });
  });
  if (!dialog.open) dialog.showModal();
  return asking;
}

export const api = {
  projects: () => post('/projects/query').then(r => r.projects.map(p => p.project_id)),
  calls: body => post('/calls/query', body).then(r => r.calls),
  count: body => post('/calls/query_stats', body).then(r => r.count),
  call: (project, id) => post('/call/read', {project_id: project, id, include_costs: true}).then(r => r.call),
  ops: project => post('/objs/query', {project_id: project, filter: {is_op: true, latest_only: true}})
      .then(r => r.objs.map(o => o.object_id)),
  runs: project => post('/runs/query', {project_id: project, limit: 500}).then(r => r.runs),
  // Sampled as W&B does (each bucket's lowest and highest point): a chart of a long run stays fast.
  history: (project, runId) => post('/run/history', {project_id: project, run_id: runId, samples: 1500}).then(r => r.points),
  tables: (project, runId) => post('/run/tables', {project_id: project, run_id: runId}).then(r => r.tables),
  // What `weft-server compare` prints: each metric's delta, which way is better, the verdict.
  compareRuns: (project, baseline, candidate) => post('/runs/compare', {project_id: project, baseline, candidate})
      .then(r => new Map(r.rows.map(row => [row.metric, row]))),
  retention: project => post('/project/retention/read', {project_id: project}),
  setRetention: (project, traceDays, runDays) => post('/project/retention/update',
      {project_id: project, retention_days: traceDays, run_retention_days: runDays}),
  webhooks: () => post('/webhooks/query', {}).then(r => r.webhooks),
  createWebhook: (url, events, project, secret) => post('/webhooks/create', {url, events, project_id: project, secret}),
  deleteWebhook: id => post('/webhooks/delete', {id}),
  deliveries: project => post('/webhooks/deliveries', {project_id: project, limit: 50}).then(r => r.deliveries),
  retentionDryRun: project => post('/retention/dry_run', {project_id: project}).then(r => r.projects),
};
