#!/usr/bin/env python3
"""Reference values of the worst rows' shares of the quantile levels and of a predicted variance (#16 item 5).

  /usr/bin/python3 scripts/dev/shares16-reference.py write   # (re)write test/fixtures/shares16/expected.json
  /usr/bin/python3 scripts/dev/shares16-reference.py check   # compare `node dist/cli.js --json` with it (1e-12 relative)

On the files pandas wrote for #16 items 2 and 3 (test/fixtures/variance/, test/fixtures/quantiles/,
by variance-reference.py and quantiles-reference.py), per model: each row's loss with numpy —
the pinball loss of each level (q·(y − p) above, (1 − q)·(p − y) below), the Gaussian CRPS (closed
form with scipy's normal CDF and density) and z² = d²/max(σ², 1e-6) — the rows ranked by that
loss (a stable sort of −loss: ties to the earlier row), and for the worst ⌈1%·n⌉ and ⌈10%·n⌉ rows
the share of Σw·loss they carry and the weighted mean of the loss over the other rows (math.fsum).
test/unit/shares16.test.ts compares the engine with that file in plain Node.
"""
import json, math, os, subprocess, sys
import numpy as np, pandas as pd
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
FIX = os.path.join(ROOT, 'test', 'fixtures')
OUT = os.path.join(FIX, 'shares16')
EPS = 1e-6

# (file, flags, target, weight, [(prediction, spread column, 'var' | 'std')])
SPREAD_CASES = [
    ('variance/gauss.csv', [], 'y_true', None, [('pred_a', 'pred_a_var', 'var'), ('pred_b_mean', 'pred_b_std', 'std')]),
    ('variance/gauss.csv', ['--weight', 'w'], 'y_true', 'w', [('pred_a', 'pred_a_var', 'var'), ('pred_b_mean', 'pred_b_std', 'std')]),
    ('variance/gauss.csv', ['--prediction', 'pred_a,pred_b_mean', '--variance', 'pred_a_var'], 'y_true', None, [('pred_a', 'pred_a_var', 'var'), ('pred_b_mean', 'pred_a_var', 'var')]),
    ('variance/shared.jsonl', [], 'y', None, [('y_pred', 'sigma', 'std')]),
]
LEVELS = [('q05', 0.05), ('q10', 0.1), ('q25', 0.25), ('q50', 0.5), ('q75', 0.75), ('q90', 0.9), ('q95', 0.95)]
# (file, flags, target, weight, model, [(column, q)])
QUANTILE_CASES = [
    ('quantiles/quantiles.csv', [], 'y', None, 'q50', LEVELS),
    ('quantiles/quantiles.csv', ['--weight', 'w'], 'y', 'w', 'q50', LEVELS),
    ('quantiles/prefixed.jsonl', [], 'y_true', None, 'y_pred', [('y_pred_0.1', 0.1), ('y_pred_0.9', 0.9)]),
]


def read(name):
    path = os.path.join(FIX, name)
    return pd.read_json(path, lines=True, dtype=False) if name.endswith('.jsonl') else pd.read_csv(path, float_precision='round_trip')


def shares(loss, w):
    """The worst 1% and 10% rows by loss (ties: the earlier rows): [{rows, share, without}, …]."""
    n = len(loss)
    order = np.argsort(-loss, kind='stable')
    total = math.fsum(w * loss)
    out = []
    for f in (0.01, 0.1):
        k = max(1, math.ceil(f * n))
        top, rest = order[:k], order[k:]
        out.append({'rows': k, 'share': math.fsum(w[top] * loss[top]) / total, 'without': math.fsum(w[rest] * loss[rest]) / math.fsum(w[rest])})
    return out


def crps(d, sigma):
    a = np.abs(d)
    with np.errstate(divide='ignore', invalid='ignore'):
        z = np.where(sigma > 0, a / sigma, 0.0)
    c = sigma * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / math.sqrt(math.pi))
    return np.where(sigma > 0, c, a)


def expected():
    out = []
    for (name, flags, tcol, wcol, models) in SPREAD_CASES:
        df = read(name)
        t = df[tcol].to_numpy(np.float64)
        w = df[wcol].to_numpy(np.float64) if wcol else np.ones_like(t)
        refs = []
        for (p, s, kind) in models:
            d = df[p].to_numpy(np.float64) - t
            v = df[s].to_numpy(np.float64)
            var, sigma = (v, np.sqrt(v)) if kind == 'var' else (v * v, v)
            z2 = d * d / np.maximum(var, EPS)
            refs.append({'prediction': p, 'crps': shares(crps(d, sigma), w), 'zSquared': shares(z2, w), 'zSquaredMean': math.fsum(w * z2) / math.fsum(w)})
        out.append({'kind': 'spread', 'file': name, 'flags': flags, 'models': refs})
    for (name, flags, tcol, wcol, model, levels) in QUANTILE_CASES:
        df = read(name)
        t = df[tcol].to_numpy(np.float64)
        w = df[wcol].to_numpy(np.float64) if wcol else np.ones_like(t)
        per = []
        for (col, q) in levels:
            d = df[col].to_numpy(np.float64) - t
            per.append({'column': col, 'q': q, 'shares': shares(np.where(d <= 0, -q * d, (1 - q) * d), w)})
        out.append({'kind': 'quantiles', 'file': name, 'flags': flags, 'model': model, 'levels': per})
    return out


def engine_values(case, rep):
    """(what, engine value, reference value) of every number of the case."""
    for want in case.get('models', []):
        m = next(x for x in rep['models'] if x['prediction'] == want['prediction'])
        rob = m.get('spreadRobustness')
        for key in ('crps', 'zSquared'):
            for g, cut in zip(('worst1', 'worst10'), want[key]):
                for k in ('share', 'without'):
                    yield (f"{want['prediction']} {key} {g} {k}", rob and rob[g][k][key], cut[k])
                yield (f"{want['prediction']} {key} {g} rows", rob and rob[g]['rows'], cut['rows'])
        yield (f"{want['prediction']} zSquaredMean", rob and rob['zSquaredMean'], want['zSquaredMean'])
    if case['kind'] == 'quantiles':
        m = next(x for x in rep['models'] if x['prediction'] == case['model'])
        rob = m.get('quantileRobustness')
        for j, lv in enumerate(case['levels']):
            for g, cut in zip(('worst1', 'worst10'), lv['shares']):
                for k in ('share', 'without'):
                    yield (f"{case['model']} {lv['column']} {g} {k}", rob and rob[g][k][j], cut[k])


def check():
    worst = 0.0
    bad = 0
    for case in expected():
        rep = json.loads(subprocess.check_output(['node', os.path.join(ROOT, 'dist', 'cli.js'), os.path.join(FIX, case['file']), '--json', *case['flags']]))
        for (what, e, v) in engine_values(case, rep):
            rel = abs(e - v) / max(abs(v), 1e-300) if isinstance(e, (int, float)) else math.inf
            worst = max(worst, rel)
            ok = rel <= 1e-12
            bad += 0 if ok else 1
            print(f"{'  ' if ok else '✗ '}{case['file']:25s} {' '.join(case['flags']):45s} {what:38s} engine={e!r:24} ref={v!r:24} rel={rel:.1e}")
    print(f'largest relative difference {worst:.2e}; {bad} over 1e-12')
    sys.exit(1 if bad else 0)


def write():
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected(), f, indent=1)
        f.write('\n')
    print(f'wrote {os.path.join(OUT, "expected.json")}')


if __name__ == '__main__':
    {'write': write, 'check': check}[sys.argv[1] if len(sys.argv) > 1 else 'check']()
