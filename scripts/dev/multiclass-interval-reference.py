#!/usr/bin/env python3
"""Reference standard errors of the multiclass intervals and comparisons (#15), from scikit-learn.

    /usr/bin/python3 scripts/dev/multiclass-interval-reference.py   # writes test/fixtures/intervals/multi-*.csv, bin-weighted.csv, multiclass.json

Every interval the engine gives these metrics is value ± z·se with se² = Σ_i w_i²·g_i², g_i the
derivative of the metric with respect to row i's weight (the infinitesimal jackknife; for the
confusion metrics it is the delta method over the cells). Here g_i is a central finite difference
of scikit-learn's own function (precision/recall/f1_score average='macro', balanced_accuracy_score,
matthews_corrcoef, roc_auc_score and average_precision_score one class against the rest, and
torchmetrics' top-label ECE written with numpy), so the engine's closed forms are checked against
the formulas they linearise. ROC AUC: each class's positives' and negatives' parts are multiplied
by √(n/(n − 1)) (n Kish's effective size), as DeLong's ddof = 1. Paired: se² = Σ w²·(g_b − g_a)²;
also for two binary models' average precision and ECE (torchmetrics' binary ECE).
test/unit/multiIntervals.test.ts compares to 1e-6 relative (the finite differences' accuracy).
A development aid, not a dependency.
"""
import json, os
import numpy as np
from sklearn.metrics import (precision_score, recall_score, f1_score, balanced_accuracy_score,
                             matthews_corrcoef, roc_auc_score, average_precision_score)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'test', 'fixtures', 'intervals')
K = 3


def ece(p, y, w):
    """torchmetrics MulticlassCalibrationError(n_bins=15, norm='l1'), weighted as the engine."""
    conf = p.max(axis=1)
    correct = (p.argmax(axis=1) == y).astype(float)
    edges = np.linspace(0, 1, 16)
    b = np.clip(np.searchsorted(edges, conf, side='left') - 1, 0, 14)
    total = 0.0
    for j in range(15):
        m = b == j
        total += abs(np.sum(w[m] * (correct[m] - conf[m])))
    return total / w.sum()


def per_class_auc(p, y, w, c):
    return roc_auc_score((y == c).astype(int), p[:, c], sample_weight=w)


def per_class_ap(p, y, w, c):
    return average_precision_score((y == c).astype(int), p[:, c], sample_weight=w)


def metrics(p, y, w):
    d = p.argmax(axis=1)
    labels = list(range(K))
    return {
        'precision': precision_score(y, d, labels=labels, average='macro', sample_weight=w, zero_division=0),
        'recall': recall_score(y, d, labels=labels, average='macro', sample_weight=w, zero_division=0),
        'f1': f1_score(y, d, labels=labels, average='macro', sample_weight=w, zero_division=0),
        'balancedAccuracy': balanced_accuracy_score(y, d, sample_weight=w),
        'mcc': matthews_corrcoef(y, d, sample_weight=w),
        'averagePrecision': np.mean([per_class_ap(p, y, w, c) for c in range(K)]),
        'ece': ece(p, y, w),
    }


def gradients(p, y, w):
    """Per metric, g_i = ∂m/∂w_i by central differences; ROC AUC with DeLong's ddof factors."""
    n = len(y)
    out = {key: np.zeros(n) for key in metrics(p, y, w)}
    auc = np.zeros(n)
    for i in range(n):
        h = 1e-6 * w[i]
        up = w.copy(); up[i] += h
        dn = w.copy(); dn[i] -= h
        mu, md = metrics(p, y, up), metrics(p, y, dn)
        for key in out:
            out[key][i] = (mu[key] - md[key]) / (2 * h)
    for c in range(K):
        pos = y == c
        f_pos = np.sqrt((lambda e: e / (e - 1))(w[pos].sum() ** 2 / (w[pos] ** 2).sum()))
        f_neg = np.sqrt((lambda e: e / (e - 1))(w[~pos].sum() ** 2 / (w[~pos] ** 2).sum()))
        for i in range(n):
            h = 1e-6 * w[i]
            up = w.copy(); up[i] += h
            dn = w.copy(); dn[i] -= h
            g = (per_class_auc(p, y, up, c) - per_class_auc(p, y, dn, c)) / (2 * h)
            auc[i] += g * (f_pos if pos[i] else f_neg) / K
    out['rocAuc'] = auc
    return out


