import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { analyze, AnalyzeOptions } from '../../src/engine/analyze';
import { openFileSource } from '../../src/engine/source';
import { LossInspectorError } from '../../src/core/errors';
import { bundle } from '../helpers/bundle';
import { repoRoot } from '../helpers/paths';
import { opts } from '../helpers/run';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'li-files-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

async function run(file: string, over: Partial<AnalyzeOptions> = {}) {
  const src = openFileSource(file);
  try {
    return await analyze(src, opts(over));
  } finally {
    src.close();
  }
}

function expectError(f: () => unknown, code: string, pattern: RegExp) {
  return assert.rejects(
    (async () => f())(),
    (e: unknown) => e instanceof LossInspectorError && e.code === code && pattern.test(e.message),
  );
}

test('paths that are not data files get a sentence, not a crash or a hang', async () => {
  await expectError(() => run(path.join(dir, 'missing.csv')), 'notFound', /does not exist/);
  fs.mkdirSync(path.join(dir, 'folder.csv'));
  await expectError(() => run(path.join(dir, 'folder.csv')), 'isDirectory', /is a directory/);
  fs.symlinkSync(path.join(dir, 'loop-b.csv'), path.join(dir, 'loop-a.csv'));
  fs.symlinkSync(path.join(dir, 'loop-a.csv'), path.join(dir, 'loop-b.csv'));
  await expectError(() => run(path.join(dir, 'loop-a.csv')), 'readFailed', /symbolic link loop/);
  // A FIFO with no writer would block open() forever: it is refused before opening.
  execFileSync('mkfifo', [path.join(dir, 'pipe.csv')]);
  await expectError(() => run(path.join(dir, 'pipe.csv')), 'notAFile', /not a regular file/);
});

test('a regular file swapped for a FIFO after the type check is refused, not waited on (#19)', () => {
  // The swap is made deterministic: a preload makes fs.statSync see a regular file where the CLI
  // then opens a FIFO with no writer, as when the file is replaced between the check and the open.
  // A blocking open would never return (the child is killed by the safety timeout, and the test
  // fails); opened non-blocking, the FIFO is recognised by fstat and refused with the sentence.
  const fifo = path.join(dir, 'swapped.csv');
  execFileSync('mkfifo', [fifo]);
  const regular = path.join(dir, 'regular.csv');
  fs.writeFileSync(regular, 'y_true,y_pred\n1,2\n');
  const preload = path.join(dir, 'stat-sees-a-file.cjs');
  fs.writeFileSync(
    preload,
    `const fs = require('node:fs');
const real = fs.statSync;
fs.statSync = function (p, ...rest) { return real.call(this, p === process.env.LI_FIFO ? process.env.LI_REGULAR : p, ...rest); };
`,
  );
  const cli = bundle('cli');
  const r = spawnSync(process.execPath, ['--require', preload, cli, fifo], {
    encoding: 'utf8',
    timeout: 60_000,
    cwd: repoRoot,
    env: { ...process.env, LI_FIFO: fifo, LI_REGULAR: regular },
  });
  assert.equal(r.signal, null, 'the CLI ended by itself (open() did not block)');
  assert.equal(r.status, 1, `exit code 1 (bad input), stderr: ${r.stderr}`);
  assert.equal(r.stderr.trim(), `loss-inspector: '${fifo}' is not a regular file (it is a pipe, socket or device), so it cannot be read as data.`);
});

test('a file opened non-blocking reads normally, from any position', () => {
  const file = path.join(dir, 'nonblocking.csv');
  const text = 'y_true,y_pred\n' + '1,2\n'.repeat(50_000);
  fs.writeFileSync(file, text);
  const src = openFileSource(file);
  try {
    assert.equal(src.size, text.length);
    const buf = new Uint8Array(text.length);
    let n = 0;
    while (n < text.length) {
      const got = src.read(buf, n, Math.min(65536, text.length - n), n);
      assert.ok(got > 0);
      n += got;
    }
    assert.equal(Buffer.from(buf).toString('utf8'), text);
    const mid = new Uint8Array(4);
    assert.equal(src.read(mid, 0, 4, 14 + 4 * 1000), 4);
    assert.equal(Buffer.from(mid).toString('utf8'), '1,2\n');
    src.verifyUnchanged?.();
  } finally {
    src.close();
  }
});

/** A temporary folder that every user can enter (os.tmpdir() may be private, e.g. TMPDIR=/root/tmp). */
function sharedTmpdir(): string {
  for (let d = os.tmpdir(); ; d = path.dirname(d)) {
    if ((fs.statSync(d).mode & 0o001) === 0) return '/tmp';
    if (path.dirname(d) === d) return os.tmpdir();
  }
}

