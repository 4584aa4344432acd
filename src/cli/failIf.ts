/**
 * --fail-if: conditions on a report's metrics that make the CLI exit with code 3 (for CI), such
 * as `mae>1.5`, `rocAuc<0.8` or `pred_gbm:rmse>=2`. A condition without a model applies to every
 * model; a metric that is null (undefined for the data) fails the condition, since a check that
 * cannot be made must not pass.
 */
import type { FamilyReport } from '../core/families';

export interface FailIf {
  text: string;
  model?: string;
  metric: string;
  op: '<' | '<=' | '>' | '>=';
  value: number;
}

const FORM = /^\s*(?:([^:<>=]+):)?\s*([A-Za-z0-9]+)\s*(<=|>=|<|>)\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*$/;

/** The condition, or a sentence saying what is wrong with it. */
export function parseFailIf(text: string): FailIf | string {
  const m = FORM.exec(text);
  if (!m) return `--fail-if takes METRIC<VALUE (or <=, >, >=), optionally MODEL:METRIC>VALUE, such as mae>1.5 (got "${text}").`;
  return { text: text.trim(), ...(m[1] !== undefined ? { model: m[1].trim() } : {}), metric: m[2], op: m[3] as FailIf['op'], value: Number(m[4]) };
}

/**
 * The sentences of the conditions the report meets (`failed`; empty: none), and of conditions
 * that name no metric or model of the report (`unknown`: bad usage, not a breach).
 */
export function failures(report: FamilyReport, conditions: FailIf[]): { failed: string[]; unknown: string[] } {
  const out: string[] = [];
  const unknown: string[] = [];
  for (const c of conditions) {
    const models = report.models.filter((m) => c.model === undefined || m.prediction === c.model);
    if (models.length === 0) {
      unknown.push(`--fail-if ${c.text}: the report has no model "${c.model}" (its models: ${report.models.map((m) => m.prediction).join(', ')}).`);
      continue;
    }
    for (const m of models) {
      const metrics = m.metrics as Record<string, number | null>;
      if (!(c.metric in metrics)) {
        unknown.push(`--fail-if ${c.text}: the report has no metric "${c.metric}" (its metrics: ${Object.keys(metrics).join(', ')}).`);
        break;
      }
      const v = metrics[c.metric];
      const hit = v === null || (c.op === '<' ? v < c.value : c.op === '<=' ? v <= c.value : c.op === '>' ? v > c.value : v >= c.value);
      if (hit) out.push(`--fail-if ${c.text}: ${m.prediction} has ${c.metric} = ${v === null ? 'null (undefined for the data)' : v}.`);
    }
  }
  return { failed: out, unknown };
}
