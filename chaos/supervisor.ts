/**
 * Keeps one of the stack's processes running, as Kubernetes does for a pod: whenever it exits — killed by the run, or
 * crashed because a dependency was down when it booted — a new one is started after a short back-off (1 s, doubling
 * to 8 s while it keeps failing to start). `kill()` is the run's SIGKILL. `stop()` ends supervision and the process.
 */
import type { WorkerProcess } from '../dev/sync-stack';

export interface SupervisorCounts {
  /** Processes started, the first included. */
  starts: number;
  /** SIGKILLs the run sent. */
  kills: number;
  /** Exits the run did not cause (e.g. a boot that failed while PostgreSQL or Temporal was down). */
  crashes: number;
}

/** The last thing a process wrote (its reason to exit, usually), on one line and short. */
function lastLine(output: string): string {
  const line = output.trimEnd().split('\n').pop()?.trim() ?? '';
  return line === '' ? '(no output)' : line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

export class Supervisor {
  private current: WorkerProcess;
  private stopped = false;
  private killedByUs = new WeakSet<WorkerProcess>();
  private backoffMs = 1000;
  private restartTimer: NodeJS.Timeout | undefined;
  /** Output of processes that crashed on their own (the last ones), for the run's report. */
  readonly crashOutput: string[] = [];
  readonly counts: SupervisorCounts = { starts: 0, kills: 0, crashes: 0 };

  constructor(
    readonly name: string,
    private readonly spawnProcess: () => WorkerProcess,
    private readonly onEvent: (line: string) => void,
  ) {
    this.current = this.launch();
  }

  /** Resolves when the current process is up (logged its ready line). */
  async ready(timeoutMs = 90_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const proc = this.current;
      const up = await Promise.race([
        proc.started.then(() => true),
        proc.exited.then(() => false),
        new Promise<false>((r) => setTimeout(() => r(false), 1000)),
      ]);
      if (up && proc === this.current) return;
      if (Date.now() > deadline) throw new Error(`${this.name} did not start within ${timeoutMs / 1000} s:\n${proc.output().slice(-2000)}`);
    }
  }

  /** SIGKILLs the running process (if any); it is restarted after `downMs` (default at once). */
  kill(downMs = 0): void {
    const proc = this.current;
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return;
    this.killedByUs.add(proc);
    this.counts.kills++;
    this.backoffMs = Math.max(downMs, 50);
    proc.kill('SIGKILL');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    const proc = this.current;
    if (proc.child.exitCode === null && proc.child.signalCode === null) proc.kill('SIGKILL');
    await proc.exited;
  }

  private launch(): WorkerProcess {
    const proc = this.spawnProcess();
    this.counts.starts++;
    void proc.started.then(() => {
      if (proc === this.current) this.backoffMs = 1000;
    });
    void proc.exited.then((code) => {
      if (this.stopped || proc !== this.current) return;
      if (!this.killedByUs.has(proc)) {
        this.counts.crashes++;
        this.crashOutput.push(`${this.name} exited (${code}):\n${proc.output().slice(-1500)}`);
        if (this.crashOutput.length > 5) this.crashOutput.shift();
        this.onEvent(`${this.name} exited on its own (${code}): ${lastLine(proc.output())}; restarting in ${this.backoffMs / 1000} s`);
      }
      const delay = this.backoffMs;
      this.backoffMs = Math.min(this.backoffMs * 2, 8000);
      this.restartTimer = setTimeout(() => {
        if (!this.stopped) this.current = this.launch();
      }, delay);
    });
    return proc;
  }
}
