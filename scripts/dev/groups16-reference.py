#!/usr/bin/env python3
"""Reference values for #16 item 5 per group and weighted, from scikit-learn 1.2 (and PyTorch's per-row NLL).

  /usr/bin/python3 scripts/dev/groups16-reference.py   # (re)writes test/fixtures/groups16/

Writes a pandas CSV of count targets with two predictions, a quantile set (q10, q50, q90), a
weight and a group column, and per group: the weighted MSLE, RMSLE, Poisson deviance, Tweedie
deviance at 1.5 (the targets have zeros, so there is no Gamma deviance), the Poisson NLL
(numpy.average of PyTorch's per-row loss: PyTorch has no weights) and each level's
mean_pinball_loss with sample_weight.
test/unit/countCurves.test.ts compares the engine's groups with expected.json within 1e-12.
"""
import json, os
import numpy as np, pandas as pd, torch
from sklearn import metrics as M

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'test', 'fixtures', 'groups16')

rng = np.random.default_rng(165)
n = 900
mu = np.exp(rng.normal(1.0, 0.7, n))
df = pd.DataFrame({
    'y_true': rng.poisson(mu).astype(np.int64),
    'pred_a': mu * np.exp(rng.normal(0, 0.3, n)),
    'pred_b': np.round(mu * 1.2 + 0.2, 3),
    'q10': np.maximum(mu - 2 * np.sqrt(mu), 0),
    'q50': mu,
    'q90': mu + 2 * np.sqrt(mu),
    'w': rng.integers(0, 5, n) * 0.5,
    'region': rng.choice(['north', 'south', 'east'], n),
})
os.makedirs(OUT, exist_ok=True)
df.to_csv(os.path.join(OUT, 'grouped.csv'), index=False)
df = pd.read_csv(os.path.join(OUT, 'grouped.csv'))  # the values as written

def nll(t, p):
    return torch.nn.PoissonNLLLoss(log_input=False, full=False, eps=1e-8, reduction='none')(
        torch.tensor(p, dtype=torch.float64), torch.tensor(t, dtype=torch.float64)).numpy()

groups = {}
for g, part in df.groupby('region'):
    t = part['y_true'].to_numpy(float)
    w = part['w'].to_numpy(float)
    groups[g] = {
        'models': {
            m: {
                'msle': M.mean_squared_log_error(t, part[m], sample_weight=w),
                'rmsle': M.mean_squared_log_error(t, part[m], sample_weight=w, squared=False),
                'poissonDeviance': M.mean_poisson_deviance(t, part[m], sample_weight=w),
                'tweedieDeviance': M.mean_tweedie_deviance(t, part[m], sample_weight=w, power=1.5),
                'poissonNll': float(np.average(nll(t, part[m].to_numpy(float)), weights=w)),
            } for m in ['pred_a', 'pred_b']
        },
        'pinball': [M.mean_pinball_loss(t, part[c], alpha=q, sample_weight=w) for c, q in [('q10', 0.1), ('q50', 0.5), ('q90', 0.9)]],
    }
with open(os.path.join(OUT, 'expected.json'), 'w') as f:
    json.dump({'flags': ['--prediction', 'pred_a,pred_b', '--quantiles', 'q10=0.1,q50=0.5,q90=0.9', '--weight', 'w', '--group-by', 'region'], 'groups': groups}, f, indent=1)
print('wrote', OUT)
