// Feedback on a call, in Weave's own types, so an SDK's reads here and ours reads in Weave:
// reactions (wandb.reaction.1, {emoji}), notes (wandb.note.1, {note}), and the scores an
// evaluation recorded (wandb.runnable.<scorer>, {output}).
import {h, fill, fmtTime, preview} from './dom.js';
import {post} from './api.js';

const REACTION = 'wandb.reaction.1';
const NOTE = 'wandb.note.1';
const RUNNABLE = 'wandb.runnable.';
const THUMBS = [['👍', 'thumbs up'], ['👎', 'thumbs down']];

// The server's /feedback/query takes no filter (Weave's takes a query): read the project's, keep the call's.
const read = (project, ref) => post('/feedback/query', {project_id: project}).then(r => r.result.filter(f => f.weave_ref === ref));
const create = (project, ref, type, payload) => post('/feedback/create', {project_id: project, weave_ref: ref, feedback_type: type, payload});

let shown = null; // the panel on the page: redrawn in place, so a refresh keeps a note being typed

/** The feedback panel of a call: thumbs with their counts, the scores, the notes and a box to add one. */
export function feedbackPanel(project, callId) {
  if (shown && shown.project === project && shown.callId === callId && shown.el.isConnected) {
    shown.draw();
    return shown.el;
  }
  const ref = `weave:///${project}/call/${callId}`;
  const list = h('div', {class: 'feedback-list'}, h('span', {class: 'muted small'}, 'Loading…'));
  const error = h('div', {class: 'error small', role: 'alert'});
  const note = h('textarea', {rows: 2, placeholder: 'Add a note', 'aria-label': 'note', maxlength: 4000});
  const act = async (type, payload) => {
    error.textContent = '';
    try {
      await create(project, ref, type, payload);
      await draw();
      return true;
    } catch (e) {
      error.textContent = `Could not save: ${e.message || e}`;
      return false;
    }
  };
  const thumbs = THUMBS.map(([emoji, label]) => h('button', {type: 'button', class: 'reaction', 'aria-label': label,
    dataset: {reaction: emoji}, onclick: () => act(REACTION, {emoji})}, emoji, h('span', {class: 'count'}, '')));
  const add = h('button', {type: 'button', onclick: async () => {
    const text = note.value.trim();
    if (text && await act(NOTE, {note: text})) note.value = '';
  }}, 'Add note');
  const el = h('div', {class: 'feedback', id: 'feedback'}, h('div', {class: 'row'}, thumbs), list,
    h('div', {class: 'row note-form'}, note, add), error);

  let generation = 0;
  async function draw() {
    const mine = ++generation;
    let all;
    try {
      all = await read(project, ref);
    } catch (e) {
      if (mine === generation) fill(list, h('span', {class: 'error small'}, `Could not read feedback: ${e.message || e}`));
      return;
    }
    if (mine !== generation) return;
    for (const b of thumbs) {
      const n = all.filter(f => f.feedback_type === REACTION && f.payload?.emoji === b.dataset.reaction).length;
      b.querySelector('.count').textContent = n ? ` ${n}` : '';
      b.classList.toggle('on', n > 0);
    }
    const other = all.filter(f => f.feedback_type === REACTION && !THUMBS.some(([e]) => e === f.payload?.emoji));
    const scores = all.filter(f => f.feedback_type.startsWith(RUNNABLE));
    const notes = all.filter(f => f.feedback_type === NOTE);
    fill(list,
      other.length ? h('div', {class: 'small'}, other.map(f => h('span', {class: 'chip'}, String(f.payload?.emoji ?? '?')))) : null,
      scores.length ? h('div', {class: 'small', dataset: {feedback: 'scores'}}, scores.map(f => {
        const scorer = f.feedback_type.slice(RUNNABLE.length);
        return h('span', {class: 'chip', dataset: {scorer}, title: `recorded by ${scorer}`},
          `${scorer}: ${preview(f.payload?.output, 80)}`);
      })) : null,
      notes.map(f => h('div', {class: 'note', dataset: {feedbackId: f.id}},
        h('div', {class: 'text'}, String(f.payload?.note ?? '')),
        h('div', {class: 'muted small'}, [f.creator, fmtTime(f.created_at)].filter(Boolean).join(' · ')))),
      all.length === 0 ? h('span', {class: 'muted small'}, 'No feedback yet.') : null);
  }

  shown = {project, callId, el, draw};
  draw();
  return el;
}
