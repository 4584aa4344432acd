#!/usr/bin/env python3
"""Reference values of a predicted variance's metrics (#16 item 2), from PyTorch and scipy.

  /usr/bin/python3 scripts/dev/variance-reference.py write   # (re)write test/fixtures/variance/
  /usr/bin/python3 scripts/dev/variance-reference.py check   # compare `node dist/cli.js --json` with them (1e-12 relative)

`write` makes small CSV and JSON Lines files with pandas (its default float format) and records in
expected.json what PyTorch's GaussianNLLLoss(full=False, eps=1e-6) computes, the Gaussian CRPS in
closed form with scipy's normal CDF and density (checked here against a numeric integral of
(F(x) − 1{x ≥ y})²), and the ±1σ/±2σ coverage; test/unit/variance.test.ts compares the engine
with that file in plain Node. A negative variance (GaussianNLLLoss raises ValueError) makes the
model's values null, and the engine must say why in a warning.
"""
import json, math, os, subprocess, sys
import numpy as np, pandas as pd, torch
from scipy import integrate, stats

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'variance')
EPS = 1e-6
KEYS = ['gaussianNll', 'crps', 'within1', 'within2', 'zMean', 'zSd']


def crps_gaussian(y, mu, sigma):
    """Gneiting & Raftery (2007), eq. 21; |d| at σ = 0."""
    d = np.abs(mu - y)
    with np.errstate(divide='ignore', invalid='ignore'):
        z = np.where(sigma > 0, d / sigma, 0.0)
    c = sigma * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / math.sqrt(math.pi))
    return np.where(sigma > 0, c, d)


def crps_integral(y, mu, sigma):
    """∫ (F(x) − 1{x ≥ y})² dx, split at y: the definition the closed form must agree with."""
    F = lambda x: stats.norm.cdf(x, mu, sigma)
    lo = integrate.quad(lambda x: F(x) ** 2, -np.inf, y, epsabs=1e-14, epsrel=1e-12, limit=200)[0]
    hi = integrate.quad(lambda x: (1 - F(x)) ** 2, y, np.inf, epsabs=1e-14, epsrel=1e-12, limit=200)[0]
    return lo + hi


def reference(t, p, var, sigma, w=None):
    if np.any(var < 0):
        try:
            torch.nn.GaussianNLLLoss(full=False, eps=EPS)(torch.tensor(p), torch.tensor(t), torch.tensor(var))
            raise AssertionError('PyTorch accepted a negative variance')
        except ValueError:
            return {k: None for k in KEYS}
    loss = torch.nn.GaussianNLLLoss(full=False, eps=EPS, reduction='mean' if w is None else 'none')
    nll = loss(torch.tensor(p, dtype=torch.float64), torch.tensor(t, dtype=torch.float64), torch.tensor(var, dtype=torch.float64)).numpy()
    nll = float(nll) if w is None else float(np.average(nll, weights=w))
    crps = crps_gaussian(t, p, sigma)
    d = p - t
    z = d / np.maximum(sigma, math.sqrt(EPS))
    ww = np.ones_like(t) if w is None else w
    avg = lambda x: float(math.fsum(ww * x) / math.fsum(ww))
    zm = avg(z)
    return {
        'gaussianNll': nll,
        'crps': avg(crps),
        'within1': avg(np.abs(d) <= sigma),
        'within2': avg(np.abs(d) <= 2 * sigma),
        'zMean': zm,
        'zSd': math.sqrt(max(0.0, avg(z * z) - zm * zm)),
    }


