/**
 * The sync rules: whether an order becomes a sales order, or is skipped with the rule that skipped it and why in plain
 * words (nothing is ever dropped silently). Rules, in order: status not in `syncStatuses`; billing e-mail domain in
 * `skip.emailDomains` (test orders); payment method in `skip.paymentMethods`; created_via in `skip.createdVia`.
 */
import type { WooOrder } from '../woocommerce/order';
import type { Mapping } from './schema';
import { normalizeEmail } from './customer';

/** The short IDs of the sync rules, as recorded on a skipped order. */
export const SYNC_RULES = {
  statusNotSynced: 'status-not-synced',
  testEmailDomain: 'test-email-domain',
  paymentMethodSkipped: 'payment-method-skipped',
  createdViaSkipped: 'created-via-skipped',
} as const;

/** The id of one sync rule. */
export type SyncRuleId = (typeof SYNC_RULES)[keyof typeof SYNC_RULES];

/** The verdict of the sync rules. */
export type SyncRuleResult = { sync: true } | { sync: false; rule: SyncRuleId; detail: string };

/** The domain of an e-mail (after the last `@`, normalised), or '' when there is none. */
function emailDomain(email: string): string {
  const normalized = normalizeEmail(email);
  const at = normalized.lastIndexOf('@');
  return at < 0 ? '' : normalized.slice(at + 1);
}

/** Whether `domain` is `listed` or one of its subdomains. */
const inDomain = (domain: string, listed: string): boolean => domain === listed || domain.endsWith(`.${listed}`);

/**
 * Applies the sync rules to an order: `{sync: true}`, or `{sync: false, rule, detail}` for the first rule that skips
 * it (rule = a SYNC_RULES id, detail = plain words, e.g. "status pending is not one of processing, completed, on-hold").
 */
export function evaluateSyncRules(order: WooOrder, mapping: Mapping): SyncRuleResult {
  if (!mapping.syncStatuses.includes(order.status)) {
    return { sync: false, rule: SYNC_RULES.statusNotSynced, detail: `status ${order.status} is not one of ${mapping.syncStatuses.join(', ')}` };
  }
  const domains = mapping.skip.emailDomains ?? [];
  const domain = emailDomain(order.billing.email);
  const listed = domain === '' ? undefined : domains.find((d) => inDomain(domain, d));
  if (listed !== undefined) {
    return {
      sync: false,
      rule: SYNC_RULES.testEmailDomain,
      detail: `billing e-mail domain ${domain} is a test-order domain (${listed} is in skip.emailDomains)`,
    };
  }
  if ((mapping.skip.paymentMethods ?? []).includes(order.payment_method)) {
    return { sync: false, rule: SYNC_RULES.paymentMethodSkipped, detail: `payment method ${order.payment_method} is in skip.paymentMethods` };
  }
  if ((mapping.skip.createdVia ?? []).includes(order.created_via)) {
    return { sync: false, rule: SYNC_RULES.createdViaSkipped, detail: `the order was created via ${order.created_via}, which is in skip.createdVia` };
  }
  return { sync: true };
}
