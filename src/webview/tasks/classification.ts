/**
 * A binary classifier's report, top to bottom (reportView.ts picks this list for a report with
 * `task`). The notices are every family's; the rest is the classifier's own.
 */
import type { ClassSection } from '../section';
import { CLASS_METRICS } from '../../core/tasks/classification/view';
import { classGroups } from '../sections/classGroups';
import { classRobustness } from '../sections/classRobustness';
import { classSummary } from '../sections/classSummary';
import { comparisonsSection } from '../sections/comparisons';
import { changedRows, compareJoin } from '../sections/compareRows';
import { confidentlyWrong } from '../sections/confidentlyWrong';
import { confusion } from '../sections/confusion';
import { modelPicker } from '../sections/modelPicker';
import { classSettingsChanged, skipped, warnings } from '../sections/notices';
import { perClass } from '../sections/perClass';
import { reliability } from '../sections/reliability';
import { rocPr } from '../sections/rocPr';
import { trueClass } from '../sections/trueClass';

export const CLASSIFICATION_SECTIONS: readonly ClassSection[] = [
  skipped,
  warnings,
  classSettingsChanged,
  compareJoin,
  classSummary,
  comparisonsSection(CLASS_METRICS),
  changedRows,
  classGroups,
  modelPicker,
  classRobustness,
  trueClass,
  confusion,
  rocPr,
  reliability,
  perClass,
  confidentlyWrong,
];
