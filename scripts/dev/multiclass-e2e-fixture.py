#!/usr/bin/env python3
"""The multiclass file of the real-VS-Code scenario 23 and what scikit-learn 1.2 says of it.

  /usr/bin/python3 scripts/dev/multiclass-e2e-fixture.py    # (re)writes test/fixtures/multiclass/

animals.csv: a string label (cat, dog, bird) and two models, `p_*` probabilities (rows sum to 1)
and `logit_*` logits, written by pandas (17 significant digits); a few rows with a missing score
(skipped by the engine and dropped here). expected.json: scikit-learn's log_loss, accuracy,
confusion matrix (labels in code-point order, as the report orders them) and per-class support.
"""
import json, os
import numpy as np, pandas as pd
from sklearn import metrics as M
from scipy.special import softmax

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'test', 'fixtures', 'multiclass')
CLASSES = ['bird', 'cat', 'dog']  # code-point order, the report's class order

rng = np.random.default_rng(23)
n = 600
y = rng.choice(len(CLASSES), size=n, p=[0.2, 0.45, 0.35])
signal = np.eye(3)[y] * rng.uniform(0.5, 3.0, size=(n, 1))
z1 = signal + rng.normal(0, 1.0, size=(n, 3))
z2 = 0.7 * signal + rng.normal(0, 1.2, size=(n, 3))
# A few confidently wrong rows (label errors).
for i in rng.choice(n, size=8, replace=False):
    z1[i] = -6 * np.eye(3)[y[i]] + 3
p1 = softmax(z1, axis=1)
df = pd.DataFrame({'label': [CLASSES[k] for k in y]})
# Columns in another order than the classes: cat, dog, bird.
for c in ['cat', 'dog', 'bird']:
    df[f'p_{c}'] = p1[:, CLASSES.index(c)]
for c in ['cat', 'dog', 'bird']:
    df[f'logit_{c}'] = z2[:, CLASSES.index(c)]
skip = [17, 230, 411]
df.loc[skip, 'p_dog'] = np.nan
os.makedirs(OUT, exist_ok=True)
df.to_csv(os.path.join(OUT, 'animals.csv'), index=False)

back = pd.read_csv(os.path.join(OUT, 'animals.csv'))
used = back.dropna()
yt = used['label'].to_numpy()
out = {'rows': {'total': len(back), 'used': len(used), 'skipped': len(back) - len(used), 'skippedLines': [i + 2 for i in skip]}, 'classes': CLASSES, 'models': {}}
for name in ['p', 'logit']:
    s = used[[f'{name}_{c}' for c in CLASSES]].to_numpy()
    prob = s if name == 'p' else softmax(s, axis=1)
    pred = np.array(CLASSES)[s.argmax(axis=1)]
    out['models'][name] = {
        'logLoss': M.log_loss(yt, prob, labels=CLASSES),
        'accuracy': M.accuracy_score(yt, pred),
        'f1': M.f1_score(yt, pred, average='macro'),
        'confusion': M.confusion_matrix(yt, pred, labels=CLASSES).tolist(),
        'support': [int((yt == c).sum()) for c in CLASSES],
    }
with open(os.path.join(OUT, 'expected.json'), 'w') as f:
    json.dump(out, f, indent=1)
    f.write('\n')
print(json.dumps(out, indent=1))
