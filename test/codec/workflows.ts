/**
 * A tiny workflow for the history-at-rest test: it takes a customer (e-mail, name, address), hands it to an activity,
 * asks another activity that fails with the e-mail in its message, and returns both — so the customer's data is in the
 * workflow input, an activity input, an activity result, a failure message and the workflow result.
 */
import { proxyActivities } from '@temporalio/workflow';

export interface TestCustomer {
  email: string;
  name: string;
  address: { line1: string; city: string; postcode: string; country: string };
}

export interface CustomerActivities {
  formatShippingLabel(customer: TestCustomer): Promise<string>;
  /** Always fails (non-retryable) with a message naming the e-mail, like a NeedsAttention "no customer matches …". */
  lookUpCustomer(email: string): Promise<string>;
}

const { formatShippingLabel, lookUpCustomer } = proxyActivities<CustomerActivities>({ startToCloseTimeout: '30s', retry: { maximumAttempts: 1 } });

export async function customerLabelWorkflow(input: { orderId: number; customer: TestCustomer }): Promise<{ orderId: number; label: string; lookup: string }> {
  const label = await formatShippingLabel(input.customer);
  let lookup: string;
  try {
    lookup = await lookUpCustomer(input.customer.email);
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    lookup = `failed: ${cause?.message ?? (error as Error).message}`;
  }
  return { orderId: input.orderId, label, lookup };
}
