#!/usr/bin/env python3
"""Reference values for Loss Inspector's intervals and comparisons (#15), from scipy and mpmath.

    /usr/bin/python3 scripts/dev/interval-reference.py    # writes test/fixtures/intervals/

Writes the data files (regression: two models, with weights and in time order; binary: two score
columns) and reference.json: Student-t quantiles (mpmath at 40 digits, and scipy's t.isf, which is
only ~5e-9 accurate: cephes' stdtrit), two-sided t p-values, normal quantiles, binomial CDFs, and
per data set the intervals and comparisons computed here independently: scipy.stats.t.interval of
each per-row loss, ttest_rel, the order-statistic median interval, Diebold-Mariano with Newey-West
and the HLN correction, and DeLong (Sun & Xu's midrank form). test/unit/intervals.test.ts compares
the engine with these to 1e-9 relative. A development aid, not a dependency.
"""
import json, math, os
import numpy as np
import pandas as pd
from scipy import stats
from sklearn.metrics import average_precision_score
import mpmath

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, '..', '..', 'test', 'fixtures', 'intervals')
mpmath.mp.dps = 40
CONF = 0.95


def t_isf_mp(tail, nu):
    f = lambda x: mpmath.betainc(nu / 2, 0.5, 0, nu / (nu + x * x), regularized=True) / 2 - tail
    x0 = stats.t.isf(tail, nu)
    return float(mpmath.findroot(f, mpmath.mpf(x0)))


def t_two_sided_mp(t, nu):
    return float(mpmath.betainc(nu / 2, 0.5, 0, nu / (nu + mpmath.mpf(t) ** 2), regularized=True))


def mean_ci(x, w=None):
    """mean ± t·s/√n (ddof 1); weighted: Kish's effective n and the reliability-weighted variance."""
    x = np.asarray(x, dtype=float)
    if w is None:
        n = len(x)
        m = math.fsum(x) / n
        se = stats.sem(x)
        h = stats.t.isf((1 - CONF) / 2, n - 1) * se
        return m, m - h, m + h, se, n - 1
    w = np.asarray(w, dtype=float)
    W = math.fsum(w)
    m = math.fsum(w * x) / W
    neff = W * W / math.fsum(w * w)
    var = math.fsum(w * (x - m) ** 2) / (W - math.fsum(w * w) / W)
    se = math.sqrt(var / neff)
    h = stats.t.isf((1 - CONF) / 2, neff - 1) * se
    return m, m - h, m + h, se, neff - 1


def median_ci(absd):
    z = np.sort(absd)
    n = len(z)
    half = (1 - CONF) / 2
    k = int(stats.binom.ppf(half, n, 0.5))  # smallest k with cdf(k) >= half
    while stats.binom.cdf(k, n, 0.5) > half:
        k -= 1
    l = k + 1  # largest l with P(B <= l-1) <= half
    return float(z[l - 1]), float(z[n - l])


def diebold_mariano(delta):
    d = np.asarray(delta, dtype=float)
    n = len(d)
    L = int(math.floor(round(n ** (1 / 3), 9)))
    m = d.mean()
    e = d - m
    lrv = float(np.dot(e, e) / n)
    for k in range(1, L + 1):
        lrv += 2 * (1 - k / (L + 1)) * float(np.dot(e[k:], e[:-k]) / n)
    h = L + 1
    factor = math.sqrt((n + 1 - 2 * h + h * (h - 1) / n) / n)
    se = math.sqrt(lrv / n)
    stat = m / se * factor
    p = 2 * stats.t.sf(abs(stat), n - 1)
    half = stats.t.isf((1 - CONF) / 2, n - 1) * se / factor
    return m, m - half, m + half, p


def delong_placements(s, y):
    """Sun & Xu (2014): placements from midranks."""
    pos, neg = s[y == 1], s[y == 0]
    m, n = len(pos), len(neg)
    r_all = stats.rankdata(np.concatenate([pos, neg]))
    r_pos, r_neg = stats.rankdata(pos), stats.rankdata(neg)
    v10 = (r_all[:m] - r_pos) / n
    v01 = 1 - (r_all[m:] - r_neg) / m
    return v10, v01


def delong(s, y):
    v10, v01 = delong_placements(s, y)
    auc = v10.mean()
    se = math.sqrt(np.var(v10, ddof=1) / len(v10) + np.var(v01, ddof=1) / len(v01))
    z = stats.norm.isf((1 - CONF) / 2)
    return auc, max(0, auc - z * se), min(1, auc + z * se)


