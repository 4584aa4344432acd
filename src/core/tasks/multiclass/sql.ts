/**
 * A multiclass classifier's report as one SQL statement (#13, #14 item 6), as
 * classification/sql.ts does for binary ones: one row per model (`model`, `n`, then every metric
 * key of the JSON contract), over the rows the CLI uses — a label that is one of the classes (the
 * same text, or the same number: "1" and "1.0"), every score of every model a finite number, a
 * weight ≥ 0. What the engine infers from the data is written into the statement from the report:
 * the classes in class order, each model's score columns (or the elements of its score array) and
 * score kind (probabilities or logits), γ and the label smoothing.
 *
 * Per row, the formulas of metrics.ts, term by term in the same order where the order changes the
 * rounding: the softmax as max-shifted log-sum-exp; scikit-learn's log loss on clipped and
 * renormalised probabilities; PyTorch's cross-entropy with label smoothing (null when a
 * probability it takes the log of is 0, as the CLI's); focal; Brier; Crammer–Singer hinge on
 * logits; the argmax the first class of the largest score. The confusion sums give accuracy,
 * macro precision, recall and F1 (over the classes with a row or a prediction, as scikit-learn),
 * balanced accuracy and MCC; ROC AUC and average precision are one-vs-rest macro, each class's
 * from the distinct probabilities as in the binary statement (null when a class has no row or
 * every row); ECE has torchmetrics' 15 bins of the top probability. DuckDB's fsum is compensated;
 * the other dialects sum plain doubles. Checked against the CLI by test/unit/sqlMulticlass.test.ts.
 */
import { ECE_BINS, ECE_EDGES } from '../classification/calibration';
import { LOG_LOSS_EPS } from '../classification/losses';
import { labelNumber } from '../classification/classes';
import type { MulticlassReport } from './report';
import { finite, ident, literal, nullDouble, sqlNumber, SqlDialect, SqlSource, sqlSource, toDouble } from '../regression/sql';

/** −∞ as a double of the dialect (the start of a maximum over no class). */
function minusInfinity(d: SqlDialect): string {
  switch (d) {
    case 'duckdb':
      return `CAST('-inf' AS DOUBLE)`;
    case 'spark':
      return `double('-infinity')`;
    case 'bigquery':
      return `CAST('-inf' AS FLOAT64)`;
    case 'postgres':
      return `'-Infinity'::double precision`;
  }
}

/** Element `c` (0-based) of an array column, in the dialect's indexing. */
function element(d: SqlDialect, array: string, c: number): string {
  switch (d) {
    case 'duckdb':
    case 'postgres':
      return `${array}[${c + 1}]`;
    case 'spark':
      return `${array}[${c}]`;
    case 'bigquery':
      return `${array}[SAFE_OFFSET(${c})]`;
  }
}

/** `f(0) op f(1) op …`, evaluated left to right as the engine's loops add. */
const over = (k: number, f: (c: number) => string, op = ' + '): string => `(${Array.from({ length: k }, (_, c) => f(c)).join(op)})`;
const list = (k: number, f: (c: number) => string): string => Array.from({ length: k }, (_, c) => f(c)).join(', ');

