#!/usr/bin/env python3
"""Reference check of the worst rows by Gaussian NLL, CRPS and each quantile level's pinball loss (#16 item 5).

  /usr/bin/python3 scripts/dev/worst16-reference.py   # after `npm run build`; exits 1 on a difference

On the files pandas wrote for #16 items 2 and 3 (test/fixtures/variance/, test/fixtures/quantiles/),
per model: each row's loss — PyTorch's gaussian_nll_loss(full=False, eps=1e-6, reduction="none"),
the Gaussian CRPS in closed form with scipy's normal CDF and density, numpy's pinball loss of
each level — ranked by a stable sort of −loss (ties to the earlier row), the first --top rows.
Compared with `node dist/cli.js FILE --json`'s worstByLoss.gaussianNll / .crps and
quantiles[].worst: the same lines in the same order, the same σ, each loss within 1e-12 relative.
"""
import json, math, os, subprocess, sys
import numpy as np, pandas as pd, torch
from scipy import stats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
FIX = os.path.join(ROOT, 'test', 'fixtures')
TOP = 10
SPREAD_CASES = [
    ('variance/gauss.csv', [], 'y_true', [('pred_a', 'pred_a_var', 'var'), ('pred_b_mean', 'pred_b_std', 'std')]),
    ('variance/shared.jsonl', [], 'y', [('y_pred', 'sigma', 'std')]),
]
QUANTILE_CASES = [
    ('quantiles/quantiles.csv', [], 'y', 'q50', [('q05', 0.05), ('q10', 0.1), ('q25', 0.25), ('q50', 0.5), ('q75', 0.75), ('q90', 0.9), ('q95', 0.95)]),
    ('quantiles/prefixed.jsonl', [], 'y_true', 'y_pred', [('y_pred_0.1', 0.1), ('y_pred_0.9', 0.9)]),
]


def read(name):
    path = os.path.join(FIX, name)
    return pd.read_json(path, lines=True, dtype=False) if name.endswith('.jsonl') else pd.read_csv(path, float_precision='round_trip')


def crps(d, sigma):
    a = np.abs(d)
    with np.errstate(divide='ignore', invalid='ignore'):
        z = np.where(sigma > 0, a / sigma, 0.0)
    c = sigma * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / math.sqrt(math.pi))
    return np.where(sigma > 0, c, a)


def top(loss):
    """Row indices of the TOP largest losses, ties to the earlier row; lines are index + 2 (a header line)."""
    return np.argsort(-loss, kind='stable')[:TOP]


def cli(name, flags):
    return json.loads(subprocess.check_output(['node', os.path.join(ROOT, 'dist', 'cli.js'), os.path.join(FIX, name), '--json', *flags]))


def line_of(name, i):
    # CSV: a header line first; JSON Lines: one row per line.
    return int(i) + (1 if name.endswith('.jsonl') else 2)


def compare(what, name, rows, loss, idx, sigma=None):
    bad, worst = 0, 0.0
    want = [line_of(name, i) for i in idx]
    got = [r['line'] for r in rows]
    if got != want:
        print(f'{what}: lines {got} != {want}')
        return 1, math.inf
    for r, i in zip(rows, idx):
        rel = abs(r['loss'] - loss[i]) / max(abs(loss[i]), 1e-300)
        worst = max(worst, rel)
        if rel > 1e-12:
            print(f'{what} line {r["line"]}: loss {r["loss"]} != {loss[i]}')
            bad += 1
        if sigma is not None and abs(r['sigma'] - sigma[i]) > 1e-12 * max(abs(sigma[i]), 1e-300):
            print(f'{what} line {r["line"]}: sigma {r["sigma"]} != {sigma[i]}')
            bad += 1
    return bad, worst


def main():
    bad, worst, n = 0, 0.0, 0
    for (name, flags, tcol, models) in SPREAD_CASES:
        df, rep = read(name), cli(name, flags)
        t = df[tcol].to_numpy(np.float64)
        for (p, s, kind) in models:
            m = next(x for x in rep['models'] if x['prediction'] == p)
            mu = df[p].to_numpy(np.float64)
            v = df[s].to_numpy(np.float64)
            var, sigma = (v, np.sqrt(v)) if kind == 'var' else (v * v, v)
            nll = torch.nn.functional.gaussian_nll_loss(torch.tensor(mu), torch.tensor(t), torch.tensor(var), full=False, eps=1e-6, reduction="none").numpy()
            c = crps(mu - t, sigma)
            for key, loss in (('gaussianNll', nll), ('crps', c)):
                b, w = compare(f'{name} {p} {key}', name, m['worstByLoss'][key], loss, top(loss), sigma)
                bad, worst, n = bad + b, max(worst, w), n + 1
    for (name, flags, tcol, model, levels) in QUANTILE_CASES:
        df, rep = read(name), cli(name, flags)
        t = df[tcol].to_numpy(np.float64)
        m = next(x for x in rep['models'] if x['prediction'] == model)
        for (col, q) in levels:
            d = df[col].to_numpy(np.float64) - t
            loss = np.where(d <= 0, -q * d, (1 - q) * d)
            level = next(x for x in m['quantiles'] if x['column'] == col)
            b, w = compare(f'{name} {col}', name, level['worst'], loss, top(loss))
            bad, worst, n = bad + b, max(worst, w), n + 1
    print(f'{n} lists, {bad} differences, largest relative difference of a loss {worst:.2g}')
    sys.exit(1 if bad else 0)


main()