def delong_paired(sa, sb, y):
    a10, a01 = delong_placements(sa, y)
    b10, b01 = delong_placements(sb, y)
    d10, d01 = b10 - a10, b01 - a01
    diff = d10.mean()
    se = math.sqrt(np.var(d10, ddof=1) / len(d10) + np.var(d01, ddof=1) / len(d01))
    z = stats.norm.isf((1 - CONF) / 2)
    return diff, diff - z * se, diff + z * se, 2 * stats.norm.sf(abs(diff / se))


def regression_losses(t, p, beta=1.0, delta=1.0, q=0.5):
    d = p - t
    z = np.abs(d)
    eps = np.finfo(np.float64).eps
    den = np.abs(t) + np.abs(p)
    return {
        'mae': z,
        'mse': d * d,
        'smoothL1': np.where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta),
        'huber': np.where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta)),
        'logCosh': np.logaddexp(d, -d) - math.log(2),
        'meanError': d,
        'mape': z / np.maximum(np.abs(t), eps),
        'smape': np.where(den > 0, 2 * z / np.where(den > 0, den, 1), 0),
        'pinball': np.where(d <= 0, -q * d, (1 - q) * d),
    }


def tweedie_dev(y, mu, power):
    return 2 * (np.power(y, 2 - power) / ((1 - power) * (2 - power)) - y * np.power(mu, 1 - power) / (1 - power) + np.power(mu, 2 - power) / (2 - power))


def ratio_intervals(t, p, w, q=0.5, power=1.5):
    """R², explained variance and the D² scores (scikit-learn) with their delta-method intervals:
    R² from the moments (E d², E t, E t²) and their sample covariance, the others from each row's
    influence w(a − ρb)/(W·B) (ratioIntervals.ts derives both the same way)."""
    from sklearn.metrics import r2_score, explained_variance_score, d2_absolute_error_score, d2_pinball_score, d2_tweedie_score
    ww = np.ones_like(t) if w is None else w
    W = ww.sum()
    z = float(stats.norm.isf((1 - CONF) / 2))
    d = p - t
    out = {}
    # R² = 1 − θ1/(θ3 − θ2²), θ = weighted means of (d², t, t²); Var = ∇ᵀ·Cov·∇ with Cov = Σw²(x − θ)(x − θ)ᵀ/W².
    X = np.stack([d * d, t, t * t])
    th = (X * ww).sum(axis=1) / W
    V = th[2] - th[1] ** 2
    grad = np.array([-1 / V, -th[0] * 2 * th[1] / V ** 2, th[0] / V ** 2])
    C = ((X - th[:, None]) * ww ** 2) @ (X - th[:, None]).T / W ** 2
    r2 = float(r2_score(t, p, sample_weight=w))
    se = math.sqrt(float(grad @ C @ grad))
    out['r2'] = [r2, r2 - z * se, min(1.0, r2 + z * se)]
    def ratio(key, score, a, b):
        A = float((ww * a).sum() / W)
        B = float((ww * b).sum() / W)
        rho = A / B
        se = math.sqrt(float((ww ** 2 * (a - rho * b) ** 2).sum())) / (W * B)
        out[key] = [float(score), float(score) - z * se, min(1.0, float(score) + z * se)]
    mt = (ww * t).sum() / W
    md = (ww * d).sum() / W
    ratio('explainedVariance', explained_variance_score(t, p, sample_weight=w), (d - md) ** 2, (t - mt) ** 2)
    # The target's median and q-quantile as scikit-learn takes them (np.percentile unweighted).
    if w is None:
        med = np.percentile(t, 50)
        qq = np.percentile(t, 100 * q)
        ratio('d2AbsoluteError', d2_absolute_error_score(t, p), np.abs(d), np.abs(t - med))
        pin = lambda u: np.where(u > 0, q * u, (q - 1) * u)
        ratio('d2Pinball', d2_pinball_score(t, p, alpha=q), pin(-d), pin(t - qq))
    ratio('d2Tweedie', d2_tweedie_score(t, p, sample_weight=w, power=power), tweedie_dev(t, p, power), tweedie_dev(t, mt, power))
    return out


