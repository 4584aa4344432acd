import json, math, subprocess, sys
import numpy as np, pandas as pd, torch
from sklearn import metrics
path = sys.argv[1]; tcol, pcol = sys.argv[2], sys.argv[3]
beta = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
delta = float(sys.argv[5]) if len(sys.argv) > 5 else 1.0
rep = json.loads(subprocess.check_output(['node', 'dist/cli.js', path, '--json', '--target', tcol, '--prediction', pcol, '--beta', str(beta), '--delta', str(delta)]))
m = rep['models'][0]['metrics']
df = pd.read_csv(path, float_precision='round_trip')
t = pd.to_numeric(df[tcol], errors='coerce'); p = pd.to_numeric(df[pcol], errors='coerce')
ok = np.isfinite(t) & np.isfinite(p)
t = t[ok].to_numpy(np.float64); p = p[ok].to_numpy(np.float64)
T = torch.tensor(t, dtype=torch.float64); P = torch.tensor(p, dtype=torch.float64)
d = p - t
ref = {
  'l1': math.fsum(np.abs(d)), 'l2': math.fsum(d*d),
  'mae': metrics.mean_absolute_error(t, p), 'mse': metrics.mean_squared_error(t, p),
  'rmse': math.sqrt(metrics.mean_squared_error(t, p)),
  'smoothL1': torch.nn.functional.smooth_l1_loss(P, T, beta=beta).item(),
  'huber': torch.nn.functional.huber_loss(P, T, delta=delta).item(),
  'logCosh': math.fsum(np.logaddexp(d, -d) - math.log(2)) / len(d),
  'meanError': math.fsum(d) / len(d), 'maxError': metrics.max_error(t, p),
  'medianAE': metrics.median_absolute_error(t, p), 'r2': metrics.r2_score(t, p),
  'mape': metrics.mean_absolute_percentage_error(t, p),
  'pinball': metrics.mean_pinball_loss(t, p, alpha=0.5),
  'smape': math.fsum(np.where(np.abs(t) + np.abs(p) > 0, 2 * np.abs(d) / np.maximum(np.abs(t) + np.abs(p), 1e-300), 0)) / len(d),
  'torch_l1_sum': torch.nn.functional.l1_loss(P, T, reduction='sum').item(),
  'torch_mse': torch.nn.functional.mse_loss(P, T).item(),
}
print('rows', len(d), 'engine', rep['rows']['used'])
worst = 0
for k, v in ref.items():
  key = {'torch_l1_sum': 'l1', 'torch_mse': 'mse'}.get(k, k)
  e = m[key]; rel = abs(e - v) / max(abs(v), 1e-300)
  worst = max(worst, rel) if k not in ('logCosh',) else worst
  print(f'{k:12s} engine={e!r:26} ref={v!r:26} rel={rel:.2e}')
