#!/usr/bin/env node
// `npm run bench`: Loss Inspector's CLI against DuckDB on generated predictions files.
//
//   node scripts/bench/bench.mjs [--runs N] [--only csv1e7,csvgz1e7,bin1e7,…] [--quick] [--rss time|hook]
//
//   --runs N   measured runs per tool and workload (default: 3 for the 1e7-row files, 5 for
//              the others; 2 with --quick)
//   --only L   comma-separated workload names: csv1e7, csv1e6, pq1e7, pqzstd1e6, json1e6, jsonl1e6 (regression),
//              bin1e7, binshort1e7, bintext1e7 (binary classification), multi10e6 (10 classes)
//   --quick    small files (2e5 rows for 1e7, 2e4 for the others): a smoke test in seconds
//   --rss M    how peak RSS is measured: `time` = GNU time's %M (default when /usr/bin/time
//              exists), `hook` = `node --require maxrss.cjs`, which writes
//              process.resourceUsage().maxRSS at exit. Both are getrusage's ru_maxrss of the
//              whole child process (all its threads).
//
// What it does, per workload:
//   1. generates deterministic data into .bench-data/ (gen.mjs; reused when its stamp matches);
//   2. one unmeasured warm-up of `cat`, the CLI and DuckDB (page cache, disk → RAM);
//   3. the raw-read floor: `cat FILE > /dev/null`, N times;
//   4. N runs of the CLI and N of DuckDB, alternating (cli, duck, cli, duck, …), each a fresh
//      child process; wall time = spawn to exit, measured here with performance.now();
//   5. checks that both printed the same row count and MAE/MSE (relative difference ≤ 1e-12);
//      for the binary files, log loss, Brier score, accuracy and ROC AUC.
// pq1e7 and pqzstd1e6 are csv1e7's and csv1e6's rows as Parquet (snappy, zstd) written by DuckDB
// (`duck.mjs --to-parquet`); DuckDB reads them with read_parquet; goal (#14) ≤ 1.5× DuckDB, ≤ 200 MiB.
// csvgz1e7 is csv1e7's file gzipped (`gzip -k -6`); its floor is `gzip -dc FILE > /dev/null`,
// and its goal (#14) is ≤ 1.3 × (that floor + csv1e7's CLI time in the same run).
// Prints a Markdown report (progress goes to stderr) and writes it to .bench-data/last-bench.md.
// A benchmark, not a test: it exits 0 whatever the times; non-zero only when it cannot run.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureData } from './gen.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..', '..');
const DATA = path.join(ROOT, '.bench-data');
const CLI = path.join(ROOT, 'dist', 'cli.js');
const DUCK = path.join(HERE, 'duck.mjs');
const HOOK = path.join(HERE, 'maxrss.cjs');
const TOL = 1e-12;

