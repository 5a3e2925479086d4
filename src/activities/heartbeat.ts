/**
 * Keeps an activity visibly alive while a slow call is pending: heartbeats every second (so a crashed worker is noticed
 * within the heartbeat timeout and the activity is retried elsewhere) and hands the activity's cancellation signal to
 * the call, so a cancelled activity aborts its HTTP request. `details`, when given, is what each heartbeat carries
 * (e.g. the inventory sync's resume point), read afresh every time.
 */
import { Context } from '@temporalio/activity';

export async function withHeartbeat<T>(run: (signal: AbortSignal) => Promise<T>, options: { everyMs?: number; details?: () => unknown } = {}): Promise<T> {
  const context = Context.current();
  const { details } = options;
  const timer = setInterval(() => context.heartbeat(details?.()), options.everyMs ?? 1000);
  try {
    return await run(context.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}
