/**
 * CPU accounting for a benchmark phase on Linux: the machine's busy share (from /proc/stat) and the CPU seconds of
 * this process and of its child processes (the Temporal dev server, worker processes), read from /proc/<pid>/stat —
 * every thread of a process counted (a worker's Rust core threads, V8's GC threads). Child processes with a role (e.g.
 * "worker", "receiver") are also summed by role. Elsewhere (no /proc) the figures are empty, never an error.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

interface MachineTicks {
  busy: number;
  total: number;
}

function machineTicks(): MachineTicks | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    const total = values.reduce((sum, v) => sum + v, 0);
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** utime + stime of a process in seconds, and its command name; undefined when it is gone. */
function processCpu(pid: number): { seconds: number; name: string; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // fields[0] = state, [1] = ppid, [11] = utime, [12] = stime
    return { seconds: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND, name, ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

/** Direct children of this process, by pid. */
function children(): number[] {
  try {
    return readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number)
      .filter((pid) => processCpu(pid)?.ppid === process.pid);
  } catch {
    return [];
  }
}

/** What a phase used: machine busy share, and CPU seconds per process (this one = "bench"). */
export interface CpuReport {
  cores: number;
  /** Busy share of all cores over the interval, 0..1 (all processes on the machine, other users' included). */
  machineBusy: number;
  /** CPU seconds over the interval, by process ("bench" = this process: simulators, receiver, in-process workers). */
  secondsByProcess: Record<string, number>;
  /** CPU seconds over the interval of the processes given a role, summed by role (processes gone by then count 0). */
  secondsByRole: Record<string, number>;
  /** `uptime` load averages (1, 5, 15 min) at the end. */
  loadAverage: number[];
}

/**
 * Starts measuring; `stop()` returns the figures since the start. `roles` names child processes by what they are
 * (role → pids), for secondsByRole.
 */
export function startCpuMeter(roles: Record<string, readonly number[]> = {}): { stop(): CpuReport } {
  const machineStart = machineTicks();
  const selfStart = process.cpuUsage();
  const childStart = new Map<number, number>();
  for (const pid of children()) childStart.set(pid, processCpu(pid)?.seconds ?? 0);
  const roleStart = new Map<number, number>();
  for (const pids of Object.values(roles)) for (const pid of pids) roleStart.set(pid, processCpu(pid)?.seconds ?? 0);
  return {
    stop() {
      const secondsByRole: Record<string, number> = {};
      for (const [role, pids] of Object.entries(roles)) {
        let seconds = 0;
        for (const pid of pids) {
          const now = processCpu(pid);
          if (now) seconds += now.seconds - (roleStart.get(pid) ?? 0);
        }
        secondsByRole[role] = Math.round(seconds * 100) / 100;
      }
      const machineEnd = machineTicks();
      const self = process.cpuUsage(selfStart);
      const secondsByProcess: Record<string, number> = { bench: Math.round((self.user + self.system) / 1e4) / 100 };
      for (const pid of children()) {
        const now = processCpu(pid);
        if (!now) continue;
        const key = `${now.name}#${pid}`;
        secondsByProcess[key] = Math.round((now.seconds - (childStart.get(pid) ?? 0)) * 100) / 100;
      }
      const busy =
        machineStart && machineEnd && machineEnd.total > machineStart.total
          ? (machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)
          : 0;
      return {
        cores: cpus().length,
        machineBusy: Math.round(busy * 100) / 100,
        secondsByProcess,
        secondsByRole,
        loadAverage: loadavg().map((l) => Math.round(l * 100) / 100),
      };
    },
  };
}