def binary_ece(p, y, w):
    """torchmetrics BinaryCalibrationError(n_bins=15, norm='l1'): confidence p, accuracy y."""
    edges = np.linspace(0, 1, 16)
    b = np.clip(np.searchsorted(edges, p, side='left') - 1, 0, 14)
    return sum(abs(np.sum(w[b == j] * (y[b == j] - p[b == j]))) for j in range(15)) / w.sum()


def binary_case(rng):
    """Two binary models with weights: the paired AP and ECE differences' standard errors."""
    n = 120
    y = (rng.random(n) < 0.4).astype(int)
    w = rng.integers(1, 4, n).astype(float)
    pa = np.round(np.clip(0.3 * y + 0.7 * rng.random(n), 0, 1), 3)
    pb = np.round(np.clip(0.45 * y + 0.55 * rng.random(n), 0, 1), 3)
    name = 'bin-weighted.csv'
    with open(os.path.join(OUT, name), 'w') as f:
        f.write('label,p_a,p_b,w\n')
        for i in range(n):
            f.write(f'{y[i]},{pa[i]:.3f},{pb[i]:.3f},{int(w[i])}\n')
    fns = {'averagePrecision': lambda p, ww: average_precision_score(y, p, sample_weight=ww), 'ece': lambda p, ww: binary_ece(p, y, ww)}
    out = {}
    for key, fn in fns.items():
        g = {}
        for m, p in (('a', pa), ('b', pb)):
            g[m] = np.zeros(n)
            for i in range(n):
                h = 1e-6 * w[i]
                up = w.copy(); up[i] += h
                dn = w.copy(); dn[i] -= h
                g[m][i] = (fn(p, up) - fn(p, dn)) / (2 * h)
        out[key] = [float(fn(pb, w) - fn(pa, w)), float(np.sqrt(np.sum(w ** 2 * (g['b'] - g['a']) ** 2)))]
    return {'file': name, 'paired': out}


def main():
    rng = np.random.default_rng(20261204)
    cases = []
    for name, weighted in [('multi-plain.csv', False), ('multi-weighted.csv', True)]:
        n = 90
        y = rng.integers(0, K, n)
        w = rng.integers(1, 5, n).astype(float) if weighted else np.ones(n)

        def model(sharp):
            z = rng.normal(size=(n, K))
            z[np.arange(n), y] += sharp
            e = np.exp(z - z.max(axis=1, keepdims=True))
            return np.round(e / e.sum(axis=1, keepdims=True), 6)

        pa, pb = model(1.0), model(1.6)
        # The rounding may leave a row 1e-6 off a sum of 1: fix the last class, as the file says.
        for q in (pa, pb):
            q[:, K - 1] = np.round(1 - q[:, :K - 1].sum(axis=1), 6)
        with open(os.path.join(OUT, name), 'w') as f:
            f.write('label,' + ','.join(f'a_{c}' for c in range(K)) + ',' + ','.join(f'b_{c}' for c in range(K)) + ',w\n')
            for i in range(n):
                f.write(f'{y[i]},' + ','.join(f'{v:.6f}' for v in pa[i]) + ',' + ','.join(f'{v:.6f}' for v in pb[i]) + f',{int(w[i])}\n')
        ga, gb = gradients(pa, y, w), gradients(pb, y, w)
        ma, mb = metrics(pa, y, w), metrics(pb, y, w)
        ma['rocAuc'] = np.mean([per_class_auc(pa, y, w, c) for c in range(K)])
        mb['rocAuc'] = np.mean([per_class_auc(pb, y, w, c) for c in range(K)])
        se = lambda g: float(np.sqrt(np.sum(w ** 2 * g ** 2)))
        cases.append({
            'file': name,
            'weighted': weighted,
            'models': {
                'a': {key: [float(ma[key]), se(ga[key])] for key in ga},
                'b': {key: [float(mb[key]), se(gb[key])] for key in gb},
            },
            'paired': {key: [float(mb[key] - ma[key]), se(gb[key] - ga[key])] for key in ga},
        })
    with open(os.path.join(OUT, 'multiclass.json'), 'w') as f:
        json.dump({'classes': K, 'cases': cases, 'binary': binary_case(rng)}, f, indent=1)
        f.write('\n')


if __name__ == '__main__':
    main()
