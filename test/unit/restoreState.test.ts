import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decideRestore, MAX_REMEMBERED, notRestoredText, parseReportsRecord, rememberReport, REPORTS_VERSION } from '../../src/extension/restoreState';

// What a reloaded window's webview state may restore (#19 item 11), in plain Node.
const file = 'file:///home/u/runs/preds.csv';
const schemes = ['file'];

test('a state naming a data file the extension recorded is restored', () => {
  assert.deepEqual(decideRestore({ uri: file, file: 'preds.csv', beta: 0.5 }, schemes, [file]), { ok: true, uri: file, runs: [] });
  for (const ext of ['tsv', 'json', 'jsonl', 'ndjson', 'CSV']) {
    const u = `file:///d/a.${ext}`;
    assert.equal(decideRestore({ uri: u }, schemes, [u]).ok, true, ext);
  }
  // Percent-encoded names and a UNC authority are still files.
  const odd = 'file:///d/my%20run%23%3F.jsonl';
  assert.equal(decideRestore({ uri: odd }, schemes, [odd]).ok, true);
  const unc = 'file://server/share/a.csv';
  assert.equal(decideRestore({ uri: unc }, schemes, [unc]).ok, true);
});

test('a report of several training logs comes back with every run, or not at all', () => {
  const a = 'file:///runs/version_0/metrics.csv';
  const b = 'file:///runs/version_1/metrics.csv';
  const c = 'file:///runs/version_2/metrics.csv';
  assert.deepEqual(decideRestore({ uri: a, runs: [b, c] }, schemes, [a, b, c]), { ok: true, uri: a, runs: [b, c] });
  const refused = (state: unknown, remembered: string[]) => {
    const d = decideRestore(state, schemes, remembered);
    assert.equal(d.ok, false, JSON.stringify(state));
    return d.ok ? '' : d.reason;
  };
  assert.match(refused({ uri: a, runs: [b, c] }, [a, b]), /one of its runs cannot be read again: the extension did not open a report for this file/);
  assert.match(refused({ uri: a, runs: [b, 'file:///etc/passwd'] }, [a, b, 'file:///etc/passwd']), /one of its runs.*not a \.csv/);
  assert.match(refused({ uri: a, runs: b }, [a, b]), /not a list of files/);
  assert.match(refused({ uri: a, runs: [7] }, [a, b]), /not a list of files/);
});

test('a virtual workspace scheme is restored only when a workspace folder has it', () => {
  const v = 'vscode-vfs://github/owner/repo/preds.csv';
  assert.equal(decideRestore({ uri: v }, ['file'], [v]).ok, false);
  assert.equal(decideRestore({ uri: v }, ['file', 'vscode-vfs'], [v]).ok, true);
});

test('anything else is refused with a reason', () => {
  const refused = (state: unknown, remembered: string[] = [], s = schemes) => {
    const d = decideRestore(state, s, remembered);
    assert.equal(d.ok, false, JSON.stringify(state));
    return d.ok ? '' : d.reason;
  };
  for (const s of [undefined, null, 42, 'file:///a.csv', [file], {}, { uri: 7 }, { uri: '' }, { uri: ['file:///a.csv'] }]) refused(s, [file]);
  assert.match(refused({ uri: 'not a uri' }, ['not a uri']), /not a URI/);
  for (const u of ['http://evil.example/a.csv', 'https://x/a.csv', 'command:workbench.action.terminal.new?a.csv', 'vscode-userdata:/settings.json', 'untitled:a.csv']) {
    assert.match(refused({ uri: u }, [u]), /scheme/, u);
  }
  for (const u of ['file:///etc/passwd', 'file:///home/u/.ssh/id_rsa', 'file:///d/a.csv.exe', 'file:///d/a.csv/', 'file:///d/csv']) {
    assert.match(refused({ uri: u }, [u]), /not a \.csv/, u);
  }
  // The extension is looked at the path only: a query or fragment does not make a data file.
  assert.match(refused({ uri: 'file:///etc/passwd?x.csv' }, ['file:///etc/passwd?x.csv']), /not a \.csv/);
  assert.match(refused({ uri: 'file:///etc/passwd#.csv' }, ['file:///etc/passwd#.csv']), /not a \.csv/);
  assert.match(refused({ uri: 'file:///d/bad%E0.csv' }, ['file:///d/bad%E0.csv']), /not a URI/);
  assert.match(refused({ uri: 'file:///' + 'a'.repeat(9000) + '.csv' }), /too long/);
  // A data file the extension did not open a report for (a page could have stored any URI).
  assert.match(refused({ uri: 'file:///home/u/other.csv' }, [file]), /did not open a report/);
  // The URI must be the recorded string, not a spelling of it.
  assert.match(refused({ uri: 'FILE:///home/u/runs/preds.csv' }, [file]), /did not open a report/);
});

test('the record of opened reports: versioned, most recent first, bounded', () => {
  assert.deepEqual(parseReportsRecord(undefined), []);
  assert.deepEqual(parseReportsRecord({ uris: [file] }), [], 'no version: not the extension’s record');
  assert.deepEqual(parseReportsRecord({ version: 2, uris: [file] }), [], 'another version');
  assert.deepEqual(parseReportsRecord({ version: REPORTS_VERSION, uris: 'x' }), []);
  assert.deepEqual(parseReportsRecord({ version: REPORTS_VERSION, uris: [file, 3, null] }), [file]);

  let r = rememberReport([], 'file:///a.csv');
  r = rememberReport(parseReportsRecord(r), 'file:///b.csv');
  r = rememberReport(parseReportsRecord(r), 'file:///a.csv');
  assert.deepEqual(r, { version: REPORTS_VERSION, uris: ['file:///a.csv', 'file:///b.csv'] });
  let uris: string[] = [];
  for (let i = 0; i < MAX_REMEMBERED + 10; i++) uris = parseReportsRecord(rememberReport(uris, `file:///f${i}.csv`));
  assert.equal(uris.length, MAX_REMEMBERED);
  assert.equal(uris[0], `file:///f${MAX_REMEMBERED + 9}.csv`);
});

test('a comparison is not restored, and its advice is Compare Loss, not Compute Loss', () => {
  const d = decideRestore({ file: 'a.csv vs b.csv', comparison: true }, schemes, [file]);
  assert.deepEqual(d, { ok: false, reason: 'a comparison of several files is not restored after a reload', comparison: true });
  const text = notRestoredText(d.ok ? '' : d.reason, true);
  assert.match(text, /Compare Loss/);
  assert.doesNotMatch(text, /Compute Loss/);
  // A one-file report keeps its advice.
  assert.match(notRestoredText('no saved state', false), /Compute Loss on the file again/);
});
