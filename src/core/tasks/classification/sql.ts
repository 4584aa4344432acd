/**
 * A binary classifier's report as one SQL statement (#14 item 6), as regression/sql.ts does for
 * regression: one row per model (`model`, `n`, then one column per metric key of the JSON
 * contract), over the rows the CLI uses — a label that is one of the two classes, every model's
 * score a finite number, a weight ≥ 0. What the engine infers from the data is written into the
 * statement from the report: the two classes and the positive one, each model's score kind
 * (probabilities or logits) and the threshold on that scale, γ and α.
 *
 * ROC AUC is the weighted Mann–Whitney sum over the distinct scores (ties count half), average
 * precision scikit-learn's step sum over the distinct scores in decreasing order, ECE
 * torchmetrics' 15 bins with the engine's edges (torch.linspace). DuckDB's fsum is compensated;
 * the other dialects sum plain doubles. DuckDB has no log1p: a logit model's log loss uses
 * ln(1 + e^−|z|), whose absolute error per row is about 1e-16 (relative error of the mean ~1e-16
 * divided by the mean loss). Checked against the CLI by test/unit/sql.test.ts.
 */
import { ECE_BINS, ECE_EDGES } from './calibration';
import { LOG_LOSS_EPS, scoreThreshold } from './losses';
import type { ClassificationReport } from './report';
import { finite, ident, literal, nullDouble, sqlNumber, SqlDialect, SqlSource, sqlSource, toDouble } from '../regression/sql';

