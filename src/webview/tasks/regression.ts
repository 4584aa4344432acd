/**
 * The regression report, top to bottom. Another family of losses (classification) lists its own
 * sections in its own file; reportView.ts picks the list for the report it shows.
 */
import type { ReportSection } from '../section';
import { alongFile } from '../sections/alongFile';
import { METRICS } from '../../core/tasks/regression/losses';
import { comparisonsSection } from '../sections/comparisons';
import { changedRows, compareJoin } from '../sections/compareRows';
import { curves } from '../sections/curves';
import { gradients } from '../sections/gradients';
import { groups } from '../sections/groups';
import { modelPicker } from '../sections/modelPicker';
import { settingsChanged, skipped, warnings } from '../sections/notices';
import { residuals } from '../sections/residuals';
import { quantileCalibration } from '../sections/quantileCalibration';
import { pinballCurvesSection } from '../sections/pinballCurves';
import { countCurvesSection } from '../sections/countCurves';
import { robustness } from '../sections/robustness';
import { spread } from '../sections/spread';
import { summary } from '../sections/summary';
import { worstRows } from '../sections/worstRows';

export const REGRESSION_SECTIONS: readonly ReportSection[] = [
  skipped,
  warnings,
  settingsChanged,
  compareJoin,
  summary,
  comparisonsSection(METRICS),
  changedRows,
  groups,
  modelPicker,
  quantileCalibration,
  pinballCurvesSection,
  robustness,
  curves,
  countCurvesSection,
  gradients,
  residuals,
  spread,
  alongFile,
  worstRows,
];
