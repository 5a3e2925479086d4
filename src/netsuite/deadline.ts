/**
 * The deadline of one NetSuite HTTP request: a signal that aborts after `timeoutMs` or when the caller's own signal
 * does, and whether it was the timeout that fired (a timeout and a cancellation are different errors).
 */
export interface RequestDeadline {
  signal: AbortSignal;
  timedOut(): boolean;
  /** Stops the timer and lets go of the caller's signal; call it when the request is over. */
  clear(): void;
}

export function requestDeadline(timeoutMs: number, caller?: AbortSignal): RequestDeadline {
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = (): void => controller.abort();
  caller?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    clear() {
      clearTimeout(timer);
      caller?.removeEventListener('abort', onAbort);
    },
  };
}
