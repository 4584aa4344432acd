#!/usr/bin/env python3
"""Reference values of the metrics of counts and positive targets (#16), from scikit-learn 1.2 and PyTorch.

  /usr/bin/python3 scripts/dev/counts-reference.py write   # (re)write test/fixtures/counts/
  /usr/bin/python3 scripts/dev/counts-reference.py check   # compare `node dist/cli.js --json` with them (1e-12 relative)

`write` makes small CSV and JSON Lines files with pandas (its default float format) and records
what scikit-learn and PyTorch compute for each in expected.json; test/unit/counts.test.ts compares
the engine with that file in plain Node. A metric scikit-learn refuses (ValueError: a target or
prediction outside the domain) is null there, and the engine must say why in a warning.
"""
import json, math, os, subprocess, sys
import numpy as np, pandas as pd, torch
from sklearn import metrics as M

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, '..', '..')
OUT = os.path.join(ROOT, 'test', 'fixtures', 'counts')
KEYS = ['msle', 'rmsle', 'poissonDeviance', 'gammaDeviance', 'tweedieDeviance', 'poissonNll',
        'd2AbsoluteError', 'd2Pinball', 'd2Tweedie', 'explainedVariance']


def refuse_none(f):
    try:
        v = float(f())
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def reference(t, p, w=None, q=0.5, power=1.5, log_input=False):
    nll = torch.nn.PoissonNLLLoss(log_input=log_input, full=False, eps=1e-8, reduction='none')(
        torch.tensor(p, dtype=torch.float64), torch.tensor(t, dtype=torch.float64)).numpy()
    return {
        'msle': refuse_none(lambda: M.mean_squared_log_error(t, p, sample_weight=w)),
        'rmsle': refuse_none(lambda: M.mean_squared_log_error(t, p, sample_weight=w, squared=False)),
        'poissonDeviance': refuse_none(lambda: M.mean_poisson_deviance(t, p, sample_weight=w)),
        'gammaDeviance': refuse_none(lambda: M.mean_gamma_deviance(t, p, sample_weight=w)),
        'tweedieDeviance': refuse_none(lambda: M.mean_tweedie_deviance(t, p, sample_weight=w, power=power)),
        'poissonNll': refuse_none(lambda: np.average(nll, weights=w)),
        'd2AbsoluteError': refuse_none(lambda: M.d2_absolute_error_score(t, p, sample_weight=w)),
        'd2Pinball': refuse_none(lambda: M.d2_pinball_score(t, p, sample_weight=w, alpha=q)),
        'd2Tweedie': refuse_none(lambda: M.d2_tweedie_score(t, p, sample_weight=w, power=power)),
        'explainedVariance': refuse_none(lambda: M.explained_variance_score(t, p, sample_weight=w)),
    }


def frames():
    rng = np.random.default_rng(16)
    n = 1000
    mu = np.exp(rng.normal(1.0, 0.8, n))
    counts = pd.DataFrame({
        'y_true': rng.poisson(mu).astype(np.int64),
        'pred_a': mu * np.exp(rng.normal(0, 0.25, n)),
        'pred_b': np.round(mu * 1.3 + 0.1, 3),
    })
    shape = 2.0
    m2 = np.exp(rng.normal(2.0, 0.5, n))
    positive = pd.DataFrame({
        'y_true': rng.gamma(shape, m2 / shape),
        'pred_a': m2 * np.exp(rng.normal(0, 0.1, n)),
        'pred_b': np.full(n, float(np.mean(m2))),
        'w': rng.integers(1, 5, n) * 0.5,
    })
    rate = np.exp(rng.normal(0.5, 0.7, n))
    logrates = pd.DataFrame({'y_true': rng.poisson(rate), 'pred_log': np.log(rate) + rng.normal(0, 0.2, n)})
    mixed = positive[['y_true', 'pred_a']].copy()
    mixed.loc[::97, 'y_true'] = -mixed.loc[::97, 'y_true'] / 10  # a few negative targets
    return {'counts.csv': counts, 'positive.csv': positive, 'logrates.jsonl': logrates, 'mixed.csv': mixed}


