#!/usr/bin/env python3
"""Reference values of the binary and multiclass classification metrics, from scikit-learn 1.2 and PyTorch.

  /usr/bin/python3 scripts/dev/classification-reference.py write   # (re)write test/fixtures/classification/
  /usr/bin/python3 scripts/dev/classification-reference.py check   # compare `node dist/cli.js --json` with them

`write` makes CSV, JSON Lines and JSON files with pandas (its default float format: 17
significant digits) and records what scikit-learn and PyTorch compute for each in expected.json;
test/unit/classification.test.ts compares the engine with that file in plain Node. ECE follows
torchmetrics' definition (15 bins (i/15, (i+1)/15], torch.bucketize), computed here with torch.
"""
import json, os, subprocess, sys
import numpy as np, pandas as pd, torch
import torch.nn.functional as F
from sklearn import metrics as M

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'test', 'fixtures', 'classification')

def ece(conf, correct, w=None):
    conf = torch.tensor(conf, dtype=torch.float64); correct = torch.tensor(correct, dtype=torch.float64)
    w = torch.ones_like(conf) if w is None else torch.tensor(w, dtype=torch.float64)
    edges = torch.linspace(0, 1, 16, dtype=torch.float64)
    idx = (torch.bucketize(conf, edges, right=False) - 1).clamp(min=0)
    cnt = torch.zeros(15, dtype=torch.float64).scatter_add_(0, idx, w)
    cs = torch.zeros(15, dtype=torch.float64).scatter_add_(0, idx, w * conf)
    ac = torch.zeros(15, dtype=torch.float64).scatter_add_(0, idx, w * correct)
    m = cnt > 0
    return float((torch.abs(ac[m] / cnt[m] - cs[m] / cnt[m]) * cnt[m] / cnt.sum()).sum())

def reference(y, s, logits, w=None, threshold=0.5, gamma=2.0, alpha=0.25):
    yt = torch.tensor(y, dtype=torch.float64); st = torch.tensor(s, dtype=torch.float64)
    if logits:
        p = torch.sigmoid(st).numpy()
        ll = F.softplus(torch.where(yt > 0, -st, st)).numpy()
        log_loss = float(np.average(ll, weights=w))
        bce = F.binary_cross_entropy_with_logits(st, yt, reduction='none')
        ps = torch.sigmoid(st)
        pred = s >= np.log(threshold / (1 - threshold))
        hinge = M.hinge_loss(2 * y - 1, s, sample_weight=w)
    else:
        p = s
        log_loss = M.log_loss(y, s, sample_weight=w, labels=[0, 1])
        bce = F.binary_cross_entropy(st, yt, reduction='none'); ps = st
        pred = s >= threshold
        hinge = None
    pt = ps * yt + (1 - ps) * (1 - yt)
    focal = bce * (1 - pt) ** gamma
    if alpha >= 0: focal = focal * (alpha * yt + (1 - alpha) * (1 - yt))
    out = {
        'logLoss': log_loss,
        'bce': float(np.average(bce.numpy(), weights=w)),
        'focal': float(np.average(focal.numpy(), weights=w)),
        'brier': M.brier_score_loss(y, p, sample_weight=w),
        'hinge': hinge,
        'accuracy': M.accuracy_score(y, pred, sample_weight=w),
        'balancedAccuracy': M.balanced_accuracy_score(y, pred, sample_weight=w),
        'precision': M.precision_score(y, pred, sample_weight=w, zero_division=0),
        'recall': M.recall_score(y, pred, sample_weight=w, zero_division=0),
        'f1': M.f1_score(y, pred, sample_weight=w, zero_division=0),
        'mcc': M.matthews_corrcoef(y, pred, sample_weight=w),
        'rocAuc': M.roc_auc_score(y, s, sample_weight=w) if 0 < y.sum() < len(y) else None,
        'averagePrecision': M.average_precision_score(y, s, sample_weight=w) if y.sum() > 0 else None,
        'ece': ece(p, y, w),
    }
    return {k: (None if v is None else float(v)) for k, v in out.items()}

