/**
 * The registry of loss families (see family.ts): the only module that names them all. A new
 * family adds its import, its id, and its types to the unions below.
 */
import type { LossFamily } from './family';
import { regression, RegressionJob } from './tasks/regression';
import type { RangeResult } from './tasks/regression/parts';
import type { Report } from './tasks/regression/report';
import type { SerializedKeys } from './tasks/regression/residualKeys';

export type FamilyId = RegressionJob['family'];
/** A planned analysis of any family (its `family` field names it). */
export type FamilyJob = RegressionJob;
/** A byte range's partial result, of any family. */
export type FamilyPart = RangeResult;
/** A scan thread's state, serialized, of any family. */
export type FamilyThreadState = SerializedKeys;
export type FamilyReport = Report;

/**
 * A family as the engine handles it: its options and its per-thread state are opaque (the engine
 * only passes them back to the family that made them).
 */
export type AnyFamily = LossFamily<unknown, FamilyJob, FamilyPart, unknown, FamilyThreadState, FamilyReport>;

const FAMILIES: Record<FamilyId, AnyFamily> = { regression };

export function familyOf(id: FamilyId): AnyFamily {
  return FAMILIES[id];
}
