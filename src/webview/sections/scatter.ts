/** Predicted against target for every model, from the sample of rows; a click opens the row's line. */
import { scatter } from '../../core/tasks/regression/view/scatter';
import { scatterChartText } from '../../core/tasks/regression/words';
import { ChartSlot } from '../charts/chartSlot';
import { modelColor } from '../charts/common';
import { scatterConfig } from '../charts/scatterCharts';
import type { ReportContext, SectionView } from '../section';

export function scatterChart(ctx: ReportContext): SectionView {
  const r = ctx.report;
  const outside = r.models.map((m, i) => ({ prediction: m.prediction, count: scatter(r, i).outside }));
  const text = scatterChartText({ sampled: r.sample.lines.length, used: r.rows.used, models: r.models.length }, outside, ctx.openable);
  const slot = ctx.charts.add(
    new ChartSlot(
      (t) =>
        scatterConfig(
          t,
          r.models.map((m, i) => ({ label: m.prediction, data: scatter(r, i), color: modelColor(t, i) })),
          ctx.openable ? (line) => ctx.openLine(line) : undefined,
        ),
      { label: text.label, caption: [text.caption] },
    ),
  );
  return { element: slot.element };
}
