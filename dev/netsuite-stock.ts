/**
 * NetSuite's stock as the simulator holds it, for the tests and the chaos run to check the inventory sync against —
 * read from the records themselves, not through the integration.
 */
import type { SyncStack } from './sync-stack';

/** NetSuite's available quantity per SKU (itemid) over `locations`, active inventory items only — read from the simulator's records. */
export function netsuiteAvailable(stack: Pick<SyncStack, 'netsuite'>, locations: readonly string[] = ['1', '2']): Map<string, number> {
  const available = new Map<string, number>();
  for (const record of stack.netsuite.control.listRecords('inventoryItem')) {
    if (record.isInactive === true) continue;
    const rows = (record.locations as { items?: { location: { id: string }; quantityAvailable: number }[] } | undefined)?.items ?? [];
    available.set(
      String(record.itemId),
      rows.filter((row) => locations.includes(row.location.id)).reduce((sum, row) => sum + row.quantityAvailable, 0),
    );
  }
  return available;
}