const WORKLOADS = [
  { name: 'csv1e7', kind: 'csv', ext: 'csv', rows: 1e7, quickRows: 2e5, runs: 3, goal: { ratio: 0.8, rssMiB: 160 } },
  { name: 'csvgz1e7', kind: 'csv', ext: 'csv.gz', gzip: true, rows: 1e7, quickRows: 2e5, runs: 3, goal: { plus: 'csv1e7', factor: 1.3 } },
  { name: 'csv1e6', kind: 'csv', ext: 'csv', rows: 1e6, quickRows: 2e4, runs: 5, goal: { ratio: 0.8 } },
  // Parquet (#14): csv1e7's and csv1e6's rows written by DuckDB (default row groups), read by DuckDB's read_parquet.
  { name: 'pq1e7', kind: 'csv', ext: 'snappy.parquet', parquet: 'snappy', rows: 1e7, quickRows: 2e5, runs: 3, goal: { ratio: 1.5, rssMiB: 200 } },
  { name: 'pqzstd1e6', kind: 'csv', ext: 'zstd.parquet', parquet: 'zstd', rows: 1e6, quickRows: 2e4, runs: 5, goal: { ratio: 1.5, rssMiB: 200 } },
  // As Python writes floats (#20): repr everywhere, an id and a text column (gen.mjs pycsv).
  { name: 'pycsv1e6', kind: 'pycsv', ext: 'csv', columns: ['y_true', 'y_pred'], rows: 1e6, quickRows: 2e4, runs: 5, goal: { ratio: 0.8 } },
  // #20 item 4's goal is stated for this shape (17-digit values, an id and a text column): ≤ 0.5× at ≤ 160 MiB.
  { name: 'pycsv1e7', kind: 'pycsv', ext: 'csv', columns: ['y_true', 'y_pred'], rows: 1e7, quickRows: 2e5, runs: 3, goal: { ratio: 0.5, rssMiB: 160 } },
  { name: 'json1e6', kind: 'json', ext: 'json', rows: 1e6, quickRows: 2e4, runs: 5, goal: { ratio: 1.0, rssMiB: 200 } },
  { name: 'jsonl1e6', kind: 'jsonl', ext: 'jsonl', rows: 1e6, quickRows: 2e4, runs: 5, goal: { ratio: 1.0 } },
  // Binary classification (#13): label 0/1 and the probability of 1, as pandas writes them (gen.mjs).
  { name: 'bin1e7', kind: 'bin17', ext: 'csv', task: 'binary', rows: 1e7, quickRows: 2e5, runs: 3, goal: { ratio: 0.8, rssMiB: 200 } },
  { name: 'binshort1e7', kind: 'binshort', ext: 'csv', task: 'binary', rows: 1e7, quickRows: 2e5, runs: 3, goal: { ratio: 0.8, rssMiB: 200 } },
  { name: 'bintext1e7', kind: 'bintext', ext: 'csv', task: 'binary', rows: 1e7, quickRows: 2e5, runs: 3, goal: { ratio: 0.8, rssMiB: 200 } },
  // Multiclass (#13): a label 0…9 and ten probability columns proba_0…proba_9 as Python writes them.
  { name: 'multi10e6', kind: 'multi10', ext: 'csv', task: 'multiclass', rows: 1e6, quickRows: 2e4, runs: 5, goal: { ratio: 1.0 } },
];
/** The metrics both tools must agree on (relative difference ≤ TOL), per task. */
const CHECKED = { regression: ['mae', 'mse'], binary: ['logLoss', 'brier', 'accuracy', 'rocAuc'], multiclass: ['logLoss', 'brier', 'accuracy'] };

// ---------------------------------------------------------------- arguments
function parseArgs(argv) {
  const o = { runs: undefined, only: undefined, quick: false, rss: undefined };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) die(`${a} needs a value`);
      return v;
    };
    if (a === '--quick') o.quick = true;
    else if (a.startsWith('--runs')) {
      o.runs = Number(val());
      if (!Number.isInteger(o.runs) || o.runs < 1) die('--runs must be a positive integer');
    } else if (a.startsWith('--only')) o.only = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (a.startsWith('--rss')) {
      o.rss = val();
      if (!['time', 'hook'].includes(o.rss)) die('--rss must be time or hook');
    } else if (a === '-h' || a === '--help') {
      console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 13).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
      process.exit(0);
    } else die(`unknown argument ${a} (see --help)`);
  }
  if (o.only) {
    const names = WORKLOADS.map((w) => w.name);
    for (const n of o.only) if (!names.includes(n)) die(`unknown workload ${n}; known: ${names.join(', ')}`);
  }
  return o;
}
function die(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}
const log = (msg) => process.stderr.write(msg + '\n');

// ---------------------------------------------------------------- measuring
const TIME_BIN = '/usr/bin/time';
let rssMode;
let rssSeq = 0;

/**
 * Runs `node ...args` as a fresh child. Wall time from spawn to the child's exit; peak RSS of
 * the child in KiB. Resolves { ms, rssKiB, code, signal, stdout, stderr }.
 */
