/**
 * The Task (and, for a classifier, Scores) controls: the host recomputes the report's file with
 * the choice, for this file only (the settings lossInspector.task and
 * lossInspector.classification.scores keep the default).
 */
import { ScoresSetting, SCORES_SETTINGS, TaskSetting, TASK_SETTINGS, FromWebview, ViewSettings } from '../shared/webviewProtocol';
import { h } from './dom';

const TASK_LABEL: Record<TaskSetting, string> = { auto: 'auto (detect)', regression: 'regression', binary: 'binary classification', multiclass: 'multiclass classification' };
const SCORES_LABEL: Record<ScoresSetting, string> = { auto: 'auto (detect)', probabilities: 'probabilities', logits: 'logits' };

/** `idSuffix`: for a second pair on the page (an error banner above an inert report's own). */
export function taskControls(post: (m: FromWebview) => void, settings: Pick<ViewSettings, 'task' | 'scores'>, withScores: boolean, idSuffix = ''): HTMLElement {
  const taskId = `task-select${idSuffix}`;
  const scoresId = `scores-select${idSuffix}`;
  const el = h(
    'div',
    { class: 'controls read-as' },
    h('label', { attrs: { for: taskId } }, 'Task '),
    select(taskId, TASK_SETTINGS, TASK_LABEL, settings.task ?? 'auto', (v) => post({ type: 'setTask', task: v })),
  );
  if (withScores) {
    el.append(
      h('label', { attrs: { for: scoresId } }, ' Scores '),
      select(scoresId, SCORES_SETTINGS, SCORES_LABEL, settings.scores ?? 'auto', (v) => post({ type: 'setScores', scores: v })),
    );
  }
  el.append(h('span', { class: 'muted small' }, ' — for this file; the settings lossInspector.task and lossInspector.classification.scores set the default.'));
  return el;
}

function select<T extends string>(id: string, values: readonly T[], labels: Record<T, string>, current: T, onPick: (v: T) => void): HTMLSelectElement {
  const el = h('select', { id });
  for (const v of values) {
    const o = h('option', { attrs: { value: v } }, labels[v]);
    o.selected = v === current;
    el.append(o);
  }
  el.addEventListener('change', () => {
    const v = values.find((x) => x === el.value);
    if (v !== undefined) onPick(v);
  });
  return el;
}