# (file, flags, target, predictions, weight, quantile, power, log_input)
CASES = [
    ('counts.csv', [], 'y_true', ['pred_a', 'pred_b'], None, 0.5, 1.5, False),
    ('counts.csv', ['--quantile', '0.3', '--power', '1.2'], 'y_true', ['pred_a', 'pred_b'], None, 0.3, 1.2, False),
    ('counts.csv', ['--power', '1'], 'y_true', ['pred_a', 'pred_b'], None, 0.5, 1.0, False),
    ('positive.csv', ['--prediction', 'pred_a,pred_b', '--power', '2.5'], 'y_true', ['pred_a', 'pred_b'], None, 0.5, 2.5, False),
    ('positive.csv', ['--prediction', 'pred_a,pred_b', '--power', '2'], 'y_true', ['pred_a', 'pred_b'], None, 0.5, 2.0, False),
    ('positive.csv', ['--prediction', 'pred_a,pred_b', '--weight', 'w', '--power', '3', '--quantile', '0.8'], 'y_true', ['pred_a', 'pred_b'], 'w', 0.8, 3.0, False),
    ('positive.csv', ['--prediction', 'pred_a', '--weight', 'w', '--power', '0'], 'y_true', ['pred_a'], 'w', 0.5, 0.0, False),
    ('logrates.jsonl', ['--log-input'], 'y_true', ['pred_log'], None, 0.5, 1.5, True),
    ('mixed.csv', [], 'y_true', ['pred_a'], None, 0.5, 1.5, False),
    ('mixed.csv', ['--power', '-1'], 'y_true', ['pred_a'], None, 0.5, -1.0, False),
]


def read(name):
    path = os.path.join(OUT, name)
    return pd.read_json(path, lines=True) if name.endswith('.jsonl') else pd.read_csv(path, float_precision='round_trip')


def expected():
    out = []
    for (name, flags, tcol, preds, wcol, q, power, log_input) in CASES:
        df = read(name)
        t = df[tcol].to_numpy(np.float64)
        w = df[wcol].to_numpy(np.float64) if wcol else None
        models = [reference(t, df[p].to_numpy(np.float64), w, q, power, log_input) for p in preds]
        out.append({'file': name, 'flags': flags, 'models': models})
    return out


def write():
    os.makedirs(OUT, exist_ok=True)
    for name, df in frames().items():
        path = os.path.join(OUT, name)
        if name.endswith('.jsonl'):
            df.to_json(path, orient='records', lines=True)
        else:
            df.to_csv(path, index=False)
    with open(os.path.join(OUT, 'expected.json'), 'w') as f:
        json.dump(expected(), f, indent=1)
        f.write('\n')
    print('wrote', OUT)


def check():
    worst = 0.0
    bad = 0
    for case in expected():
        rep = json.loads(subprocess.check_output(['node', os.path.join(ROOT, 'dist', 'cli.js'), os.path.join(OUT, case['file']), '--json', *case['flags']]))
        for want, got in zip(case['models'], rep['models']):
            for k in KEYS:
                v, e = want[k], got['metrics'][k]
                if v is None or e is None:
                    ok = v is None and e is None
                    rel = 0.0
                else:
                    # A score 1 − A/B is compared through its ratio A/B (a score near 0 has no relative digits of its own).
                    a, b = (1 - e, 1 - v) if k.startswith('d2') or k == 'explainedVariance' else (e, v)
                    rel = abs(a - b) / max(abs(b), 1e-300)
                    ok = rel <= 1e-12
                worst = max(worst, rel)
                if not ok:
                    bad += 1
                print(f"{'  ' if ok else '✗ '}{case['file']:15s} {' '.join(case['flags']):45s} {got['prediction']:8s} {k:18s} engine={e!r:24} ref={v!r:24} rel={rel:.1e}")
    print(f'largest relative difference {worst:.2e}; {bad} mismatches')
    sys.exit(1 if bad else 0)


if __name__ == '__main__':
    {'write': write, 'check': check}[sys.argv[1] if len(sys.argv) > 1 else 'check']()