function runNode(args, { capture = true } = {}) {
  const rssFile = path.join(os.tmpdir(), `bench-rss-${process.pid}-${++rssSeq}`);
  let cmd, argv, env = process.env;
  if (rssMode === 'time') {
    cmd = TIME_BIN;
    argv = ['-f', '%M', '-o', rssFile, process.execPath, ...args];
  } else {
    cmd = process.execPath;
    argv = ['--require', HOOK, ...args];
    env = { ...process.env, BENCH_MAXRSS_FILE: rssFile };
  }
  return runCmd(cmd, argv, { env, capture }).then((r) => {
    let rssKiB = NaN;
    try {
      const lines = fs.readFileSync(rssFile, 'utf8').trim().split('\n');
      rssKiB = Number(lines[lines.length - 1]);
      fs.rmSync(rssFile, { force: true });
    } catch { /* no file: the child died before writing it */ }
    return { ...r, rssKiB };
  });
}

function runCmd(cmd, argv, { env = process.env, capture = true, stdoutFd } = {}) {
  return new Promise((resolve) => {
    const out = [], err = [];
    const t0 = performance.now();
    let t1;
    const child = spawn(cmd, argv, { env, stdio: ['ignore', stdoutFd ?? (capture ? 'pipe' : 'ignore'), 'pipe'] });
    child.stdout?.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    child.on('exit', () => { t1 = performance.now(); });
    child.on('error', (e) => resolve({ ms: NaN, code: -1, signal: null, stdout: '', stderr: String(e) }));
    child.on('close', (code, signal) => {
      resolve({ ms: (t1 ?? performance.now()) - t0, code, signal, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}

async function catFloor(file) {
  const fd = fs.openSync('/dev/null', 'w');
  try {
    if (file.endsWith('.gz')) return await runCmd('gzip', ['-dc', file], { stdoutFd: fd, capture: false });
    return await runCmd('cat', [file], { stdoutFd: fd, capture: false });
  } finally {
    fs.closeSync(fd);
  }
}

const cliArgs = (w) => (w.task === 'binary'
  ? [CLI, w.file, '--json', '--target', 'label', '--prediction', 'probability']
  : w.task === 'multiclass'
    ? [CLI, w.file, '--json', '--target', 'label']
    : [CLI, w.file, '--json', '--target', w.columns?.[0] ?? 'target', '--prediction', w.columns?.[1] ?? 'prediction']);
const duckArgs = (w) =>
  w.task === 'binary' || w.task === 'multiclass' ? [DUCK, w.file, '--task', w.task] : [DUCK, w.file, ...(w.columns ? ['--target', w.columns[0], '--prediction', w.columns[1]] : [])];

/** { rows, mae, mse, all metrics } from either tool's stdout, or { error }. */
function parseCli(r) {
  if (r.code !== 0) return { error: failure(r) };
  try {
    const j = JSON.parse(r.stdout);
    const m = j.models?.find((x) => x.prediction === 'prediction' || x.prediction === 'probability' || x.prediction === 'y_pred') ?? j.models?.[0];
    if (!m) return { error: 'no model in the output' };
    return { rows: j.rows?.used, metrics: { ...m.metrics, p90AE: m.absQuantiles?.p90, p99AE: m.absQuantiles?.p99 } };
  } catch (e) {
    return { error: `output is not JSON (${e.message}): ${r.stdout.slice(0, 200)}` };
  }
}
function parseDuck(r) {
  if (r.code !== 0) return { error: failure(r) };
  try {
    const j = JSON.parse(r.stdout);
    return { rows: j.rows.used, metrics: j.metrics, queryMs: j.queryMs };
  } catch (e) {
    return { error: `output is not JSON (${e.message}): ${r.stdout.slice(0, 200)}` };
  }
}
function failure(r) {
  const why = r.signal ? `killed by ${r.signal}` : `exit code ${r.code}`;
  const msg = r.stderr.trim().split('\n').filter((l) => !/^Command (exited|terminated)/.test(l)).slice(0, 6).join(' ⏎ ');
  return `${why}${msg ? `: ${msg.slice(0, 600)}` : ''}`;
}

// ---------------------------------------------------------------- statistics and formatting
function median(xs) {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!s.length) return NaN;
  const h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}
const relDiff = (a, b) => (a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), Number.MIN_VALUE));
const f = (x, d) => (Number.isFinite(x) ? x.toFixed(d) : '–');
const mib = (kib) => kib / 1024;

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: ROOT });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function machineInfo(duckVersion) {
  const cpuModel = os.cpus()[0]?.model?.trim() ?? 'unknown';
  let pkgVersion = '?';
  try {
    pkgVersion = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', '@duckdb', 'node-api', 'package.json'), 'utf8')).version;
  } catch { /* reported as ? */ }
  const commit = sh('git', ['rev-parse', '--short', 'HEAD']);
  const dirty = sh('git', ['status', '--porcelain', '--untracked-files=no']);
  const cliVersion = sh(process.execPath, [CLI, '--version']);
  return [
    `- CPU: ${cpuModel}, ${os.availableParallelism()} cores (os.availableParallelism), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, ${os.platform()} ${os.release()}`,
    `- Node ${process.version}; DuckDB ${duckVersion ?? '?'} (@duckdb/node-api ${pkgVersion}, default threads); loss-inspector ${cliVersion ?? '?'} (dist/cli.js, commit ${commit ?? '?'}${dirty ? ', with uncommitted changes' : ''})`,
  ];
}

// ---------------------------------------------------------------- main
async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(CLI)) die(`${path.relative(ROOT, CLI)} is missing: run \`npm run build\` first`);
  try {
    import.meta.resolve('@duckdb/node-api');
  } catch (e) {
    die(`@duckdb/node-api cannot be loaded (${e.message}); it is a devDependency: run \`npm install\``);
  }
  rssMode = opts.rss ?? (fs.existsSync(TIME_BIN) ? 'time' : 'hook');
  if (rssMode === 'time' && !fs.existsSync(TIME_BIN)) die(`${TIME_BIN} not found (apt-get install time), or use --rss hook`);

  const workloads = WORKLOADS.filter((w) => !opts.only || opts.only.includes(w.name)).map((w) => {
    const rows = opts.quick ? w.quickRows : w.rows;
    return { ...w, rows, runs: opts.runs ?? (opts.quick ? 2 : w.runs), file: path.join(DATA, `${w.kind}-${rows}.${w.ext}`) };
  });

  const started = new Date();
  const load0 = os.loadavg();
  const duckV = parseDuckVersion(await runNode([DUCK, '--version']));

  // 1. data first, so that generating (CPU-bound) never overlaps a measurement
  for (const w of workloads) {
    const r = w.gzip ? ensureGzip(w) : w.parquet ? ensureParquet(w) : ensureData({ kind: w.kind, rows: w.rows, file: w.file });
    w.bytes = r.bytes;
    log(`${r.generated ? 'generated' : 'reusing'} ${path.relative(ROOT, w.file)} (${f(r.bytes / 1e6, 1)} MB${r.generated ? `, ${f(r.ms / 1000, 1)} s` : ''})`);
  }

  // node start-up, for scale (a fresh `node -e 0`)
  const nodeStart = [];
  for (let i = 0; i < 5; i++) nodeStart.push((await runCmd(process.execPath, ['-e', '0'])).ms);

  for (const w of workloads) {
    log(`\n== ${w.name}: ${path.relative(ROOT, w.file)}, ${w.runs} runs each`);
    // 2. warm-up
    await catFloor(w.file);
    const wc = await runNode(cliArgs(w));
    const wd = await runNode(duckArgs(w));
    log(`warm-up: cli ${f(wc.ms / 1000, 2)} s${wc.code ? ' (FAILED)' : ''}, duckdb ${f(wd.ms / 1000, 2)} s${wd.code ? ' (FAILED)' : ''}`);
    // 3. floor
    w.cat = [];
    for (let i = 0; i < w.runs; i++) w.cat.push((await catFloor(w.file)).ms);
    // 4. alternate
    w.cli = [];
    w.duck = [];
    for (let i = 0; i < w.runs; i++) {
      const c = await runNode(cliArgs(w));
      w.cli.push(c);
      const d = await runNode(duckArgs(w));
      w.duck.push(d);
      log(`run ${i + 1}/${w.runs}: cli ${f(c.ms / 1000, 3)} s ${f(mib(c.rssKiB), 0)} MiB${c.code ? ' FAILED' : ''} | duckdb ${f(d.ms / 1000, 3)} s ${f(mib(d.rssKiB), 0)} MiB${d.code ? ' FAILED' : ''}  (load ${os.loadavg()[0].toFixed(2)})`);
    }
  }
  const load1 = os.loadavg();

  // 5. report
  const lines = [];
  const title = `# Loss Inspector benchmark${workloads.length && opts.quick ? ' (--quick: small files, not the goals\' sizes)' : ''}`;
  lines.push(title, '');
  lines.push(`- ${started.toISOString()}; runs per tool: ${workloads.map((w) => `${w.name} ${w.runs}`).join(', ')}; alternating CLI/DuckDB, after one unmeasured warm-up of each`);
  lines.push(...machineInfo(duckV));
  lines.push(`- load average (1/5/15 min) at start ${load0.map((x) => x.toFixed(2)).join(' ')}, at end ${load1.map((x) => x.toFixed(2)).join(' ')}${Math.max(load0[0], load1[0]) > os.availableParallelism() * 0.5 ? ' — other processes were using the CPU: times are noisy' : ''}`);
  lines.push(`- wall time = spawn → exit of a fresh process; peak RSS = max over the runs of the child's ru_maxrss (${rssMode === 'time' ? 'GNU time %M' : 'node --require maxrss.cjs'}); MB = 10⁶ bytes; node start-up (\`node -e 0\`) median ${f(median(nodeStart), 0)} ms`);
  lines.push(`- CLI: \`node dist/cli.js FILE --json --target target --prediction prediction\`; DuckDB: \`node scripts/bench/duck.mjs FILE\` (read_csv/read_json, fsum/favg, median)`);
  lines.push(`- multiclass (multi10e6): CLI \`node dist/cli.js FILE --json --target label\` (auto-detected: ten columns proba_0…proba_9); DuckDB \`node scripts/bench/duck.mjs FILE --task multiclass\` (log loss, Brier, accuracy; the CLI computes every multiclass metric besides: cross-entropy, focal, F1, MCC, one-vs-rest AUC and AP, ECE, confusion, worst rows, shares)`);
  lines.push(`- binary (bin*): CLI \`node dist/cli.js FILE --json --target label --prediction probability\` (auto-detected as binary); DuckDB \`node scripts/bench/duck.mjs FILE --task binary\` (log loss, Brier, accuracy, ROC AUC from ranks; the CLI computes every binary metric, curves, calibration, worst rows and shares besides)`);
  lines.push('');
  lines.push('| workload | size MB | tool | median s | MB/s | peak RSS MiB | ratio (CLI/DuckDB) | goal | met? | runs s |');
  lines.push('| --- | ---: | --- | ---: | ---: | ---: | ---: | --- | --- | --- |');
  const checks = [];
  const summary = [];
  for (const w of workloads) {
    const mb = w.bytes / 1e6;
    const ok = (rs) => rs.filter((r) => r.code === 0);
    const cliMed = median(ok(w.cli).map((r) => r.ms)) / 1000;
    const duckMed = median(ok(w.duck).map((r) => r.ms)) / 1000;
    const cliRss = Math.max(...ok(w.cli).map((r) => mib(r.rssKiB)));
    const duckRss = Math.max(...ok(w.duck).map((r) => mib(r.rssKiB)));
    const catMed = median(w.cat) / 1000;
    const ratio = cliMed / duckMed;
    // csvgz1e7: the goal is a time, from the floor (gzip -dc) and the plain file's CLI time.
    const plain = w.goal.plus && workloads.find((x) => x.name === w.goal.plus);
    const plainMed = plain ? median(plain.cli.filter((r) => r.code === 0).map((r) => r.ms)) / 1000 : NaN;
    const goalS = w.goal.factor * (catMed + plainMed);
    const goalText = w.goal.plus
      ? `≤ ${w.goal.factor} × (gzip -dc + ${w.goal.plus} CLI)${plain ? ` = ${f(goalS, 2)} s` : ` (run with ${w.goal.plus})`}`
      : `≤ ${w.goal.ratio}× DuckDB${w.goal.rssMiB ? `, RSS ≤ ${w.goal.rssMiB} MiB` : ''}`;
    const misses = [];
    let met;
    const cliFailed = ok(w.cli).length < w.cli.length;
    if (!ok(w.cli).length || !ok(w.duck).length) met = 'n/a (failed)';
    else if (w.goal.plus && !plain) met = 'n/a';
    else {
      if (w.goal.plus ? !(cliMed <= goalS) : !(ratio <= w.goal.ratio)) misses.push(w.goal.plus ? `time ${f(cliMed / (catMed + plainMed), 2)}× (floor + plain)` : `time ${f(ratio, 2)}×`);
      if (w.goal.rssMiB && !(cliRss <= w.goal.rssMiB)) misses.push(`RSS ${f(cliRss, 0)} MiB`);
      met = misses.length ? `no (${misses.join(', ')})` : 'yes';
      if (cliFailed) met += ' (some CLI runs failed)';
    }
    const runsS = (rs) => rs.map((r) => (r.code === 0 ? f(r.ms / 1000, 2) : 'FAIL')).join(' ');
    const label = `${w.name}${opts.quick ? ` (${w.rows} rows)` : ''}`;
    lines.push(`| ${label} | ${f(mb, 1)} | CLI | ${f(cliMed, 3)} | ${f(mb / cliMed, 0)} | ${f(cliRss, 0)} | ${f(ratio, 2)} | ${goalText} | ${met} | ${runsS(w.cli)} |`);
    lines.push(`| ${label} | ${f(mb, 1)} | DuckDB | ${f(duckMed, 3)} | ${f(mb / duckMed, 0)} | ${f(duckRss, 0)} | 1 | | | ${runsS(w.duck)} |`);
    lines.push(`| ${label} | ${f(mb, 1)} | raw read (${w.gzip ? 'gzip -dc' : 'cat'}) | ${f(catMed, 3)} | ${f(mb / catMed, 0)} | | | | | ${w.cat.map((x) => f(x / 1000, 3)).join(' ')} |`);
    summary.push(`- ${label}: floor (cat) ${f(catMed, 3)} s = ${f(mb / catMed, 0)} MB/s; CLI ${f(cliMed / catMed, 1)}× the floor, DuckDB ${f(duckMed / catMed, 1)}× (DuckDB's own query time, without start-up, median ${f(median(ok(w.duck).map((r) => parseDuck(r).queryMs)), 0)} ms)`);
    checks.push(checkLine(label, w));
  }
  lines.push('', '## Floor', '', ...summary, '', '## Same results', '', ...checks, '');
  const report = lines.join('\n') + '\n';
  process.stdout.write('\n' + report);
  fs.mkdirSync(DATA, { recursive: true });
  fs.writeFileSync(path.join(DATA, 'last-bench.md'), report);
  log(`(written to ${path.relative(ROOT, path.join(DATA, 'last-bench.md'))})`);
}