def frames():
    rng = np.random.default_rng(162)
    n = 1000
    x = rng.uniform(-2, 2, n)
    true_sd = 0.3 + 0.5 * np.abs(x)
    y = np.sin(x) * 3 + rng.normal(0, true_sd)
    gauss = pd.DataFrame({
        'y_true': y,
        'pred_a': np.sin(x) * 3 + rng.normal(0, 0.05, n),
        'pred_a_var': (true_sd * rng.uniform(0.8, 1.25, n)) ** 2,
        'pred_b_mean': np.sin(x) * 2.8,
        'pred_b_std': np.full(n, float(np.std(y - np.sin(x) * 2.8))),
        'w': rng.integers(1, 5, n) * 0.5,
        'region': np.array(['north', 'south', 'east'])[np.arange(n) % 3],
    })
    gauss.loc[::111, 'pred_a_var'] = 0.0  # clamped to eps by the NLL; the CRPS is |d| there
    gauss.loc[5::137, 'pred_a_var'] = 1e-9
    shared = pd.DataFrame({'y': y, 'y_pred': np.sin(x) * 3, 'sigma': true_sd})
    negative = gauss[['y_true', 'pred_a', 'pred_a_var']].rename(columns={'pred_a': 'pred', 'pred_a_var': 'pred_var'})
    negative.loc[[3, 40, 41], 'pred_var'] = -0.25
    return {'gauss.csv': gauss, 'shared.jsonl': shared, 'negative.csv': negative}


# (file, flags, target, [(prediction, spread column, 'var' | 'std')], weight[, group-by column])
CASES = [
    ('gauss.csv', ['--group-by', 'region', '--weight', 'w'], 'y_true', [('pred_a', 'pred_a_var', 'var'), ('pred_b_mean', 'pred_b_std', 'std')], 'w', 'region'),
    ('gauss.csv', [], 'y_true', [('pred_a', 'pred_a_var', 'var'), ('pred_b_mean', 'pred_b_std', 'std')], None),
    ('gauss.csv', ['--weight', 'w'], 'y_true', [('pred_a', 'pred_a_var', 'var'), ('pred_b_mean', 'pred_b_std', 'std')], 'w'),
    ('gauss.csv', ['--prediction', 'pred_a', '--std', 'pred_b_std'], 'y_true', [('pred_a', 'pred_b_std', 'std')], None),
    ('gauss.csv', ['--prediction', 'pred_a,pred_b_mean', '--variance', 'pred_a_var'], 'y_true', [('pred_a', 'pred_a_var', 'var'), ('pred_b_mean', 'pred_a_var', 'var')], None),
    ('gauss.csv', ['--prediction', 'pred_a,pred_b_mean', '--variance', 'pred_a_var,pred_b_std', '--weight', 'w'], 'y_true', [('pred_a', 'pred_a_var', 'var'), ('pred_b_mean', 'pred_b_std', 'var')], 'w'),
    ('shared.jsonl', [], 'y', [('y_pred', 'sigma', 'std')], None),
    ('negative.csv', [], 'y_true', [('pred', 'pred_var', 'var')], None),
]


def read(name):
    path = os.path.join(OUT, name)
    return pd.read_json(path, lines=True, dtype=False) if name.endswith('.jsonl') else pd.read_csv(path, float_precision='round_trip')


def expected():
    out = []
    for (name, flags, tcol, models, wcol, *gcol) in CASES:
        df = read(name)

        def refs_of(df):
            t = df[tcol].to_numpy(np.float64)
            w = df[wcol].to_numpy(np.float64) if wcol else None
            refs = []
            for (p, s, kind) in models:
                v = df[s].to_numpy(np.float64)
                var, sigma = (v, np.sqrt(np.maximum(v, 0))) if kind == 'var' else (v * v, v)
                refs.append({'prediction': p, 'spread': s, **reference(t, df[p].to_numpy(np.float64), var, sigma, w)})
            return refs
        case = {'file': name, 'flags': flags, 'models': refs_of(df)}
        if gcol:
            # Per group: the NLL and the CRPS (the rest is not kept per group).
            case['groups'] = {str(k): [{'prediction': r['prediction'], 'gaussianNll': r['gaussianNll'], 'crps': r['crps']} for r in refs_of(sub)]
                              for k, sub in df.groupby(gcol[0])}
        out.append(case)
    return out


