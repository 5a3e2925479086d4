/**
 * Keeps an activity visibly alive while a slow call is pending: heartbeats every second (so a crashed worker is noticed
 * within the heartbeat timeout and the activity is retried elsewhere) and hands the activity's cancellation signal to
 * the call, so a cancelled activity aborts its HTTP request.
 */
import { Context } from '@temporalio/activity';

export async function withHeartbeat<T>(run: (signal: AbortSignal) => Promise<T>, everyMs = 1000): Promise<T> {
  const context = Context.current();
  const timer = setInterval(() => context.heartbeat(), everyMs);
  try {
    return await run(context.cancellationSignal);
  } finally {
    clearInterval(timer);
  }
}
