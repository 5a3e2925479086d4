/**
 * Why an order cannot be mapped, as data: the failure type (the FailureType search attribute), what is wrong in plain
 * words, and what to change — naming the mapping path — before sending the workflow a `retry` signal.
 * Problems never carry secrets; they may name SKUs, shipping methods, e-mail-free order facts and NetSuite IDs.
 */
import type { FailureType } from '../api';

/** The failure types the mapping can report. */
export type MappingFailureType = Extract<
  FailureType,
  'UnknownSku' | 'UnknownShippingMethod' | 'UnknownCurrency' | 'MissingCustomerEmail' | 'AmbiguousCustomer' | 'InvalidMapping'
>;

/** An order the mapping cannot turn into a sales order until a human changes the mapping, NetSuite or WooCommerce. */
export interface MappingProblem {
  /** The FailureType search attribute value. */
  failureType: MappingFailureType;
  /** What is wrong, in plain words. */
  message: string;
  /** What to change before sending `retry`, naming the mapping path, e.g. add "items.aliases": {"SKU-X": "<NetSuite item name>"} to the mapping file. */
  fix: string;
  /** The facts behind the message (SKUs, method IDs, NetSuite IDs), as strings, for the UI and logs. */
  details: Record<string, string>;
}

/** Where operators change the mapping: named in every `fix`. */
export const MAPPING_FILE_HINT = 'the mapping file (config/mapping.json by default)';

/** Builds a MappingProblem (a small constructor so every problem has the same shape). */
export function mappingProblem(failureType: MappingFailureType, message: string, fix: string, details: Record<string, string> = {}): MappingProblem {
  return { failureType, message, fix, details };
}
