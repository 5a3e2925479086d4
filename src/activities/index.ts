/**
 * The activities the worker registers. Each one is thin: it calls one integration operation and turns its errors into
 * ApplicationFailures. They are added with the workflows that use them.
 */
export const activities = {};
