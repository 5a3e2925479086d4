/**
 * Short plain-words summaries of a drift diff: the alert's subject and the drift workflow's current details in the
 * Web UI. Pure and import-free (types aside), so workflow code may use it.
 */
import type { DriftChangeKind, DriftDiff } from './types';

/** How each kind of change is named to a human. */
export const KIND_LABELS: Readonly<Record<DriftChangeKind, string>> = {
  vanished: 'Vanished',
  typeChanged: 'Type changed',
  newCustomField: 'New custom field',
  removed: 'Removed',
  changed: 'Changed',
  added: 'Added',
};

/** "1 change that affects the sync", "2 changes that affect the sync", "no change that affects the sync". */
export function changeCountText(changes: number): string {
  if (changes === 0) return 'no change that affects the sync';
  return changes === 1 ? '1 change that affects the sync' : `${changes} changes that affect the sync`;
}

/** The alert's subject: "NetSuite schema drift: 2 changes that affect the sync (account 1234567_SB1)". */
export function driftSubject(diff: DriftDiff): string {
  return `NetSuite schema drift: ${changeCountText(diff.changes)} (account ${diff.account})`;
}

/** One line per change that affects the sync: "salesOrder.custbody_x — Vanished (renamed to custbody_y?)". */
export function changeLines(diff: DriftDiff): string[] {
  return diff.details
    .filter((change) => change.affectsSync)
    .map((change) => {
      const hint = change.renamedTo ? ` (renamed to ${change.renamedTo}?)` : change.renameOf ? ` (${change.renameOf} renamed?)` : '';
      return `${change.recordType}.${change.field} — ${KIND_LABELS[change.kind]}${hint}`;
    });
}

/** The drift workflow's current details (Markdown, as the Web UI shows them) once the diff is known. */
export function driftDetails(diff: DriftDiff, alerted: boolean): string {
  const informational = diff.details.length - diff.changes;
  const head = `**${changeCountText(diff.changes)}** — account ${diff.account}, ${diff.recordTypes.join(', ')} compared with ${diff.fixtureFile} (snapshot of ${diff.fixtureTakenAt}).`;
  const lines = changeLines(diff).map((line) => `- ${line}`);
  const other =
    informational > 0
      ? [`${informational} other difference${informational === 1 ? '' : 's'} that do${informational === 1 ? 'es' : ''} not affect the sync (see the result).`]
      : [];
  const outcome = diff.changes === 0 ? ['No alert sent.'] : [alerted ? 'Alert sent.' : 'Sending the alert…'];
  return [head, ...lines, ...other, ...outcome].join('\n');
}