def multi_reference(y, S, logits, w=None, gamma=2.0, eps_smooth=0.0):
    """y: class indices, S: n×k scores (probabilities or logits)."""
    St = torch.tensor(S, dtype=torch.float64); yt = torch.tensor(y, dtype=torch.long)
    k = S.shape[1]
    if logits:
        lsm = F.log_softmax(St, dim=1); P = lsm.exp().numpy()
        log_loss = float(np.average(-lsm[torch.arange(len(y)), yt].numpy(), weights=w))
        ce = F.cross_entropy(St, yt, label_smoothing=eps_smooth, reduction='none').numpy()
        hinge = M.hinge_loss(y, S, labels=list(range(k)), sample_weight=w)
    else:
        P = S; lsm = torch.log(St)
        log_loss = M.log_loss(y, S, labels=list(range(k)), sample_weight=w)
        nll = -lsm[torch.arange(len(y)), yt]
        ce = ((1 - eps_smooth) * nll + eps_smooth * (-lsm.sum(dim=1)) / k).numpy()
        hinge = None
    pt = torch.tensor(P[np.arange(len(y)), y]); lpt = lsm[torch.arange(len(y)), yt]
    focal = (-(1 - pt) ** gamma * lpt).numpy()
    onehot = np.eye(k)[y]
    pred = S.argmax(axis=1)
    out = {
        'logLoss': log_loss,
        'crossEntropy': float(np.average(ce, weights=w)),
        'focal': float(np.average(focal, weights=w)),
        'brier': float(np.average(((P - onehot) ** 2).sum(axis=1), weights=w)),
        'hinge': hinge,
        'accuracy': M.accuracy_score(y, pred, sample_weight=w),
        'balancedAccuracy': M.balanced_accuracy_score(y, pred, sample_weight=w),
        'precision': M.precision_score(y, pred, average='macro', sample_weight=w, zero_division=0),
        'recall': M.recall_score(y, pred, average='macro', sample_weight=w, zero_division=0),
        'f1': M.f1_score(y, pred, average='macro', sample_weight=w, zero_division=0),
        'mcc': M.matthews_corrcoef(y, pred, sample_weight=w),
        'rocAuc': M.roc_auc_score(y, P, multi_class='ovr', average='macro', sample_weight=w),
        'averagePrecision': M.average_precision_score(onehot, P, average='macro', sample_weight=w),
        'ece': ece(P.max(axis=1), (pred == y).astype(float), w),
    }
    return {k2: (None if v is None else float(v)) for k2, v in out.items()}

def multi_cases():
    rng = np.random.default_rng(7)
    n, k = 2500, 5
    names = np.array(['ant', 'bee', 'cat', 'dog', 'eel'])
    y = rng.integers(0, k, n)
    z = rng.normal(0, 1.7, (n, k)); z[np.arange(n), y] += 1.1
    z[:30] = np.round(z[:30])
    P = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    w = np.round(rng.random(n) * 3, 3)
    df = pd.DataFrame({'label': names[y], 'y': y})
    for c in range(k): df[f'proba_{names[c]}'] = P[:, c]
    for c in range(k): df[f'logit_{c}'] = z[:, c]
    df['w'] = w
    df.to_csv(os.path.join(OUT, 'multiclass.csv'), index=False)
    out = []
    out.append(('multiclass.csv', ['--target', 'label'], y, [(P, False)], None, {}))
    out.append(('multiclass.csv', ['--target', 'label', '--weight', 'w'], y, [(P, False)], w, {}))
    out.append(('multiclass.csv', ['--target', 'y'], y, [(z, True)], None, {}))
    out.append(('multiclass.csv', ['--target', 'y', '--label-smoothing', '0.1', '--gamma', '1.5', '--weight', 'w'], y, [(z, True)], w, {'gamma': 1.5, 'eps_smooth': 0.1}))
    return out

def multi_array_cases():
    """Scores as one array per row (issue #13): pandas' list columns and json.dump's lists."""
    rng = np.random.default_rng(11)
    n, k = 1200, 6
    y = rng.integers(0, k, n)
    # No rounded (tied) logits here: the softmax of two rows holding the same logits in another order
    # can differ in the last bit between torch and the engine, which breaks AP's ties differently.
    z = rng.normal(0, 1.6, (n, k)); z[np.arange(n), y] += 1.2
    P = np.exp(z) / np.exp(z).sum(1, keepdims=True)
    w = np.round(rng.random(n) * 3, 3)
    # pandas to_json(orient='records', lines=True) with list columns (its default 10 digits): the
    # reference reads the file back, as the engine does.
    df = pd.DataFrame({'label': y, 'probs': list(P), 'logits': list(z), 'w': w})
    df.to_json(os.path.join(OUT, 'multiclass-array.jsonl'), orient='records', lines=True)
    back = pd.read_json(os.path.join(OUT, 'multiclass-array.jsonl'), lines=True)
    Pb = np.array(back['probs'].tolist()); zb = np.array(back['logits'].tolist()); yb = back['label'].to_numpy()
    # Python's json.dump of a list of dicts (repr floats: every digit).
    with open(os.path.join(OUT, 'multiclass-array.json'), 'w') as f:
        json.dump([{'y_true': int(y[i]), 'y_prob': P[i].tolist(), 'w': float(w[i])} for i in range(n)], f)
    out = []
    out.append(('multiclass-array.jsonl', [], yb, [(Pb, False), (zb, True)], None, {}))
    out.append(('multiclass-array.jsonl', ['--prediction', 'logits', '--weight', 'w', '--label-smoothing', '0.05'], yb, [(zb, True)], back['w'].to_numpy(), {'eps_smooth': 0.05}))
    out.append(('multiclass-array.json', [], y, [(P, False)], None, {}))
    out.append(('multiclass-array.json', ['--weight', 'w', '--gamma', '0.5'], y, [(P, False)], w, {'gamma': 0.5}))
    return out

