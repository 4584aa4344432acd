/**
 * A multiclass classifier's report, top to bottom (reportView.ts picks this list for a report
 * with `task: 'multiclass'`). Every section the binary report has that fits a multiclass one is
 * shared (the summary, groups, the worst rows' share, reliability, per class, the most
 * confidently wrong rows); the confusion matrix is its own (many classes, shaded).
 */
import type { MultiSection } from '../section';
import { MULTI_CLASS_METRICS } from '../../core/tasks/multiclass/view';
import { classGroups } from '../sections/classGroups';
import { classRobustness } from '../sections/classRobustness';
import { classSummary } from '../sections/classSummary';
import { comparisonsSection } from '../sections/comparisons';
import { changedRows, compareJoin } from '../sections/compareRows';
import { confidentlyWrong } from '../sections/confidentlyWrong';
import { modelPicker } from '../sections/modelPicker';
import { multiConfusion } from '../sections/multiConfusion';
import { multiSettingsChanged, skipped, warnings } from '../sections/notices';
import { perClass } from '../sections/perClass';
import { reliability } from '../sections/reliability';

export const MULTICLASS_SECTIONS: readonly MultiSection[] = [
  skipped,
  warnings,
  multiSettingsChanged,
  compareJoin,
  classSummary,
  comparisonsSection(MULTI_CLASS_METRICS),
  changedRows,
  classGroups,
  modelPicker,
  classRobustness,
  multiConfusion,
  reliability,
  perClass,
  confidentlyWrong,
];