def check_closed_form():
    """The closed form against the integral on a few rows, and a table of single values for the unit test."""
    rows = [(0.0, 0.0, 1.0), (1.3, -0.2, 0.7), (-4.0, 3.0, 0.01), (10.0, 10.5, 5.0), (2.0, 2.0, 1e-3), (0.0, 37.0, 1.0), (0.0, 0.001, 1e4)]
    table = []
    for (y, mu, s) in rows:
        c = float(crps_gaussian(np.array([y]), np.array([mu]), np.array([s]))[0])
        q = crps_integral(y, mu, s)
        assert abs(c - q) <= 1e-9 * max(abs(q), 1e-12) + 1e-13, (y, mu, s, c, q)
        table.append({'y': y, 'mu': mu, 'sigma': s, 'crps': c})
    zs = [-8.0, -5.0, -2.5, -1.0, -0.3, 0.0, 0.2, 0.5, 1.7, 3.0, 6.0, 9.0]
    return {'crps': table, 'cdf': [{'z': z, 'cdf': float(stats.norm.cdf(z))} for z in zs],
            'erf': [{'x': x, 'erf': float(math.erf(x))} for x in [-3.0, -0.6, -0.1, 1e-9, 0.3, 0.46875, 0.47, 1.0, 2.5, 4.0, 4.5, 6.0]]}


def write():
    os.makedirs(OUT, exist_ok=True)
    for name, df in frames().items():
        path = os.path.join(OUT, name)
        if name.endswith('.jsonl'):
            df.to_json(path, orient='records', lines=True, double_precision=15)
        else:
            df.to_csv(path, index=False)
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump({'cases': expected(), 'functions': check_closed_form()}, f, indent=1)
        f.write('\n')
    print('wrote', OUT)


def check():
    check_closed_form()
    worst = 0.0
    bad = 0
    for case in expected():
        rep = json.loads(subprocess.check_output(['node', os.path.join(ROOT, 'dist', 'cli.js'), os.path.join(OUT, case['file']), '--json', *case['flags']]))
        for want in case['models']:
            got = next(m for m in rep['models'] if m['prediction'] == want['prediction'])
            sp = got.get('spread') or {}
            z = sp.get('standardized') or {}
            cov = got.get('sigmaCoverage') or {}
            engine = {'gaussianNll': got['metrics'].get('gaussianNll'), 'crps': got['metrics'].get('crps'),
                      'within1': cov.get('within1'), 'within2': cov.get('within2'), 'zMean': z.get('mean'), 'zSd': z.get('sd')}
            for k in KEYS:
                v, e = want[k], engine[k]
                if v is None or e is None:
                    ok, rel = v is None and e is None, 0.0
                else:
                    # The SD of z subtracts mean² from the mean square: compare it on its own scale.
                    rel = abs(e - v) / max(abs(v), 1e-300)
                    ok = rel <= 1e-12
                worst = max(worst, rel)
                bad += 0 if ok else 1
                print(f"{'  ' if ok else '✗ '}{case['file']:13s} {' '.join(case['flags']):50s} {want['prediction']:12s} {k:12s} engine={e!r:24} ref={v!r:24} rel={rel:.1e}")
        for value, wants in case.get('groups', {}).items():
            g = next(x for x in rep['groups']['groups'] if x['value'] == value)
            for i, want in enumerate(wants):
                for k in ['gaussianNll', 'crps']:
                    v, e = want[k], g['metrics'][i].get(k)
                    rel = abs(e - v) / max(abs(v), 1e-300)
                    worst = max(worst, rel)
                    bad += 0 if rel <= 1e-12 else 1
                    print(f"{'  ' if rel <= 1e-12 else '✗ '}{case['file']:13s} group {value:8s} {want['prediction']:12s} {k:12s} engine={e!r:24} ref={v!r:24} rel={rel:.1e}")
    print(f'largest relative difference {worst:.2e}; {bad} mismatches')
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    {'write': write, 'check': check}[sys.argv[1] if len(sys.argv) > 1 else 'check']()
