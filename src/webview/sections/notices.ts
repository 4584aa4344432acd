/** Above the report: rows skipped and why, warnings, settings that no longer match the report. */
import { SKIP_REASONS, SKIP_REASON_TEXT } from '../../core/scanTypes';
import { classSettingsNote } from '../../core/tasks/classification/words';
import { settingsNote, skippedIntro, skippedReason, skippedTitle } from '../../core/tasks/regression/words';
import { append, button, h } from '../dom';
import { multiSettingsNote } from '../../core/tasks/multiclass/words';
import type { AnyReportContext, ClassSection, MultiSection, ReportSection, SectionView } from '../section';
import { pieces } from '../words';

/** Every family's reports (rows and warnings are the same in all). */
export const skipped: ReportSection<AnyReportContext> = {
  id: 'skipped',
  render(ctx) {
    const r = ctx.report.rows;
    if (r.skipped === 0) return null;
    const list = h('ul', { class: 'skip-list' });
    for (const reason of SKIP_REASONS) {
      const n = r.skippedByReason[reason];
      if (!n) continue;
      list.append(h('li', null, ...pieces(skippedReason(n, SKIP_REASON_TEXT[reason], r.firstSkippedLines[reason] ?? [], ctx.locations), (l) => ctx.lineLink(l), ctx.locations)));
    }
    const element = h(
      'section',
      { class: 'callout warning skipped', attrs: { 'aria-labelledby': 'skipped-title' } },
      h('h2', { id: 'skipped-title' }, skippedTitle(r)),
      h('p', null, skippedIntro(r, ctx.openable)),
      list,
    );
    return { element };
  },
};

export const warnings: ReportSection<AnyReportContext> = {
  id: 'warnings',
  render(ctx) {
    const w = ctx.report.warnings;
    if (!w.length) return null;
    return { element: h('section', { class: 'callout warning', attrs: { 'aria-label': 'Warnings' } }, h('ul', { class: 'plain' }, ...w.map((x) => h('li', null, x)))) };
  },
};

export const settingsChanged: ReportSection = {
  id: 'settings-changed',
  render(ctx) {
    return recomputeNote(ctx, settingsNote(ctx.settings, ctx.report.params));
  },
};

/** A classifier's report: the threshold or focal γ, α changed in the settings since it was computed. */
export const classSettingsChanged: ClassSection = {
  id: 'class-settings-changed',
  render(ctx) {
    return recomputeNote(ctx, classSettingsNote(ctx.settings, ctx.report.params));
  },
};

/** A multiclass report: the focal γ changed in the settings since it was computed. */
export const multiSettingsChanged: MultiSection = {
  id: 'multi-settings-changed',
  render(ctx) {
    return recomputeNote(ctx, multiSettingsNote(ctx.settings, ctx.report.params));
  },
};

/** A note that the settings changed since the report, with a Recompute link (none in a static page). */
function recomputeNote(ctx: Pick<AnyReportContext, 'interactive' | 'post'>, text: string | null): SectionView | null {
  if (text === null) return null;
  const note = h('p', { class: 'callout info' }, text);
  if (ctx.interactive) append(note, button('Recompute', () => ctx.post({ type: 'rerun' }), { link: true }), ' to apply them.');
  return { element: note };
}
