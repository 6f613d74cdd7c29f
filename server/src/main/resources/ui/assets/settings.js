// A project's settings: how long its traces and runs are kept. An empty field follows the
// server's default (serve --retention-days); 0 keeps forever. The preview is the server's dry
// run: what its next retention pass would delete, nothing deleted.
import {h, fill} from './dom.js';
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

  fill(el, h('div', {class: 'page'}, h('h1', null, 'Settings'), form));
  const draw = async () => {
    show(await api.retention(project));
    await drawPreview();
  };
  await draw();
  return {refresh: drawPreview};
}