def regression_case(name, n, seed, weighted, ar):
    rng = np.random.default_rng(seed)
    t = rng.normal(50, 10, n).round(3)
    e = rng.standard_t(4, n)
    if ar:  # autocorrelated errors: rows in time order
        for i in range(1, n):
            e[i] += 0.6 * e[i - 1]
    a = (t + e * 2).round(4)
    b = (t + e * 1.7 + rng.normal(0, 0.8, n)).round(4)
    df = pd.DataFrame({'y_true': t, 'pred_a': a, 'pred_b': b})
    w = None
    if weighted:
        w = rng.integers(1, 5, n).astype(float)
        df['w'] = w
    df.to_csv(os.path.join(OUT, name + '.csv'), index=False)
    t, a, b = (pd.read_csv(os.path.join(OUT, name + '.csv'))[c].to_numpy() for c in ('y_true', 'pred_a', 'pred_b'))
    la, lb = regression_losses(t, a), regression_losses(t, b)
    models = {}
    for nm, ls, p in (('pred_a', la, a), ('pred_b', lb, b)):
        iv = {}
        for k, x in ls.items():
            m, lo, hi, _, _ = mean_ci(x, w)
            iv[k] = [m, lo, hi]
        if w is None:
            iv['medianAE'] = [float(np.median(np.abs(p - t))), *median_ci(np.abs(p - t))]
        iv.update(ratio_intervals(t, p, w))
        models[nm] = iv
    comps = {}
    for k in la:
        dl = lb[k] - la[k]
        if w is None:
            r = stats.ttest_rel(lb[k], la[k])
            ci = r.confidence_interval(CONF)
            comps[k] = [float(np.mean(dl)), float(ci.low), float(ci.high), float(r.pvalue)]
        else:
            m, lo, hi, se, dof = mean_ci(dl, w)
            comps[k] = [m, lo, hi, float(2 * stats.t.sf(abs(m / se), dof))]
    dm = {}
    if ar:
        for k in ('mae', 'mse', 'huber', 'logCosh', 'meanError', 'pinball', 'smoothL1'):
            dm[k] = list(diebold_mariano(lb[k] - la[k]))
    return {'file': name + '.csv', 'weighted': weighted, 'models': models, 'paired': comps, 'dm': dm}


def binary_case(name, n, seed):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < 0.4).astype(int)
    base = rng.normal(0, 1, n) + 1.2 * y
    pa = (1 / (1 + np.exp(-base))).round(3)  # rounded: ties
    pb = (1 / (1 + np.exp(-(base * 1.3 + rng.normal(0, 0.5, n))))).round(4)
    df = pd.DataFrame({'label': y, 'p_a': pa, 'p_b': pb})
    df.to_csv(os.path.join(OUT, name + '.csv'), index=False)
    d = pd.read_csv(os.path.join(OUT, name + '.csv'))
    y, pa, pb = d['label'].to_numpy(), d['p_a'].to_numpy(), d['p_b'].to_numpy()
    eps = np.finfo(np.float64).eps
    def losses(p):
        pc = np.clip(p, eps, 1 - eps)
        return {'logLoss': -np.log(np.where(y == 1, pc, 1 - pc)), 'brier': (y - p) ** 2, 'accuracy': ((p >= 0.5).astype(int) == y).astype(float)}
    out = {'file': name + '.csv', 'models': {}, 'paired': {}}
    for nm, p in (('p_a', pa), ('p_b', pb)):
        iv = {k: list(mean_ci(v)[:3]) for k, v in losses(p).items()}
        iv['rocAuc'] = list(delong(p, y))
        out['models'][nm] = iv
    la, lb = losses(pa), losses(pb)
    for k in la:
        r = stats.ttest_rel(lb[k], la[k])
        ci = r.confidence_interval(CONF)
        out['paired'][k] = [float(np.mean(lb[k] - la[k])), float(ci.low), float(ci.high), float(r.pvalue)]
    out['paired']['rocAuc'] = list(delong_paired(pa, pb, y))
    # Precision and recall (Wilson, scipy), F1, MCC and balanced accuracy (the delta method with
    # mpmath's numerical derivatives of scikit-learn's formulas), AP (Boyd's logit interval on
    # scikit-learn's average_precision_score) and ECE (its delta method, the bins summed here).
    z = float(stats.norm.isf((1 - CONF) / 2))
    for nm, p in (('p_a', pa), ('p_b', pb)):
        c = cells(y, p >= 0.5)
        iv = out['models'][nm]
        tn, fp, fn, tp = c
        for k, hits, total in (('precision', tp, tp + fp), ('recall', tp, tp + fn)):
            ci = stats.binomtest(int(hits), int(total)).proportion_ci(CONF, method='wilson')
            iv[k] = [hits / total, float(ci.low), float(ci.high)]
        for k in CONFUSION_METRICS:
            m = float(confusion_metric(k, c))
            se = math.sqrt(sum(c[j] * float(mpmath.diff(lambda x: confusion_metric(k, [x if i == j else mpmath.mpf(c[i]) for i in range(4)]), c[j])) ** 2 for j in range(4)))
            iv[k] = [m, max(-1.0 if k == 'mcc' else 0.0, m - z * se), min(1.0, m + z * se)]
        ap = float(average_precision_score(y, p))
        tau = 1 / math.sqrt(int(y.sum()) * ap * (1 - ap))
        expit = lambda x: 1 / (1 + math.exp(-x))
        iv['averagePrecision'] = [ap, expit(math.log(ap / (1 - ap)) - z * tau), expit(math.log(ap / (1 - ap)) + z * tau)]
        iv['ece'] = list(ece_delta(y, p, z))
    for k in CONFUSION_METRICS + ['precision', 'recall']:
        ca, cb = cells(y, pa >= 0.5), cells(y, pb >= 0.5)
        grad = lambda c: [float(mpmath.diff(lambda x: confusion_metric(k, [x if i == j else mpmath.mpf(c[i]) for i in range(4)]), c[j])) for j in range(4)]
        ga, gb = grad(ca), grad(cb)
        da, db = (pa >= 0.5).astype(int), (pb >= 0.5).astype(int)
        infl = np.array([gb[2 * yi + b] - ga[2 * yi + a] for yi, a, b in zip(y, da, db)])
        se = math.sqrt(float(np.sum(infl ** 2)))
        diff = float(confusion_metric(k, cb) - confusion_metric(k, ca))
        out['paired'][k] = [diff, diff - z * se, diff + z * se, float(2 * stats.norm.sf(abs(diff) / se))]
    return out