/** The SQL statement (ending with a newline) giving `report`'s metrics of every model. */
export function binarySql(d: SqlDialect, src: SqlSource, report: ClassificationReport): string {
  const sum = d === 'duckdb' ? 'fsum' : 'SUM';
  const num = sqlNumber;
  const { threshold, gamma, alpha } = report.params;
  const negative = report.classes.find((c) => c !== report.positive) ?? '';
  const models = report.models;
  const weighted = report.weight !== null;
  const label = `CAST(${ident(d, report.target)} AS ${d === 'bigquery' || d === 'spark' ? 'STRING' : 'VARCHAR'})`;
  const casts = [
    `${label} AS lab`,
    ...models.map((m, i) => `${toDouble(d, ident(d, m.columns[0]))} AS s${i}`),
    ...(weighted ? [`${toDouble(d, ident(d, report.weight as string))} AS w`] : []),
  ].join(', ');
  const keep = [
    `lab IN (${literal(negative)}, ${literal(report.positive)})`,
    ...models.map((_, i) => `s${i} IS NOT NULL AND ${finite(d, `s${i}`)}`),
    ...(weighted ? [`w IS NOT NULL AND ${finite(d, 'w')} AND w >= 0`] : []),
  ].join('\n    AND ');
  const w = weighted ? 'w' : '1.0';
  const ctes: string[] = [
    `r AS (\n  SELECT ${casts}\n  FROM ${sqlSource(d, src)}\n)`,
    `v AS (\n  SELECT CASE WHEN lab = ${literal(report.positive)} THEN 1.0 ELSE 0.0 END AS y, ${models.map((_, i) => `s${i}`).join(', ')}, ${w} AS w\n  FROM r\n  WHERE ${keep}\n)`,
  ];
  const selects: string[] = [];
  models.forEach((m, i) => {
    const logits = m.scores === 'logits';
    const p = logits ? `1.0 / (1.0 + exp(-s))` : 's';
    // Per row: log loss, BCE, the probability of the positive class (sklearn, PyTorch, losses.ts).
    const softplus = (x: string) => `(greatest(${x}, 0.0) + ln(1.0 + exp(-abs(${x}))))`;
    const logLoss = logits
      ? `CASE WHEN y = 1.0 THEN ${softplus('-s')} ELSE ${softplus('s')} END`
      : `-ln(CASE WHEN y = 1.0 THEN pc ELSE 1.0 - pc END / ((1.0 - pc) + pc))`;
    const bce = logits
      ? `((1.0 - y) * s + greatest(-s, 0.0) + ln(exp(-greatest(-s, 0.0)) + exp(-s - greatest(-s, 0.0))))`
      : `CASE WHEN y = 1.0 THEN -(CASE WHEN p > 0 THEN greatest(ln(p), -100.0) ELSE -100.0 END) ELSE -(CASE WHEN p < 1 THEN greatest(ln(1.0 - p), -100.0) ELSE -100.0 END) END`;
    const pt = `(p * y + (1.0 - p) * (1.0 - y))`;
    const alphaT = alpha >= 0 ? ` * (${num(alpha)} * y + ${num(1 - alpha)} * (1.0 - y))` : '';
    const cut = num(scoreThreshold(threshold, logits));
    const bin = `CASE ${ECE_EDGES.slice(1, ECE_BINS)
      .map((e, b) => `WHEN p <= ${num(e)} THEN ${b}`)
      .join(' ')} ELSE ${ECE_BINS - 1} END`;
    ctes.push(
      `m${i} AS (\n  SELECT y, w, s, p, greatest(least(p, ${num(1 - LOG_LOSS_EPS)}), ${num(LOG_LOSS_EPS)}) AS pc, CASE WHEN s >= ${cut} THEN 1.0 ELSE 0.0 END AS yhat\n  FROM (SELECT y, w, s${i} AS s, ${p} AS p FROM v) x\n)`,
      `c${i} AS (\n  SELECT ${sum}(w) AS wt, ${sum}(w * y * yhat) AS tp, ${sum}(w * (1.0 - y) * yhat) AS fp, ${sum}(w * y * (1.0 - yhat)) AS fn, ${sum}(w * (1.0 - y) * (1.0 - yhat)) AS tn,\n` +
        `    ${sum}(w * (${logLoss})) / ${sum}(w) AS log_loss, ${sum}(w * (${bce})) / ${sum}(w) AS bce,\n` +
        `    ${sum}(w * (${bce}) * power(1.0 - ${pt}, ${num(gamma)})${alphaT}) / ${sum}(w) AS focal,\n` +
        `    ${sum}(w * (y - p) * (y - p)) / ${sum}(w) AS brier,\n` +
        `    ${logits ? `${sum}(w * greatest(1.0 - (2.0 * y - 1.0) * s, 0.0)) / ${sum}(w)` : nullDouble(d)} AS hinge, count(*) AS n\n  FROM m${i}\n)`,
      `t${i} AS (\n  SELECT s, SUM(w * y) AS pos, SUM(w * (1.0 - y)) AS neg FROM m${i} GROUP BY s\n)`,
      `k${i} AS (\n  SELECT SUM(pos * (2.0 * lower + neg)) AS auc2, SUM(CASE WHEN pos > 0 THEN pos * tp / (tp + fp) ELSE 0.0 END) AS ap\n` +
        `  FROM (SELECT pos, neg,\n    COALESCE(SUM(neg) OVER (ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0.0) AS lower,\n` +
        `    SUM(pos) OVER (ORDER BY s DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS tp,\n    SUM(neg) OVER (ORDER BY s DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS fp FROM t${i}) z\n)`,
      `b${i} AS (\n  SELECT SUM(abs(sy / bw - sp / bw) * bw) AS ece_w FROM (SELECT SUM(w) AS bw, SUM(w * p) AS sp, SUM(w * y) AS sy FROM (SELECT w, p, y, ${bin} AS bin FROM m${i}) q GROUP BY bin) g WHERE bw > 0\n)`,
    );
    // The counts as scikit-learn's formulas take them (thresholds.ts countMetrics and mcc).
    const P = '(tp + fn)';
    const N = '(tn + fp)';
    const precision = `CASE WHEN tp + fp > 0 THEN tp / (tp + fp) ELSE 0.0 END`;
    const recall = `CASE WHEN tp + fn > 0 THEN tp / (tp + fn) ELSE 0.0 END`;
    const specificity = `CASE WHEN tn + fp > 0 THEN tn / (tn + fp) ELSE 0.0 END`;
    const present = `((CASE WHEN tp + fn > 0 THEN 1.0 ELSE 0.0 END) + (CASE WHEN tn + fp > 0 THEN 1.0 ELSE 0.0 END))`;
    const s = `(tn + fp + fn + tp)`;
    const covTP = `((tn + tp) * ${s} - ((tn + fp) * (tn + fn) + (fn + tp) * (fp + tp)))`;
    const covPP = `(${s} * ${s} - ((tn + fn) * (tn + fn) + (fp + tp) * (fp + tp)))`;
    const covTT = `(${s} * ${s} - ((tn + fp) * (tn + fp) + (fn + tp) * (fn + tp)))`;
    const both = `${P} > 0 AND ${N} > 0`;
    const fields = [
      `${literal(m.prediction)} AS model`,
      'n',
      `log_loss AS ${ident(d, 'logLoss')}`,
      'bce',
      'focal',
      'brier',
      'hinge',
      `(tp + tn) / wt AS accuracy`,
      `CASE WHEN ${present} > 0 THEN ((CASE WHEN tp + fn > 0 THEN ${recall} ELSE 0.0 END) + (CASE WHEN tn + fp > 0 THEN ${specificity} ELSE 0.0 END)) / ${present} END AS ${ident(d, 'balancedAccuracy')}`,
      `${precision} AS precision`,
      `${recall} AS recall`,
      `CASE WHEN ${precision} + ${recall} > 0 THEN 2.0 * ${precision} * ${recall} / (${precision} + ${recall}) ELSE 0.0 END AS f1`,
      `CASE WHEN ${covTT} * ${covPP} = 0 THEN 0.0 ELSE ${covTP} / sqrt(${covTT} * ${covPP}) END AS mcc`,
      `CASE WHEN ${both} THEN auc2 / (2.0 * ${P} * ${N}) END AS ${ident(d, 'rocAuc')}`,
      `CASE WHEN ${both} THEN ap / ${P} END AS ${ident(d, 'averagePrecision')}`,
      `ece_w / wt AS ece`,
    ];
    selects.push(`SELECT\n  ${fields.join(',\n  ')}\nFROM c${i}, k${i}, b${i}`);
  });
  return (
    `-- Loss Inspector: the binary classification metrics of ${models.length} model${models.length === 1 ? '' : 's'} (${d}); positive class ${literal(report.positive)}, threshold ${threshold}, γ = ${gamma}, α = ${alpha}; scores: ${models.map((m) => `${m.prediction} ${m.scores}`).join(', ')}.\n` +
    `WITH ${ctes.join(', ')}\n` +
    selects.join('\nUNION ALL\n') +
    ';\n'
  );
}