test('a file that cannot be read (permission denied) gets a sentence naming it', async () => {
  // Really denied: as root (this CI) the CLI runs as `nobody`, for whom a mode-000 file is closed.
  // It runs as a self-contained bundle copied beside the file: `nobody` may not be able to enter
  // the checkout (a clone under /root, a `mktemp -d` folder), so neither tsx nor the sources.
  const d = fs.mkdtempSync(path.join(sharedTmpdir(), 'li-perm-'));
  fs.chmodSync(d, 0o755);
  const file = path.join(d, 'secret.csv');
  fs.writeFileSync(file, 'y_true,y_pred\n1,2\n');
  fs.chmodSync(file, 0o000);
  try {
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) {
      await expectError(() => run(file), 'permission', /^Permission denied when reading '.*secret\.csv'\.$/);
      return;
    }
    const cli = bundle('cli', d);
    const r = spawnSync(process.execPath, [cli, file], {
      uid: 65534,
      gid: 65534,
      encoding: 'utf8',
      timeout: 60_000,
      cwd: d,
      env: { PATH: process.env.PATH ?? '', HOME: d },
    });
    assert.equal(r.status, 1, `exit code 1 (bad input), stderr: ${r.stderr}`);
    assert.equal(r.stderr.trim(), `loss-inspector: Permission denied when reading '${file}'.`);
  } finally {
    fs.rmSync(d, { recursive: true, force: true });
  }
});

test('a file that changes while it is read is reported, not half-counted', async () => {
  const file = path.join(dir, 'growing.csv');
  fs.writeFileSync(file, 'y_true,y_pred\n' + '1,2\n'.repeat(1000));
  const src = openFileSource(file);
  try {
    fs.appendFileSync(file, '3,4\n'.repeat(10)); // grows after it was opened
    await assert.rejects(analyze(src, opts()), (e: unknown) => e instanceof LossInspectorError && e.code === 'fileChanged' && /changed while it was being read/.test(e.message));
  } finally {
    src.close();
  }
  const shrink = openFileSource(file);
  try {
    fs.truncateSync(file, 100); // truncated after it was opened
    await assert.rejects(analyze(shrink, opts()), (e: unknown) => e instanceof LossInspectorError && e.code === 'fileChanged');
  } finally {
    shrink.close();
  }
});

test('a 50 MB single line and 100,000 columns are read, not refused or stuck', async () => {
  const long = path.join(dir, 'long-line.csv');
  fs.writeFileSync(long, 'y_true,y_pred,note\n1,2,"' + 'x'.repeat(50 << 20) + '"\n3,5,short\n');
  const r = await run(long);
  assert.equal(r.rows.used, 2);
  assert.deepEqual(r.models[0].worst.map((w) => w.line), [3, 2]);
  const wide = path.join(dir, 'wide.csv');
  const names = Array.from({ length: 100_000 }, (_, i) => `c${i}`);
  names[99_998] = 'y_true';
  names[99_999] = 'y_pred';
  const row = Array.from({ length: 100_000 }, (_, i) => (i >= 99_998 ? String(i - 99_997) : '0')).join(',');
  fs.writeFileSync(wide, names.join(',') + '\n' + row + '\n' + row + '\n');
  const w = await run(wide);
  assert.equal(w.rows.used, 2);
  assert.equal(w.models[0].metrics.l1, 2);
});

test('a huge column name is cut in messages, not quoted in full', async () => {
  const huge = 'n' + 'é'.repeat(200_000) + '"\u0007';
  const f = path.join(dir, 'huge-name.csv');
  fs.writeFileSync(f, `"${huge.replace(/"/g, '""')}",a,b\n1,2,3\n`);
  await assert.rejects(run(f), (e: unknown) => {
    assert.ok(e instanceof LossInspectorError);
    assert.equal(e.code, 'noTarget');
    assert.ok(e.message.length < 600, `a short sentence (${e.message.length} characters)`);
    assert.match(e.message, /Its columns are: "néé+…" \(a name of 200003 characters\), "a", "b"\./);
    return true;
  });
  // Asked for by name, it is found.
  const r = await run(f, { columns: { target: huge, predictions: ['a'] } });
  assert.equal(r.target, huge);
});

test('a /proc file (size 0, content when read) is not called empty (#19 item 12)', { skip: !fs.existsSync('/proc/self/status') }, async () => {
  const src = openFileSource('/proc/self/status');
  try {
    await assert.rejects(analyze(src, opts()), (e: unknown) => {
      assert.ok(e instanceof LossInspectorError);
      assert.equal(e.message, "'/proc/self/status' reports a size of 0 bytes but has content (a file generated as it is read, as in /proc or /sys); copy it to a regular file and compute the loss of the copy.");
      return true;
    });
  } finally {
    src.close();
  }
  const empty = path.join(dir, 'really-empty.csv');
  fs.writeFileSync(empty, '');
  const e2 = openFileSource(empty);
  try {
    await assert.rejects(analyze(e2, opts()), /really-empty\.csv' is empty\.$/);
  } finally {
    e2.close();
  }
});