/** csvgz1e7's file: the plain CSV of the same rows, gzipped (`gzip -k -6`), made again when older than it. */
function ensureGzip(w) {
  const plainFile = w.file.replace(/\.gz$/, '');
  ensureData({ kind: w.kind, rows: w.rows, file: plainFile });
  const t0 = performance.now();
  let generated = false;
  const fresh = fs.existsSync(w.file) && fs.statSync(w.file).mtimeMs >= fs.statSync(plainFile).mtimeMs;
  if (!fresh) {
    const r = spawnSync('gzip', ['-k', '-f', '-6', plainFile], { stdio: 'inherit' });
    if (r.status !== 0) die(`gzip -k ${plainFile} failed`);
    generated = true;
  }
  return { bytes: fs.statSync(w.file).size, generated, ms: performance.now() - t0 };
}

/** A Parquet workload's file: its CSV's rows written by DuckDB with the workload's codec, made again when older than the CSV. */
function ensureParquet(w) {
  const csv = w.file.replace(/\.[a-z]+\.parquet$/, '.csv');
  ensureData({ kind: w.kind, rows: w.rows, file: csv });
  const t0 = performance.now();
  let generated = false;
  const fresh = fs.existsSync(w.file) && fs.statSync(w.file).mtimeMs >= fs.statSync(csv).mtimeMs;
  if (!fresh) {
    const r = spawnSync(process.execPath, [DUCK, '--to-parquet', csv, w.file, w.parquet], { stdio: 'inherit' });
    if (r.status !== 0) die(`writing ${w.file} with DuckDB failed`);
    generated = true;
  }
  return { bytes: fs.statSync(w.file).size, generated, ms: performance.now() - t0 };
}

