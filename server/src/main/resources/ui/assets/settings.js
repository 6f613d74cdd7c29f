// A project's settings: how long its traces and runs are kept. An empty field follows the
// server's default (serve --retention-days); 0 keeps forever. The preview is the server's dry
// run: what its next retention pass would delete, nothing deleted. Then the webhooks told of
// runs that end or cross a threshold, and their delivery log.
import {h, fill, statusBadge, fmtTime} from './dom.js';
import {api} from './api.js';

export async function render(el, ctx) {
  const project = ctx.project;
  const traces = h('input', {type: 'number', min: 0, max: 3650, id: 'retention-days', 'aria-label': 'trace retention days', size: 6});
  const runs = h('input', {type: 'number', min: 0, max: 3650, id: 'run-retention-days', 'aria-label': 'run retention days', size: 6});
  const applies = h('p', {class: 'muted small', id: 'retention-applies'});
  const message = h('p', {class: 'small', id: 'retention-message', role: 'status'});
  const preview = h('div', {id: 'retention-preview'});
  const save = h('button', {type: 'submit', class: 'primary'}, 'Save');

  const days = v => v === 0 ? 'kept forever' : `kept ${v} day${v === 1 ? '' : 's'}`;
  const show = setting => {
    traces.value = setting.retention_days ?? '';
    runs.value = setting.run_retention_days ?? '';
    traces.placeholder = `default: ${setting.server_default.retention_days}`;
    runs.placeholder = `default: ${setting.server_default.run_retention_days}`;
    fill(applies, `Now: traces ${days(setting.effective.retention_days)}, runs ${days(setting.effective.run_retention_days)}.`);
  };
  const drawPreview = async () => {
    const [plan] = await api.retentionDryRun(project);
    fill(preview, !plan || (plan.traces + plan.calls + plan.runs) === 0
      ? h('p', {class: 'muted'}, 'The next pass would delete nothing.')
      : h('p', null, `The next pass would delete ${plan.traces} traces (${plan.calls} calls), ${plan.feedback} feedback, `
          + `up to ${plan.objects} objects, and ${plan.runs} runs (${plan.metric_points} metric points).`));
  };
  const value = input => input.value.trim() === '' ? null : Number(input.value);

  const form = h('form', {class: 'panel pad settings', onsubmit: async e => {
    e.preventDefault();
    save.disabled = true;
    try {
      show(await api.setRetention(project, value(traces), value(runs)));
      fill(message, 'Saved.');
      message.className = 'small';
      await drawPreview();
    } catch (err) {
      fill(message, err.message || String(err));
      message.className = 'small error';
    } finally {
      save.disabled = false;
    }
  }},
    h('h2', null, 'Retention'),
    h('p', {class: 'muted small'}, 'Whole traces whose newest call is older go, with their feedback and the objects nothing else refers to. '
        + 'Empty: the server\'s default. 0: keep forever.'),
    h('label', {class: 'row'}, 'Delete traces after', traces, 'days'),
    h('label', {class: 'row'}, 'Delete runs and their metrics after', runs, 'days'),
    applies,
    h('div', {class: 'row'}, save),
    message,
    h('h3', null, 'Preview'),
    preview);

  const hooks = webhooks(project);
  fill(el, h('div', {class: 'page'}, h('h1', null, 'Settings'), form, hooks.panel));
  const draw = async () => {
    show(await api.retention(project));
    await drawPreview();
    await hooks.draw();
  };
  await draw();
  return {refresh: async () => {
    await drawPreview();
    await hooks.draw();
  }};
}

/** Webhooks: those of serve's options and those set here (for this project), and this project's newest deliveries. */
function webhooks(project) {
  const list = h('div', {id: 'webhooks'});
  const log = h('div', {id: 'webhook-deliveries'});
  const url = h('input', {type: 'url', required: true, placeholder: 'https://ci.example.com/weft', 'aria-label': 'webhook URL', size: 40});
  const events = h('input', {type: 'text', value: 'run.finished,run.failed,run.crashed', 'aria-label': 'webhook events', size: 40});
  const secret = h('input', {type: 'password', placeholder: 'secret (else the server\'s)', 'aria-label': 'webhook secret', size: 20});
  const message = h('p', {class: 'small', role: 'status', id: 'webhook-message'});
  const draw = async () => {
    const [hooks, deliveries] = await Promise.all([api.webhooks(), api.deliveries(project)]);
    fill(list, hooks.length === 0 ? h('p', {class: 'muted'}, 'No webhooks.') : h('table', {class: 'grid'},
      h('thead', null, h('tr', null, h('th', null, 'URL'), h('th', null, 'Events'), h('th', null, 'Project'), h('th', null, 'Signed'), h('th'))),
      h('tbody', null, hooks.map(w => h('tr', {dataset: {webhook: w.id}},
        h('td', {class: 'mono'}, w.url), h('td', null, w.events.join(', ')), h('td', null, w.project_id || 'all'),
        h('td', null, w.signed ? 'yes' : 'server secret or none'),
        h('td', null, w.source === 'serve' ? h('span', {class: 'muted small'}, 'serve option')
          : h('button', {onclick: async () => {
            await api.deleteWebhook(w.id);
            await draw();
          }}, 'Delete')))))));
    fill(log, deliveries.length === 0 ? h('p', {class: 'muted'}, 'Nothing sent yet.') : h('table', {class: 'grid'},
      h('thead', null, h('tr', null, h('th', null, 'When'), h('th', null, 'Event'), h('th', null, 'Run'), h('th', null, 'URL'),
        h('th', null, 'State'), h('th', {class: 'num'}, 'Attempts'), h('th', null, 'Last answer'))),
      h('tbody', null, deliveries.map(d => h('tr', {dataset: {delivery: d.id, state: d.state}},
        h('td', null, fmtTime(d.created_at)), h('td', null, d.event),
        h('td', null, h('a', {href: `#/${d.project_id}/dashboard?run=${encodeURIComponent(d.run_id)}`}, d.run_id)),
        h('td', {class: 'mono'}, d.url), h('td', null, statusBadge(d.state === 'delivered' ? 'success' : d.state === 'failed' ? 'error' : 'running')),
        h('td', {class: 'num'}, String(d.attempts)),
        h('td', null, d.last_error || (d.last_status ? `HTTP ${d.last_status}` : '')))))));
  };
  const panel = h('form', {class: 'panel pad settings', id: 'webhook-form', onsubmit: async e => {
    e.preventDefault();
    try {
      await api.createWebhook(url.value.trim(), events.value.split(',').map(x => x.trim()).filter(Boolean), project,
        secret.value || undefined);
      url.value = '';
      secret.value = '';
      fill(message, 'Added.');
      message.className = 'small';
      await draw();
    } catch (err) {
      fill(message, err.message || String(err));
      message.className = 'small error';
    }
  }},
    h('h2', null, 'Webhooks'),
    h('p', {class: 'muted small'}, 'A POST of JSON when a run of this project ends, or a metric crosses a threshold '
        + '(metric:NAME<VALUE), signed with HMAC-SHA256 in X-Weft-Signature.'),
    list,
    h('div', {class: 'row'}, url, events, secret, h('button', {type: 'submit', class: 'primary'}, 'Add')),
    message,
    h('h3', null, 'Deliveries'),
    log);
  return {panel, draw};
}
