/**
 * Plain-words descriptions of an order's sync state: the private WooCommerce note, the workflow's current details in
 * the Temporal UI, and the CLI's readable output all say the same thing. Pure functions (workflows import this).
 */
import type { Attention, OrderSyncState } from './api';

/** One line: "Synced: NetSuite sales order 1001." / "Skipped: …" / "Needs attention: …". */
export function headline(state: OrderSyncState): string {
  switch (state.status) {
    case 'Synced':
      return `Synced: NetSuite sales order ${state.salesOrderId ?? '?'}${state.externalId ? ` (external ID ${state.externalId})` : ''}.`;
    case 'Skipped':
      return `Skipped (${state.skipped?.rule ?? 'rule'}): ${state.skipped?.detail ?? ''}`.trim();
    case 'NeedsAttention':
      return `Needs attention: ${state.attention?.message ?? 'unknown failure'}`;
    case 'Failed':
      return `Failed: ${state.attention?.message ?? 'unknown failure'}`;
    default:
      return state.delay ? `In progress: ${state.step}, waiting for NetSuite since ${state.delay.since}: ${state.delay.reason}` : `In progress: ${state.step}.`;
  }
}

/** The details block of a NeedsAttention or Failed order, one fact per line. */
export function attentionLines(attention: Attention): string[] {
  const lines = [`What failed: ${attention.message}`, `Failure type: ${attention.failureType} (step ${attention.step})`];
  if (attention.netsuite) {
    const ns = attention.netsuite;
    const parts = [ns.status !== undefined ? `HTTP ${ns.status}` : undefined, ns.code, ns.path ? `at ${ns.path}` : undefined].filter(Boolean);
    lines.push(`NetSuite said: ${parts.join(' ')}${ns.detail ? ` — ${ns.detail}` : ''}`);
  }
  if (attention.matchKey) lines.push(`Customer match key: ${attention.matchKey.kind} = ${attention.matchKey.value}`);
  lines.push(`To fix: ${attention.fix}`);
  return lines;
}

/** The text of the private order note and of the UI's current details. */
export function describeState(state: OrderSyncState): string {
  const lines = [headline(state)];
  if (state.attention && (state.status === 'NeedsAttention' || state.status === 'Failed')) {
    lines.push(...attentionLines(state.attention).slice(1));
    if (state.status === 'NeedsAttention') lines.push('Then send the workflow a "retry" signal (or "skip" with a reason).');
  }
  for (const change of state.changes ?? []) {
    lines.push(`Applied in NetSuite: ${change.describe} → ${change.netsuite.type} ${change.netsuite.id}${change.resolvedDuplicate ? ' (it already existed: an earlier attempt was accepted)' : ''}.`);
  }
  for (const shipment of state.shipments ?? []) {
    const numbers = shipment.trackingNumbers.length > 0 ? `tracking ${shipment.trackingNumbers.join(', ')}` : 'no tracking number';
    const via = shipment.via === 'shipmentTracking' ? 'Shipment Tracking' : shipment.customerNotified ? 'a customer note' : 'a private note';
    const after = shipment.completed ? 'order completed' : shipment.stillToShip.length > 0 ? `still to ship: ${shipment.stillToShip.join(', ')}` : 'everything shipped';
    lines.push(`Shipped: NetSuite ${shipment.fulfilment.tranId}, ${numbers}, pushed by ${via}; ${after}.`);
  }
  for (const warning of state.warnings) lines.push(`Warning: ${warning}`);
  return lines.join('\n');
}