def cases():
    rng = np.random.default_rng(20261202)
    n = 3000
    y = (rng.random(n) < 0.35).astype(int)
    z = rng.normal(0, 1.8, n) + 1.3 * y
    z[:40] = np.round(z[:40])            # ties
    z[40] = 45.0; z[41] = -45.0           # saturated probabilities
    p = 1 / (1 + np.exp(-z))
    p[50] = 0.0; p[51] = 1.0; p[52] = 1e-300
    w = np.round(rng.random(n) * 3, 3)
    names = np.where(y == 1, 'spam', 'ham')
    out = []
    df = pd.DataFrame({'y_true': y, 'prob': p, 'logit': z, 'w': w, 'label': names, 'pm': 2 * y - 1})
    df.to_csv(os.path.join(OUT, 'binary.csv'), index=False)
    df.to_json(os.path.join(OUT, 'binary.jsonl'), orient='records', lines=True, double_precision=15)
    out.append(('binary.csv', ['--target', 'y_true', '--prediction', 'prob,logit'], y, [(p, False), (z, True)], None))
    out.append(('binary.csv', ['--target', 'y_true', '--prediction', 'prob,logit', '--weight', 'w'], y, [(p, False), (z, True)], w))
    out.append(('binary.csv', ['--target', 'label', '--prediction', 'prob', '--positive', 'spam'], y, [(p, False)], None))
    out.append(('binary.csv', ['--target', 'pm', '--prediction', 'logit', '--threshold', '0.3'], y, [(z, True)], None, 0.3))
    out.append(('binary.csv', ['--target', 'y_true', '--prediction', 'prob', '--gamma', '0.5', '--alpha', '-1'], y, [(p, False)], None, 0.5, 0.5, -1))
    # JSON Lines written by pandas (15 significant digits): the reference reads the same file back.
    back = pd.read_json(os.path.join(OUT, 'binary.jsonl'), lines=True)
    out.append(('binary.jsonl', ['--target', 'y_true', '--prediction', 'prob,logit'], back['y_true'].to_numpy(), [(back['prob'].to_numpy(), False), (back['logit'].to_numpy(), True)], None))
    return out

def run_cli(name, flags, threads):
    cmd = ['node', os.path.join(HERE, '..', '..', 'dist', 'cli.js'), os.path.join(OUT, name), '--json', '--threads', str(threads)] + flags
    return json.loads(subprocess.check_output(cmd))

def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else 'check'
    os.makedirs(OUT, exist_ok=True)
    expected = []
    for case in cases():
        name, flags, y, models, w = case[:5]
        threshold = case[5] if len(case) > 5 else 0.5
        gamma = case[6] if len(case) > 6 else 2.0
        alpha = case[7] if len(case) > 7 else 0.25
        refs = [reference(y, s, lg, w, threshold, gamma, alpha) for s, lg in models]
        expected.append({'file': name, 'flags': flags, 'models': refs})
    for name, flags, y, models, w, kw in multi_cases() + multi_array_cases():
        expected.append({'file': name, 'flags': flags, 'models': [multi_reference(y, S, lg, w, **kw) for S, lg in models]})
    if mode == 'write':
        with open(os.path.join(OUT, 'expected.json'), 'w') as f:
            json.dump(expected, f, indent=1)
        print('wrote', len(expected), 'cases to', OUT)
        return
    worst = 0.0
    for e in expected:
        for threads in (1, 2):
            rep = run_cli(e['file'], e['flags'], threads)
            if len(rep['models']) != len(e['models']) or rep.get('task') not in ('binary', 'multiclass'):
                print('MISMATCH', e['file'], e['flags'], 'task', rep.get('task'), 'models', [m['prediction'] for m in rep['models']])
                continue
            for m, ref in zip(rep['models'], e['models']):
                for k, v in ref.items():
                    got = m['metrics'][k]
                    if v is None or got is None:
                        if v != got: print('MISMATCH', e['file'], e['flags'], k, got, v)
                        continue
                    rel = abs(got - v) / max(abs(v), 1e-300)
                    worst = max(worst, rel)
                    if rel > 1e-12: print('MISMATCH', e['file'], e['flags'], k, got, v, f'{rel:.2e}')
    print(f'largest relative difference: {worst:.2e}')

main()
