/**
 * The failure converter that moves failure messages and stack traces into an encoded payload, so the payload codec
 * encrypts them too (a NeedsAttention message names the customer's e-mail). Loaded by path (`failureConverterPath`),
 * because the workflow bundle needs it as a module.
 */
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
