#!/usr/bin/env python3
"""Reference values of quantile sets (#16 item 3), from scikit-learn 1.2 and numpy.

  /usr/bin/python3 scripts/dev/quantiles-reference.py write   # (re)write test/fixtures/quantiles/
  /usr/bin/python3 scripts/dev/quantiles-reference.py check   # compare `node dist/cli.js --json` with them (1e-12 relative)

`write` makes small CSV and JSON Lines files with pandas (its default float format, a weight
column, rows whose quantiles cross) and records in expected.json, per set: scikit-learn's
mean_pinball_loss(y, column, alpha=q, sample_weight=w) per level, the (weighted) share of targets
≤ the column, and per central interval (levels q and 1 − q) its coverage, mean width and mean
interval score (Gneiting & Raftery 2007, unscaled, α = 2q), with np.average. test/unit/quantiles.test.ts
compares the engine with that file in plain Node.
"""
import json, os, subprocess, sys
import numpy as np, pandas as pd
from sklearn import metrics as M

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'quantiles')
LEVELS = {'q05': 0.05, 'q10': 0.1, 'q25': 0.25, 'q50': 0.5, 'q75': 0.75, 'q90': 0.9, 'q95': 0.95}
Z = {0.05: -1.6448536269514729, 0.1: -1.2815515655446004, 0.25: -0.6744897501960817, 0.5: 0.0}


def frames():
    rng = np.random.default_rng(163)
    n = 1000
    x = rng.uniform(0, 10, n)
    scale = 0.5 + 0.3 * x  # heteroscedastic: the quantiles spread with x
    y = 3 * np.sin(x) + x + scale * rng.standard_t(5, n)
    mean = 3 * np.sin(x) + x + rng.normal(0, 0.2, n)
    noise = rng.normal(0, 0.15, (n, len(LEVELS)))  # per-column noise: some rows cross
    cols = {'y': y}
    for k, (name, q) in enumerate(LEVELS.items()):
        z = Z[q] if q <= 0.5 else -Z[round(1 - q, 2)]
        cols[name] = mean + z * scale * 1.1 + noise[:, k] * scale
    cols['w'] = rng.integers(1, 5, n) * 0.25
    quantiles = pd.DataFrame(cols)
    # A point prediction and a set named after it (y_pred, y_pred_0.1, y_pred_0.9), in JSON Lines.
    prefixed = pd.DataFrame({'y_true': y, 'y_pred': mean, 'y_pred_0.1': cols['q10'], 'y_pred_0.9': cols['q90']})
    return {'quantiles.csv': quantiles, 'prefixed.jsonl': prefixed}


def reference(t, cols, w):
    """cols: [(column, q, values)] by increasing q."""
    qs = [{'column': c, 'q': q, 'pinball': float(M.mean_pinball_loss(t, p, alpha=q, sample_weight=w)),
           'share': float(np.average((t <= p).astype(np.float64), weights=w))} for c, q, p in cols]
    intervals = []
    for i in range(len(cols) - 1, -1, -1):
        cl, ql, l = cols[i]
        if not ql < 0.5:
            continue
        for ch, qh, u in cols:
            if abs(ql + qh - 1) <= 1e-9 and qh > ql:
                alpha = 2 * ql
                score = (u - l) + np.where(t < l, (2 / alpha) * (l - t), 0) + np.where(t > u, (2 / alpha) * (t - u), 0)
                intervals.append({'low': cl, 'high': ch, 'nominal': 1 - alpha,
                                  'coverage': float(np.average(((t >= l) & (t <= u)).astype(np.float64), weights=w)),
                                  'width': float(np.average(u - l, weights=w)),
                                  'score': float(np.average(score, weights=w))})
    crossing = np.zeros(len(t), bool)
    for (_, _, a), (_, _, b) in zip(cols, cols[1:]):
        crossing |= a > b
    return qs, intervals, int(crossing.sum())


# (file, flags, target, model, [(column, q)], weight)
QCOLS = list(LEVELS.items())
CASES = [
    ('quantiles.csv', [], 'y', 'q50', QCOLS, None),
    ('quantiles.csv', ['--weight', 'w'], 'y', 'q50', QCOLS, 'w'),
    ('quantiles.csv', ['--quantiles', 'q10=0.1,q50=0.5,q90=0.9', '--weight', 'w'], 'y', 'q50', [('q10', 0.1), ('q50', 0.5), ('q90', 0.9)], 'w'),
    ('prefixed.jsonl', [], 'y_true', 'y_pred', [('y_pred_0.1', 0.1), ('y_pred_0.9', 0.9)], None),
]


def read(name):
    path = os.path.join(OUT, name)
    return pd.read_json(path, lines=True) if name.endswith('.jsonl') else pd.read_csv(path, float_precision='round_trip')


def expected():
    out = []
    for (name, flags, tcol, model, qcols, wcol) in CASES:
        df = read(name)
        t = df[tcol].to_numpy(np.float64)
        w = df[wcol].to_numpy(np.float64) if wcol else None
        qs, iv, crossing = reference(t, [(c, q, df[c].to_numpy(np.float64)) for c, q in qcols], w)
        out.append({'file': name, 'flags': flags, 'model': model, 'quantiles': qs, 'quantileIntervals': iv, 'crossingRows': crossing})
    return out


def write():
    os.makedirs(OUT, exist_ok=True)
    for name, df in frames().items():
        path = os.path.join(OUT, name)
        if name.endswith('.jsonl'):
            df.to_json(path, orient='records', lines=True, double_precision=15)
        else:
            df.to_csv(path, index=False)
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected(), f, indent=1)
        f.write('\n')
    print('wrote', OUT)


def rel(a, b):
    return abs(a - b) / max(abs(b), 1e-300)


def check():
    worst = 0.0
    bad = 0
    for case in expected():
        rep = json.loads(subprocess.check_output(['node', os.path.join(ROOT, 'dist', 'cli.js'), os.path.join(OUT, case['file']), '--json', *case['flags']]))
        m = next(m for m in rep['models'] if m['prediction'] == case['model'])
        pairs = [(f"{q['column']} {k}", g[k], q[k]) for q, g in zip(case['quantiles'], m['quantiles']) for k in ('q', 'pinball', 'share')]
        pairs += [(f"{i['low']}–{i['high']} {k}", g[k], i[k]) for i, g in zip(case['quantileIntervals'], m['quantileIntervals']) for k in ('nominal', 'coverage', 'width', 'score')]
        if len(m['quantiles']) != len(case['quantiles']) or len(m['quantileIntervals']) != len(case['quantileIntervals']):
            bad += 1
            print('✗ different levels or intervals', case['file'], case['flags'])
        for what, e, v in pairs:
            r = rel(e, v)
            worst = max(worst, r)
            ok = r <= 1e-12
            bad += 0 if ok else 1
            print(f"{'  ' if ok else '✗ '}{case['file']:15s} {' '.join(case['flags']):40s} {what:22s} engine={e!r:24} ref={v!r:24} rel={r:.1e}")
    print(f'largest relative difference {worst:.2e}; {bad} mismatches')
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    {'write': write, 'check': check}[sys.argv[1] if len(sys.argv) > 1 else 'check']()
