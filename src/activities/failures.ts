/**
 * Turns integration errors into the failures Temporal acts on — the one place that decides retry, back off, or
 * needs a human. NetSuite and WooCommerce clients classify their errors (src/netsuite/errors.ts,
 * src/woocommerce/errors.ts); this file maps each class to an ApplicationFailure.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { NEEDS_ATTENTION, type Attention } from '../api';
import { backoffDelayMs } from '../netsuite/backoff';
import { NetSuiteError } from '../netsuite/errors';
import { WooCommerceError } from '../woocommerce/errors';
import type { MappingProblem } from '../mapping';

/** What an activity knows about a failure that needs a human; the workflow adds the step and the time. */
export type AttentionDetails = Omit<Attention, 'step' | 'since'>;

/** A non-retryable failure the workflow turns into NeedsAttention. */
export function needsAttention(details: AttentionDetails): ApplicationFailure {
  return ApplicationFailure.create({ type: NEEDS_ATTENTION, message: details.message, nonRetryable: true, details: [details] });
}

export function fromMappingProblem(problem: MappingProblem, matchKey?: Attention['matchKey']): ApplicationFailure {
  return needsAttention({ failureType: problem.failureType, message: problem.message, fix: problem.fix, ...(matchKey ? { matchKey } : {}) });
}

const attempt = (): number => {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
};

/**
 * NetSuite error → failure. `what` says what we were doing ("creating the sales order"); `matchKey` is included in a
 * NeedsAttention so the engineer sees which customer key was used.
 */
export function fromNetSuiteError(error: NetSuiteError, what: string, matchKey?: Attention['matchKey']): ApplicationFailure {
  const netsuite = {
    ...(error.status !== undefined ? { status: error.status } : {}),
    ...(error.code ? { code: error.code } : {}),
    ...(error.path ? { path: error.path } : {}),
    detail: error.detail,
  };
  const extra = matchKey ? { matchKey } : {};
  switch (error.kind) {
    case 'rate-limited':
      // NetSuite rarely sends Retry-After; without it, jittered exponential back-off so workers never retry in step.
      return ApplicationFailure.create({
        type: 'NetSuiteRateLimited',
        message: `NetSuite answered 429 while ${what}`,
        nextRetryDelay: error.retryAfterMs ?? backoffDelayMs(attempt()),
      });
    case 'unavailable':
    case 'timeout':
    case 'network':
    case 'cancelled':
      return ApplicationFailure.retryable(`NetSuite ${error.kind} while ${what}: ${error.detail}`, `NetSuite_${error.kind}`);
    case 'auth':
      return needsAttention({
        failureType: 'NetSuiteAuth',
        message: `NetSuite refused our credentials while ${what}, even with a freshly minted token.`,
        fix: 'Check the client ID, certificate ID and private key of the declared environment (NS_SANDBOX_* or NS_PROD_*) and the client-credentials mapping in NetSuite (a sandbox refresh wipes it).',
        netsuite,
        ...extra,
      });
    case 'permission':
      return needsAttention({
        failureType: 'NetSuitePermission',
        message: `NetSuite's role for this integration lacks a permission needed for ${what}.`,
        fix: 'Grant the permission to the integration role in NetSuite (Setup › Users/Roles), then send "retry".',
        netsuite,
        ...extra,
      });
    case 'rejected':
    case 'not-found':
    case 'duplicate-external-id':
      if (error.code === 'NONEXISTENT_FIELD') {
        return needsAttention({
          failureType: 'NetSuiteFieldMissing',
          message: `NetSuite has no field ${error.path ?? ''} any more (${what}): ${error.detail}`,
          fix: 'A SuiteScript deploy may have renamed or removed a custom field. Update "customFields" in the mapping file to the field’s new script ID (or restore the field), then send "retry".',
          netsuite,
          ...extra,
        });
      }
      return needsAttention({
        failureType: 'NetSuiteValidation',
        message: `NetSuite refused the request while ${what}: ${error.detail}`,
        fix: error.path
          ? `Look at ${error.path} in the request: fix the mapping (or the record in NetSuite it points at), then send "retry".`
          : 'Fix the mapping or the NetSuite record named in the message, then send "retry".',
        netsuite,
        ...extra,
      });
  }
}

export function fromWooCommerceError(error: WooCommerceError, what: string): ApplicationFailure {
  if (error.retryable || error.kind === 'cancelled') {
    return ApplicationFailure.retryable(`WooCommerce ${error.kind} while ${what}: ${error.detail}`, `WooCommerce_${error.kind}`);
  }
  if (error.kind === 'auth') {
    return needsAttention({
      failureType: 'WooCommerceAuth',
      message: `WooCommerce refused our API key while ${what}: ${error.detail}`,
      fix: 'Check WOO_<STORE>_CONSUMER_KEY / _CONSUMER_SECRET (read/write key), then send "retry".',
    });
  }
  return needsAttention({
    failureType: 'WooCommerceRejected',
    message: `WooCommerce refused the request while ${what}: ${error.detail}`,
    fix: 'Read the message; fix the order or the store settings, then send "retry".',
  });
}

/** Converts any error thrown by a client call; unknown errors propagate unchanged (Temporal retries them). */
export function toFailure(error: unknown, what: string, matchKey?: Attention['matchKey']): unknown {
  if (error instanceof NetSuiteError) return fromNetSuiteError(error, what, matchKey);
  if (error instanceof WooCommerceError) return fromWooCommerceError(error, what);
  return error;
}

/**
 * The store's WooCommerce client, or a NeedsAttention (UnknownStore) when this worker has no such store. `then` says
 * what happens after the fix: e.g. 'then send "retry"', or 'the next scheduled run picks it up'.
 */
export function storeClientOf<C>(stores: ReadonlyMap<string, C>, store: string, then: string): C {
  const client = stores.get(store);
  if (client === undefined) {
    throw needsAttention({
      failureType: 'UnknownStore',
      message: `No store named "${store}" is configured on this worker.`,
      fix: `Add the store to WOO_STORES (with its WOO_<STORE>_* settings) on every worker; ${then}.`,
    });
  }
  return client;
}
