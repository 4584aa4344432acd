/** Predicted against target for every model, from the sample of rows; a click opens the row's line. */
import { scatter } from '../../core/tasks/regression/view/scatter';
import { scatterOutside } from '../../core/tasks/regression/words';
import { ChartSlot } from '../charts/chartSlot';
import { modelColor } from '../charts/common';
import { scatterConfig } from '../charts/scatterCharts';
import type { ReportContext, SectionView } from '../section';

export function scatterChart(ctx: ReportContext): SectionView {
  const r = ctx.report;
  const n = r.sample.lines.length;
  const all = n === r.rows.used;
  const outside = scatterOutside(r.models.map((m, i) => ({ prediction: m.prediction, count: scatter(r, i).outside })));
  const slot = ctx.charts.add(
    new ChartSlot(
      (t) =>
        scatterConfig(
          t,
          r.models.map((m, i) => ({ label: m.prediction, data: scatter(r, i), color: modelColor(t, i) })),
          ctx.interactive ? (line) => ctx.openLine(line) : undefined,
        ),
      {
        label: `Predicted against target for ${all ? `all ${n}` : `a sample of ${n} of the ${r.rows.used}`} rows, ${r.models.length} model${r.models.length > 1 ? 's' : ''}, with the line y = x.`,
        caption: [
          `${all ? `All ${n} used rows` : `A deterministic sample of ${n} of the ${r.rows.used} used rows`}. Points on the dashed line y = x are perfect predictions; above it the model over-predicts.${ctx.interactive ? ' Click a point to open its line.' : ''}${outside}`,
        ],
      },
    ),
  );
  return { element: slot.element };
}