/** The SQL statement (ending with a newline) giving `report`'s metrics of every model. */
export function multiclassSql(d: SqlDialect, src: SqlSource, report: MulticlassReport): string {
  const sum = d === 'duckdb' ? 'fsum' : 'SUM';
  const num = sqlNumber;
  const k = report.classes.length;
  const { gamma, labelSmoothing: E } = report.params;
  const weighted = report.weight !== null;
  const str = d === 'bigquery' || d === 'spark' ? 'STRING' : 'VARCHAR';
  const casts = [
    `CAST(${ident(d, report.target)} AS ${str}) AS lab`,
    ...report.models.flatMap((m, i) =>
      Array.from({ length: k }, (_, c) => `${toDouble(d, m.array !== undefined ? element(d, ident(d, m.array), c) : ident(d, m.columns[c]))} AS s${i}_${c}`),
    ),
    ...(weighted ? [`${toDouble(d, ident(d, report.weight as string))} AS w`] : []),
  ].join(',\n    ');
  // The class of a label: the same text first, then the same number (build.ts classOf).
  const text = `trim(lab)`;
  const numeric = report.classes.map((c, i) => ({ i, v: labelNumber(c, false) })).filter((x) => Number.isFinite(x.v));
  const classOf =
    `CASE ${report.classes.map((c, i) => `WHEN ${text} = ${literal(c.trim())} THEN ${i}`).join(' ')}` +
    (numeric.length ? ` ${numeric.map((x) => `WHEN ${toDouble(d, text)} = ${num(x.v)} THEN ${x.i}`).join(' ')}` : '') +
    ' END';
  const scores = report.models.flatMap((_, i) => Array.from({ length: k }, (_, c) => `s${i}_${c}`));
  const keep = ['y IS NOT NULL', ...scores.map((s) => `${s} IS NOT NULL AND ${finite(d, s)}`), ...(weighted ? [`w IS NOT NULL AND ${finite(d, 'w')} AND w >= 0`] : [])].join('\n    AND ');
  const ctes: string[] = [
    `r AS (\n  SELECT ${casts}\n  FROM ${sqlSource(d, src)}\n)`,
    `v AS (\n  SELECT * FROM (SELECT ${classOf} AS y, ${scores.join(', ')}, ${weighted ? 'w' : '1.0 AS w'} FROM r) x\n  WHERE ${keep}\n)`,
  ];
  const eps = num(LOG_LOSS_EPS);
  const clip = (x: string) => `least(greatest(${x}, ${eps}), ${num(1 - LOG_LOSS_EPS)})`;
  const ofClass = (f: (c: number) => string) => `CASE y ${Array.from({ length: k }, (_, c) => `WHEN ${c} THEN ${f(c)}`).join(' ')} END`;
  const bin = `CASE ${ECE_EDGES.slice(1, ECE_BINS)
    .map((e, b) => `WHEN top <= ${num(e)} THEN ${b}`)
    .join(' ')} ELSE ${ECE_BINS - 1} END`;
  const selects: string[] = [];
  report.models.forEach((m, i) => {
    const logits = m.scores === 'logits';
    const mean = (x: string) => `${sum}(w * (${x})) / ${sum}(w)`;
    // Rows: the scores, their maximum and argmax; logits: log-softmax l_c and softmax p_c; probabilities: p_c the scores, l_c = ln p_c.
    const x0 = `SELECT y, w, ${list(k, (c) => `s${i}_${c} AS s${c}`)}, greatest(${list(k, (c) => `s${i}_${c}`)}) AS mx FROM v`;
    const x1 = logits ? `SELECT *, ln(${over(k, (c) => `exp(s${c} - mx)`).slice(1, -1)}) AS lse FROM (${x0}) x0` : `SELECT * FROM (${x0}) x0`;
    const lc = (c: number) => (logits ? `s${c} - mx - lse` : `CASE WHEN s${c} > 0 THEN ln(s${c}) END`);
    const pc = (c: number) => (logits ? `exp(s${c} - mx - lse)` : `s${c}`);
    const arg = `CASE ${Array.from({ length: k }, (_, c) => `WHEN s${c} = mx THEN ${c}`).join(' ')} END`;
    const x2 = `SELECT y, w, ${list(k, (c) => `s${c}`)}, mx, ${list(k, (c) => `${lc(c)} AS l${c}`)}, ${list(k, (c) => `${pc(c)} AS p${c}`)}, ${arg} AS arg FROM (${x1}) x1`;
    const other = `greatest(${list(k, (c) => `CASE WHEN y = ${c} THEN ${minusInfinity(d)} ELSE s${c} END`)})`;
    const x3 =
      `SELECT y, w, ${list(k, (c) => `l${c}, p${c}`)}, arg, ${ofClass((c) => `l${c}`)} AS ly, ${ofClass((c) => `p${c}`)} AS py, ` +
      `${ofClass((c) => `s${c}`)} AS sy, ${logits ? other : nullDouble(d)} AS sother, greatest(${list(k, (c) => `p${c}`)}) AS top, ` +
      `${logits ? '0.0' : over(k, (c) => clip(`s${c}`))} AS cs, least(${list(k, (c) => `s${c}`)}) AS smin FROM (${x2}) x2`;
    ctes.push(`m${i} AS (\n  ${x3}\n)`);
    // Per row (metrics.ts): log loss, cross-entropy, focal, Brier, hinge.
    const logLoss = logits ? '-ly' : `-ln(${clip('py')} / cs)`;
    const ce = E > 0 ? `${num(1 - E)} * (-ly) + (${num(E)} * ${over(k, (c) => `l${c}`, ' - ').replace(/^\(/, '(-')}) / ${num(k)}` : '-ly';
    const focal = `-power(1.0 - py, ${num(gamma)}) * ly`;
    const brier = over(k, (c) => `(p${c} - CASE WHEN y = ${c} THEN 1.0 ELSE 0.0 END) * (p${c} - CASE WHEN y = ${c} THEN 1.0 ELSE 0.0 END)`);
    const hinge = `greatest(1.0 - (sy - sother), 0.0)`;
    // A probability of 0 makes a log −∞ (the CLI's null); these guards say when none is taken.
    const ceDefined = logits ? 'TRUE' : E > 0 ? 'min(smin) > 0' : 'min(py) > 0';
    const focalDefined = logits ? 'TRUE' : 'min(py) > 0';
    const perClass = Array.from({ length: k }, (_, c) =>
      [
        `${sum}(CASE WHEN y = ${c} AND arg = ${c} THEN w ELSE 0.0 END) AS tp${c}`,
        `${sum}(CASE WHEN y = ${c} THEN w ELSE 0.0 END) AS sup${c}`,
        `${sum}(CASE WHEN arg = ${c} THEN w ELSE 0.0 END) AS pred${c}`,
      ].join(', '),
    ).join(',\n    ');
    ctes.push(
      `c${i} AS (\n  SELECT count(*) AS n, ${sum}(w) AS wt, ${sum}(w * CASE WHEN arg = y THEN 1.0 ELSE 0.0 END) AS hits,\n` +
        `    ${mean(logLoss)} AS log_loss,\n` +
        `    CASE WHEN ${ceDefined} THEN ${mean(ce)} END AS ce,\n` +
        `    CASE WHEN ${focalDefined} THEN ${mean(focal)} END AS focal,\n` +
        `    ${mean(brier)} AS brier,\n` +
        `    ${logits ? mean(hinge) : nullDouble(d)} AS hinge,\n    ${perClass}\n  FROM m${i}\n)`,
      // One vs rest: each class's probability against "the label is that class", by distinct probability.
      `o${i} AS (\n  ${Array.from({ length: k }, (_, c) => `SELECT ${c} AS cls, p${c} AS s, CASE WHEN y = ${c} THEN 1.0 ELSE 0.0 END AS yy, w FROM m${i}`).join('\n  UNION ALL ')}\n)`,
      `t${i} AS (\n  SELECT cls, s, SUM(w * yy) AS pos, SUM(w * (1.0 - yy)) AS neg FROM o${i} GROUP BY cls, s\n)`,
      `k${i} AS (\n  SELECT sum(CASE WHEN P > 0 AND N > 0 THEN auc2 / (2.0 * P * N) END) / ${num(k)} AS auc, sum(CASE WHEN P > 0 AND N > 0 THEN ap / P END) / ${num(k)} AS ap,\n` +
        `    sum(CASE WHEN P > 0 AND N > 0 THEN 1 ELSE 0 END) AS ranked\n` +
        `  FROM (SELECT cls, SUM(pos * (2.0 * lower + neg)) AS auc2, SUM(CASE WHEN pos > 0 THEN pos * tp / (tp + fp) ELSE 0.0 END) AS ap, SUM(pos) AS P, SUM(neg) AS N\n` +
        `    FROM (SELECT cls, pos, neg,\n      COALESCE(SUM(neg) OVER (PARTITION BY cls ORDER BY s ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0.0) AS lower,\n` +
        `      SUM(pos) OVER (PARTITION BY cls ORDER BY s DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS tp,\n` +
        `      SUM(neg) OVER (PARTITION BY cls ORDER BY s DESC ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS fp FROM t${i}) z\n    GROUP BY cls) q\n)`,
      `b${i} AS (\n  SELECT SUM(abs(sy / bw - sp / bw) * bw) AS ece_w FROM (SELECT SUM(w) AS bw, SUM(w * top) AS sp, SUM(w * hit) AS sy FROM (SELECT w, top, CASE WHEN arg = y THEN 1.0 ELSE 0.0 END AS hit, ${bin} AS bin FROM m${i}) q GROUP BY bin) g WHERE bw > 0\n)`,
    );
    // From the confusion sums, as metrics.ts (scikit-learn's definitions).
    const present = (c: number) => `(sup${c} > 0 OR pred${c} > 0)`;
    const prec = (c: number) => `CASE WHEN pred${c} > 0 THEN tp${c} / pred${c} ELSE 0.0 END`;
    const rec = (c: number) => `CASE WHEN sup${c} > 0 THEN tp${c} / sup${c} ELSE 0.0 END`;
    const f1 = (c: number) => `CASE WHEN ${prec(c)} + ${rec(c)} > 0 THEN 2.0 * ${prec(c)} * ${rec(c)} / (${prec(c)} + ${rec(c)}) ELSE 0.0 END`;
    const macro = (f: (c: number) => string) => `${over(k, (c) => `CASE WHEN ${present(c)} THEN ${f(c)} ELSE 0.0 END`)} / NULLIF(${over(k, (c) => `CASE WHEN ${present(c)} THEN 1.0 ELSE 0.0 END`)}, 0.0)`;
    const withTrue = over(k, (c) => `CASE WHEN sup${c} > 0 THEN 1.0 ELSE 0.0 END`);
    const nc = over(k, (c) => `tp${c}`);
    const ns = over(k, (c) => `sup${c}`);
    const tp = over(k, (c) => `sup${c} * pred${c}`);
    const pp = over(k, (c) => `pred${c} * pred${c}`);
    const tt = over(k, (c) => `sup${c} * sup${c}`);
    const covTP = `(${nc} * ${ns} - ${tp})`;
    const covPP = `(${ns} * ${ns} - ${pp})`;
    const covTT = `(${ns} * ${ns} - ${tt})`;
    const fields = [
      `${literal(m.prediction)} AS model`,
      'n',
      `log_loss AS ${ident(d, 'logLoss')}`,
      `ce AS ${ident(d, 'crossEntropy')}`,
      'focal',
      'brier',
      'hinge',
      `hits / wt AS accuracy`,
      `${over(k, (c) => `CASE WHEN sup${c} > 0 THEN ${rec(c)} ELSE 0.0 END`)} / NULLIF(${withTrue}, 0.0) AS ${ident(d, 'balancedAccuracy')}`,
      `${macro(prec)} AS precision`,
      `${macro(rec)} AS recall`,
      `${macro(f1)} AS f1`,
      `CASE WHEN ${covTT} * ${covPP} = 0 THEN 0.0 ELSE ${covTP} / sqrt(${covTT} * ${covPP}) END AS mcc`,
      `CASE WHEN ranked = ${k} THEN auc END AS ${ident(d, 'rocAuc')}`,
      `CASE WHEN ranked = ${k} THEN ap END AS ${ident(d, 'averagePrecision')}`,
      `ece_w / wt AS ece`,
    ];
    selects.push(`SELECT\n  ${fields.join(',\n  ')}\nFROM c${i}, k${i}, b${i}`);
  });
  return (
    `-- Loss Inspector: the multiclass classification metrics of ${report.models.length} model${report.models.length === 1 ? '' : 's'} (${d}); classes ${report.classes.map(literal).join(', ')}; γ = ${gamma}, label smoothing ${E}; scores: ${report.models.map((m) => `${m.prediction} ${m.scores}`).join(', ')}.\n` +
    `WITH ${ctes.join(', ')}\n` +
    selects.join('\nUNION ALL\n') +
    ';\n'
  );
}
