/**
 * What a report is made of: a list of sections, each rendered from a context. A family of losses
 * (regression today, classification next) lists its own sections (src/webview/tasks/) with the
 * report and model types it knows; the shell (reportView.ts) picks the family's list and renders
 * it, and knows nothing of what a section shows.
 */
import type { ClassificationReport, ClassModelReport } from '../core/tasks/classification/report';
import type { MulticlassReport, MultiModelReport } from '../core/tasks/multiclass/report';
import type { ModelReport, Report, RowsSummary } from '../core/tasks/regression/report';
import type { FromWebview, ViewSettings } from '../shared/webviewProtocol';
import type { ChartSlot } from './charts/chartSlot';
import type { UiState } from './host';
import type { UiStore } from './uiStore';

/** A rendered section (or part of one): its element, and how it follows a live setting. */
export interface SectionView {
  readonly element: HTMLElement;
  /** Called after a live setting changed (the β being tried, …): refresh text, redraw charts. */
  update?(): void;
}

export interface ReportSection<C extends ReportContext<unknown, unknown> = ReportContext> {
  /** A stable name (for reading and debugging; not a DOM id). */
  readonly id: string;
  /** Sections about the picked model: not rendered when the report has no model. */
  readonly perModel?: boolean;
  /** The section, or null when it has nothing to show for this report. */
  render(ctx: C): SectionView | null;
}

/** The charts of the page: drawn once it is in the document, rebuilt on theme changes. */
export interface Charts {
  /** Keeps a chart to draw (it is drawn with the others, then on every theme change). */
  add(slot: ChartSlot): ChartSlot;
  /** Destroys a chart and forgets it (a section replacing its chart). */
  remove(slot: ChartSlot): void;
  /** Rebuilds a chart whose data changed (nothing before the page is first drawn). */
  redraw(slot: ChartSlot): void;
}

/** Lets one section point at rows another lists (a "Show these rows" link → the worst rows). */
export interface RowMarks {
  /**
   * A table of rows of model `model`, its rows in order; `reveal`, when given, makes the table
   * visible before show() scrolls to it (the worst rows by a loss of counts may be shown instead).
   */
  register(model: number, table: HTMLTableElement, rows: HTMLTableRowElement[], reveal?: () => void): void;
  /** Scrolls to the table of model `model` and highlights its first `k` rows. */
  show(model: number, k: number): void;
}

/** Settings a reader tries on the page without recomputing (kept in the UI state). */
export type LivePatch = Partial<Pick<UiState, 'beta' | 'threshold' | 'gamma'>>;

/** The model the per-model sections show (the model picker's). */
export interface ModelContext<M = ModelReport> {
  readonly index: number;
  readonly model: M;
}

/** Everything a section may use; nothing else of the page. */
export interface ReportContext<R = Report, M = ModelReport> {
  readonly report: R;
  /** The settings now (they may differ from the report's parameters until a recompute). */
  readonly settings: ViewSettings;
  /** False in a static page: no control that needs the extension is shown. */
  readonly interactive: boolean;
  post(message: FromWebview): void;
  /** UI choices kept across reloads (loss drawn, log scale, group metric, …). */
  readonly ui: UiStore;
  readonly charts: Charts;
  readonly rowMarks: RowMarks;
  /** The picked model; undefined when the report has none. */
  readonly model: ModelContext<M> | undefined;
  /** Shows another model in the per-model sections (the report is rendered again). */
  selectModel(index: number): void;
  /** Changes a live setting; every rendered section's `update` follows. */
  setLive(patch: LivePatch): void;
  /** What the report's locations are: lines of a text file, or rows of a columnar one (Parquet, Arrow). */
  readonly locations: 'line' | 'row';
  /** Whether a location opens in the editor: in VS Code, for a text file (a Parquet or Arrow file has no lines to show). */
  readonly openable: boolean;
  /** A line number of the data file: a button that opens it in the editor, or text (a static page, a row number). */
  lineLink(line: number): HTMLElement;
  openLine(line: number): void;
}

/** A classifier's report context, and its sections (src/webview/tasks/classification.ts). */
export type ClassContext = ReportContext<ClassificationReport, ClassModelReport>;
export type ClassSection = ReportSection<ClassContext>;

/** A multiclass report's context, and its sections (src/webview/tasks/multiclass.ts). */
export type MultiContext = ReportContext<MulticlassReport, MultiModelReport>;
export type MultiSection = ReportSection<MultiContext>;

/** Either classifier's report (binary or multiclass): the sections that serve both tell them apart by `report.task`. */
export type ClassifierContext = ReportContext<ClassificationReport | MulticlassReport, ClassModelReport | MultiModelReport>;
export type ClassifierSection = ReportSection<ClassifierContext>;

/** What every family's report has: the sections that need only this serve them all. */
export type AnyReportContext = ReportContext<{ rows: RowsSummary; warnings: string[] }, unknown>;
