#!/usr/bin/python3
"""Writes test/fixtures/writers/: predictions files as pandas, numpy and Python's json write them
with their default settings (issue #14 item 4), and expected.json with the metrics of the usable
rows computed by numpy / scikit-learn. Deterministic: run it again and the files are the same.

    /usr/bin/python3 scripts/dev/writer-fixtures.py
"""
import json
import math
import os

import numpy as np
import pandas as pd
from sklearn.metrics import mean_absolute_error, mean_squared_error

OUT = os.path.join(os.path.dirname(__file__), '..', '..', 'test', 'fixtures', 'writers')
os.makedirs(OUT, exist_ok=True)

rng = np.random.default_rng(14)
N = 40
y_true = np.round(rng.normal(10, 3, N), 3)
y_pred = np.round(y_true + rng.normal(0, 1, N), 3)
df = pd.DataFrame({'y_true': y_true, 'y_pred': y_pred})

expected = {}


def metrics(t, p):
    t = np.asarray(t, dtype=float)
    p = np.asarray(p, dtype=float)
    return {'n': int(len(t)), 'mae': float(mean_absolute_error(t, p)), 'mse': float(mean_squared_error(t, p))}


def path(name):
    return os.path.join(OUT, name)


# pandas to_json, every orient, default settings otherwise (one line, no indent).
for orient in ['columns', 'split', 'index', 'table', 'records', 'values']:
    name = f'pandas-{orient}.json'
    if orient == 'columns':
        df.to_json(path(name))  # the default orient
    else:
        df.to_json(path(name), orient=orient)
    if orient != 'values':
        expected[name] = {**metrics(y_true, y_pred), 'skipped': {}}
# An indented one, so that each record is on its own line: line numbers are checked.
df.to_json(path('pandas-index-indent.json'), orient='index', indent=2)
expected['pandas-index-indent.json'] = {**metrics(y_true, y_pred), 'skipped': {}}
df.to_json(path('pandas-table-indent.json'), orient='table', indent=2)
expected['pandas-table-indent.json'] = {**metrics(y_true, y_pred), 'skipped': {}}
df.to_json(path('pandas-split-indent.json'), orient='split', indent=2)
expected['pandas-split-indent.json'] = {**metrics(y_true, y_pred), 'skipped': {}}
df.to_json(path('pandas-columns-indent.json'), orient='columns', indent=2)
expected['pandas-columns-indent.json'] = {**metrics(y_true, y_pred), 'skipped': {}}

# JSON Lines under a .json name (pandas lines=True; Hugging Face Dataset.to_json's default).
df.to_json(path('pandas-lines.json'), orient='records', lines=True)
expected['pandas-lines.json'] = {**metrics(y_true, y_pred), 'skipped': {}}

# numpy savetxt: the header as a '# ' comment, comma-delimited and with the default space.
arr = np.column_stack([y_true, y_pred])
np.savetxt(path('numpy-header.csv'), arr, header='y_true,y_pred', delimiter=',')
expected['numpy-header.csv'] = {**metrics(y_true, y_pred), 'skipped': {}}
np.savetxt(path('numpy-space.txt'), arr, header='y_true y_pred')
expected['numpy-space.txt'] = {**metrics(y_true, y_pred), 'skipped': {}}
np.savetxt(path('numpy-space-noheader.dat'), arr)
expected['numpy-space-noheader.dat'] = {**metrics(y_true, y_pred), 'skipped': {}}
# A fixed-width layout: leading spaces and runs of spaces.
np.savetxt(path('numpy-fixed.txt'), arr, fmt='%10.3f', header='y_true y_pred', comments='')
expected['numpy-fixed.txt'] = {**metrics(y_true, y_pred), 'skipped': {}}
# Comment lines above a real header (a provenance line, then the header itself).
with open(path('comment-lines.csv'), 'w') as f:
    f.write('# written by a notebook\n# model: ridge\n')
    df.to_csv(f, index=False)
expected['comment-lines.csv'] = {**metrics(y_true, y_pred), 'skipped': {}}

# Python's json.dump with NaN and ±Infinity (allow_nan=True, the default): those rows are skipped.
t = [float(x) for x in y_true]
p = [float(x) for x in y_pred]
bad = {3: ('y_pred', float('nan')), 7: ('y_true', float('inf')), 11: ('y_pred', float('-inf')), 20: ('y_true', float('nan'))}
recs = []
for i in range(N):
    r = {'y_true': t[i], 'y_pred': p[i]}
    if i in bad:
        k, v = bad[i]
        r[k] = v
    recs.append(r)
with open(path('python-nan.json'), 'w') as f:
    json.dump(recs, f, indent=1)
with open(path('python-nan.jsonl'), 'w') as f:
    for r in recs:
        f.write(json.dumps(r) + '\n')
with open(path('python-nan-columns.json'), 'w') as f:
    json.dump({'y_true': [r['y_true'] for r in recs], 'y_pred': [r['y_pred'] for r in recs]}, f)
keep = [i for i in range(N) if i not in bad]
m = metrics([t[i] for i in keep], [p[i] for i in keep])
skipped = {'na': 2, 'infinite': 2}
for name in ['python-nan.json', 'python-nan.jsonl', 'python-nan-columns.json']:
    expected[name] = {**m, 'skipped': skipped}
# python-nan.json has indent=1: record i starts on line 2 + 4 * i (the '[' is line 1).
expected['python-nan.json']['skippedLines'] = sorted(2 + 4 * i for i in bad)
expected['python-nan.jsonl']['skippedLines'] = sorted(1 + i for i in bad)

# The line of the worst row (largest |y_true - y_pred|) in each file of every row: where its
# record (or, for the columns orient, its target value) starts.
w = int(np.argmax(np.abs(y_true - y_pred)))


def line_of(name, needle):
    with open(path(name)) as f:
        for k, text in enumerate(f, 1):
            if text.rstrip('\n') == needle:
                return k
    raise ValueError(needle)


worst_line = {
    'pandas-index-indent.json': 2 + 4 * w,
    'pandas-table-indent.json': line_of('pandas-table-indent.json', '  "data":[') + 1 + 5 * w,
    'pandas-split-indent.json': line_of('pandas-split-indent.json', '  "data":[') + 1 + 4 * w,
    'pandas-columns-indent.json': 3 + w,
    'pandas-lines.json': 1 + w,
    'numpy-header.csv': 2 + w,
    'numpy-space.txt': 2 + w,
    'numpy-space-noheader.dat': 1 + w,
    'numpy-fixed.txt': 2 + w,
    'comment-lines.csv': 4 + w,
}
for name in ['pandas-columns.json', 'pandas-split.json', 'pandas-index.json', 'pandas-table.json', 'pandas-records.json']:
    worst_line[name] = 1  # written on one line
for name, line in worst_line.items():
    expected[name]['worstLine'] = line

with open(path('expected.json'), 'w') as f:
    json.dump(expected, f, indent=2, sort_keys=True)
    f.write('\n')
