/**
 * The registry of loss families (see family.ts): the only module that names them all. A new
 * family adds its import, its id, and its types to the unions below.
 */
import type { LossFamily } from './family';
import { classification, ClassificationJob } from './tasks/classification';
import type { ClassPart } from './tasks/classification/parts';
import type { ClassificationReport } from './tasks/classification/report';
import { multiclass, MulticlassJob } from './tasks/multiclass';
import type { MultiPart } from './tasks/multiclass/parts';
import type { MulticlassReport } from './tasks/multiclass/report';
import { regression, RegressionJob } from './tasks/regression';
import type { RangeResult } from './tasks/regression/parts';
import type { Report } from './tasks/regression/report';
import type { SerializedKeys } from './tasks/regression/residualKeys';
import type { RegressionPassPlan } from './tasks/regression/rangePass';

export type FamilyId = FamilyJob['family'];
/** A planned analysis of any family (its `family` field names it). */
export type FamilyJob = RegressionJob | ClassificationJob | MulticlassJob;
/** A byte range's partial result, of any family. */
export type FamilyPart = RangeResult | ClassPart | MultiPart;
/** A scan thread's state, serialized, of any family. */
export type FamilyThreadState = SerializedKeys | null;
export type FamilyReport = Report | ClassificationReport | MulticlassReport;
/** A family's plan of the pass after the scan (LossFamily.passPlan), of any family; null: none. */
export type FamilyPassPlan = RegressionPassPlan | null;

/**
 * A family as the engine handles it: its options and its per-thread state are opaque (the engine
 * only passes them back to the family that made them).
 */
export type AnyFamily = LossFamily<unknown, FamilyJob, FamilyPart, unknown, FamilyThreadState, FamilyReport, FamilyPassPlan>;

const FAMILIES: Record<FamilyId, AnyFamily> = { regression: regression as AnyFamily, classification: classification as AnyFamily, multiclass: multiclass as AnyFamily };

export function familyOf(id: FamilyId): AnyFamily {
  return FAMILIES[id];
}