function parseDuckVersion(r) {
  try {
    return JSON.parse(r.stdout).duckdb;
  } catch {
    return undefined;
  }
}

/** Compares the first successful run of each tool (all runs of a tool print the same numbers). */
function checkLine(label, w) {
  const firstOk = (rs) => rs.find((r) => r.code === 0) ?? rs[0];
  const c = parseCli(firstOk(w.cli));
  const d = parseDuck(firstOk(w.duck));
  if (c.error) return `- ${label}: CLI FAILED — ${c.error}`;
  if (d.error) return `- ${label}: DuckDB FAILED — ${d.error}`;
  const problems = [];
  if (c.rows !== d.rows) problems.push(`rows used: CLI ${c.rows}, DuckDB ${d.rows}`);
  const checked = CHECKED[w.task ?? 'regression'];
  let largest = 0;
  for (const k of checked) {
    const a = c.metrics?.[k], b = d.metrics?.[k];
    const rd = relDiff(a, b);
    if (!(rd <= TOL)) problems.push(`${k}: CLI ${a}, DuckDB ${b} (rel. diff ${rd.toExponential(2)})`);
    else largest = Math.max(largest, rd);
  }
  // The other metrics, for information (medianAE, logCosh, r2 … are not part of the check)
  let worst = { k: '', rd: 0 };
  for (const k of Object.keys(d.metrics)) {
    if (checked.includes(k)) continue;
    const rd = relDiff(c.metrics?.[k], d.metrics[k]);
    if (!(rd <= worst.rd)) worst = { k, rd };
  }
  if (w.task === 'binary' || w.task === 'multiclass') {
    const vals = checked.map((k) => `${k} ${c.metrics[k]}`).join(', ');
    return problems.length
      ? `- ${label}: **MISMATCH** — ${problems.join('; ')}`
      : `- ${label}: ok — ${c.rows} rows, ${checked.join(', ')} agree to ≤ ${TOL} relative (largest ${largest.toExponential(1)}; CLI ${vals})`;
  }
  const others = worst.k ? `; other metrics: largest rel. diff ${Number.isFinite(worst.rd) ? worst.rd.toExponential(1) : 'NaN'} (${worst.k}: CLI ${c.metrics?.[worst.k]}, DuckDB ${d.metrics[worst.k]})` : '; other metrics identical';
  const mm = `MAE ${c.metrics.mae}, MSE ${c.metrics.mse}`;
  return problems.length
    ? `- ${label}: **MISMATCH** — ${problems.join('; ')}${others}`
    : `- ${label}: ok — ${c.rows} rows, MAE and MSE agree to ≤ ${TOL} relative (${mm})${others}`;
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
