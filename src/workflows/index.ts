/**
 * The workflows the worker serves. Deterministic code only: nothing here (or in what it imports) does I/O.
 * The order workflow and the scheduled workflows are added by their own changes; each lives in a file of its own
 * and is re-exported here.
 */
export {};