CONFUSION_METRICS = ['f1', 'mcc', 'balancedAccuracy']


def cells(y, decision):
    d = decision.astype(int)
    return [int(np.sum((y == 0) & (d == 0))), int(np.sum((y == 0) & (d == 1))), int(np.sum((y == 1) & (d == 0))), int(np.sum((y == 1) & (d == 1)))]


def confusion_metric(k, c):
    tn, fp, fn, tp = [mpmath.mpf(x) for x in c]
    if k == 'precision':
        return tp / (tp + fp)
    if k == 'recall':
        return tp / (tp + fn)
    if k == 'f1':
        return 2 * tp / (2 * tp + fp + fn)
    if k == 'balancedAccuracy':
        return (tp / (tp + fn) + tn / (tn + fp)) / 2
    return (tp * tn - fp * fn) / mpmath.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))


def ece_delta(y, p, z):
    edges = np.linspace(0, 1, 16)
    b = np.clip(np.searchsorted(edges, p, side='left') - 1, 0, 14)
    x = y - p  # binary: confidence is p, accuracy the label
    n = len(y)
    ece = sum(abs(np.sum(x[b == k])) for k in range(15)) / n
    var = 0.0
    for k in range(15):
        xs = x[b == k]
        s = np.sign(np.sum(xs))
        var += float(np.sum((s * xs - ece) ** 2))
    se = math.sqrt(var) / n
    return [float(ece), max(0.0, ece - z * se), min(1.0, ece + z * se)]


def main():
    os.makedirs(OUT, exist_ok=True)
    tq = []
    for nu in [0.5, 1, 1.5, 2, 3, 4.7, 9, 10, 30, 99, 1000, 12345.5, 1e6, 1e7, 1e9]:
        for tail in [0.4, 0.25, 0.1, 0.05, 0.025, 0.005, 0.0005, 1e-6, 1e-10]:
            tq.append([tail, nu, t_isf_mp(tail, nu), float(stats.t.isf(tail, nu))])
    tp = [[t, nu, t_two_sided_mp(t, nu)] for t in [0.1, 1, 1.96, 3, 8, 20] for nu in [1, 2.5, 10, 100, 1e5]]
    normal = [[tail, float(stats.norm.isf(tail))] for tail in [0.4, 0.1, 0.05, 0.025, 0.005, 1e-6, 1e-12]]
    binom = [[k, n, float(stats.binom.cdf(k, n, 0.5))] for k, n in [(3, 10), (40, 100), (4900, 10000), (4990, 10000), (480, 1000)]]
    ref = {
        'confidence': CONF,
        'tQuantile': tq,
        'tTwoSided': tp,
        'normalQuantile': normal,
        'binomialCdf': binom,
        'regression': [
            regression_case('reg-plain', 800, 1, False, False),
            regression_case('reg-weighted', 600, 2, True, False),
            regression_case('reg-time', 1000, 3, False, True),
        ],
        'binary': [binary_case('bin-two', 700, 4)],
    }
    with open(os.path.join(OUT, 'reference.json'), 'w') as f:
        json.dump(ref, f, indent=1)
    worst = max(abs(r[3] - r[2]) / abs(r[2]) for r in tq)
    print(f'wrote {OUT}; scipy t.isf vs mpmath: worst relative difference {worst:.2e}')


if __name__ == '__main__':
    main()
