/**
 * The drift alert the integration owner reads: subject with the count and the account, then each change that affects
 * the sync with what to do, the other differences, and how to record intended changes — as plain text and as HTML.
 */
import { escapeHtml, type Alert } from '../alerts/alert';
import { changeCountText, driftSubject, KIND_LABELS } from './summary';
import { SNAPSHOT_COMMAND, type DriftChange, type DriftDiff } from './types';

/** The `kind` of a drift alert (the mail's X-Woo-NetSuite-Alert header). */
export const DRIFT_ALERT_KIND = 'schema-drift';

function intro(diff: DriftDiff): string {
  const from = diff.fixtureAccount !== undefined && diff.fixtureAccount !== diff.account ? `, account ${diff.fixtureAccount}` : '';
  return (
    `NetSuite's metadata catalog of account ${diff.account} (${diff.recordTypes.join(', ')}, read ${diff.readAt}) differs from the snapshot ` +
    `in ${diff.fixtureFile} (taken ${diff.fixtureTakenAt}${from}): ${changeCountText(diff.changes)}.`
  );
}

const outro = (diff: DriftDiff): string =>
  `If every change is intended and the mapping is up to date, record them: ${SNAPSHOT_COMMAND}, then commit ${diff.fixtureFile}. Until then every run of the watcher alerts again.`;

/** Renders the alert for a diff (meant for one with changes > 0; an empty diff renders a "no change" alert). */
export function renderDriftAlert(diff: DriftDiff): Alert {
  const affecting = diff.details.filter((c) => c.affectsSync);
  const other = diff.details.filter((c) => !c.affectsSync);

  const textItem = (change: DriftChange, i: number): string => `${i + 1}. [${KIND_LABELS[change.kind]}] ${change.detail}\n   What to do: ${change.fix}`;
  const text = [
    intro(diff),
    '',
    ...affecting.map((c, i) => `${textItem(c, i)}\n`),
    ...(other.length > 0 ? ['Other differences (they do not affect the sync):', ...other.map((c) => `- [${KIND_LABELS[c.kind]}] ${c.detail}`), ''] : []),
    outro(diff),
  ].join('\n');

  const htmlItem = (change: DriftChange): string =>
    `<li><p><strong>${escapeHtml(KIND_LABELS[change.kind])}: <code>${escapeHtml(`${change.recordType}.${change.field}`)}</code></strong><br>${escapeHtml(change.detail)}</p>` +
    `<p><em>What to do:</em> ${escapeHtml(change.fix)}</p></li>`;
  const html = [
    `<p>${escapeHtml(intro(diff))}</p>`,
    affecting.length > 0 ? `<ol>${affecting.map(htmlItem).join('')}</ol>` : '',
    other.length > 0
      ? `<p>Other differences (they do not affect the sync):</p><ul>${other.map((c) => `<li>${escapeHtml(`[${KIND_LABELS[c.kind]}] ${c.detail}`)}</li>`).join('')}</ul>`
      : '',
    `<p>${escapeHtml(outro(diff))}</p>`,
  ].join('\n');

  return { kind: DRIFT_ALERT_KIND, subject: driftSubject(diff), text, html };
}
