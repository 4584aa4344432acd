/**
 * #16 item 5: the worst-rows picker's choices besides |d|, as the webview draws them: each loss of
 * counts, then the spread's Gaussian NLL and CRPS, then each quantile level (one per column, in
 * the models' order), each with one list or one sentence per model saying why it has none.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LossRow } from '../../src/core/tasks/regression/parts';
import { worstChoices } from '../../src/core/tasks/regression/view/worstChoices';

const row = (line: number, loss: number, sigma?: number): LossRow => ({ line, target: 1, prediction: 2, loss, ...(sigma === undefined ? {} : { sigma }) });

type Fake = Parameters<typeof worstChoices>[0];

function report(models: unknown[], power?: number): Fake {
  return { models, params: { power } } as unknown as Fake;
}

test('the choices come in order (counts, NLL, CRPS, quantile levels) with the labels the picker shows', () => {
  const r = report(
    [
      {
        worstByLoss: { tweedieDeviance: [row(3, 9)], poissonDeviance: [row(4, 8)], gaussianNll: [row(5, 7, 0.5)], crps: [row(6, 6, 0.5)] },
        spread: { column: 'sigma', kind: 'std' },
        quantiles: [
          { q: 0.1, column: 'q10', worst: [row(7, 1)] },
          { q: 0.9, column: 'q90', worst: [row(8, 2)] },
        ],
      },
      {
        worstByLoss: { poissonDeviance: [row(10, 5)] },
        quantiles: [
          { q: 0.5, column: 'q50', worst: [row(11, 3)] },
          { q: 0.9, column: 'q90', worst: [row(12, 4)] },
        ],
      },
    ],
    1.2,
  );
  const c = worstChoices(r);
  assert.deepEqual(
    c.map((x) => x.id),
    ['poissonDeviance', 'tweedieDeviance', 'gaussianNll', 'crps', 'q:q10', 'q:q90', 'q:q50'],
  );
  assert.deepEqual(
    c.map((x) => x.label),
    ['Poisson deviance', 'Tweedie deviance (p = 1.2)', 'Gaussian NLL', 'CRPS', 'pinball at q = 0.1 (q10)', 'pinball at q = 0.9 (q90)', 'pinball at q = 0.5 (q50)'],
  );
  // σ only for the spread's two; a level's table shows its own column as the prediction.
  assert.deepEqual(c.map((x) => x.sigma), [false, false, true, true, false, false, false]);
  assert.deepEqual(c.map((x) => x.prediction), ['prediction', 'prediction', 'prediction', 'prediction', 'q10', 'q90', 'q50']);
  // The shared level q90 lists each model's own rows.
  const q90 = c.find((x) => x.id === 'q:q90')!;
  assert.deepEqual(q90.lists, [{ rows: [row(8, 2)] }, { rows: [row(12, 4)] }]);
});

test('a model without a list says why: outside the domain, no spread, not one of its levels, not finite', () => {
  const r = report([
    {
      worstByLoss: { gammaDeviance: [row(1, 2)], gaussianNll: [row(2, 3, 1)] },
      spread: { column: 'var', kind: 'variance' },
      quantiles: [
        { q: 0.25, column: 'q25', worst: [row(3, 1)] },
        { q: 0.75, column: 'q75', worst: [row(4, 1)] },
      ],
    },
    {
      worstByLoss: {},
      quantiles: [{ q: 0.25, column: 'q25' }],
    },
  ]);
  const c = worstChoices(r);
  assert.deepEqual(
    c.map((x) => x.id),
    ['gammaDeviance', 'gaussianNll', 'q:q25', 'q:q75'],
  );
  const by = (id: string) => c.find((x) => x.id === id)!.lists;
  assert.deepEqual(by('gammaDeviance')[1], { none: 'the Gamma deviance is not defined (a row outside its domain).' });
  assert.deepEqual(by('gaussianNll')[1], { none: 'no predicted variance or standard deviation.' });
  assert.deepEqual(by('q:q25')[1], { none: 'its pinball loss at this level is not finite.' });
  assert.deepEqual(by('q:q75')[1], { none: 'q75 is not one of its quantile levels.' });
  // Tweedie's power defaults to 1.5 when the report has none: no Tweedie here, so no choice for it.
  assert.equal(c.some((x) => x.id === 'tweedieDeviance'), false);
});

test('a spread whose NLL is undefined for the model that has it says so, not "no spread"', () => {
  const c = worstChoices(
    report([
      { worstByLoss: { crps: [row(1, 1, 2)] }, spread: { column: 's', kind: 'std' } },
      { worstByLoss: {}, spread: { column: 's2', kind: 'std' } },
    ]),
  );
  assert.deepEqual(c.map((x) => x.id), ['crps']);
  assert.deepEqual(c[0].lists[1], { none: 'the CRPS is not defined (a negative spread, or not finite).' });
});

test('no lists at all: no choices besides |d|', () => {
  assert.deepEqual(worstChoices(report([{}, { worstByLoss: {} }])), []);
});
