// CPU time spent while a system is under load, for the benchmarks that share this machine's cores
// between the server, its load generator and the database: this process (every thread, the load
// generator's worker included) and, on Linux, every process named `postgres` (the local server's
// backends; all of them, so another database's activity on the machine is counted too).
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuSample {
  /** This process, user + system, ms. */
  processMs: number;
  /** Every `postgres` process on the machine, ms; null where /proc cannot be read. */
  postgresMs: number | null;
  /** Each postgres process's ticks at a cpuNow() (for cpuSince: a process's own difference). */
  postgresTicks?: ReadonlyMap<string, number>;
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux's supported platforms). */
const USER_HZ = 100;

/** Each running postgres process's CPU ticks (user + system) by pid; null where /proc cannot be read. */
function postgresTicks(): Map<string, number> | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  const ticks = new Map<string, number>();
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      // Fields after the command's closing parenthesis: state is the first, utime the 12th, stime the 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks.set(pid, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return ticks;
}

const ms = (ticks: number): number => (ticks * 1000) / USER_HZ;

export function cpuNow(): CpuSample {
  const usage = process.cpuUsage();
  const ticks = postgresTicks();
  return { processMs: (usage.user + usage.system) / 1000, postgresMs: ticks === null ? null : ms([...ticks.values()].reduce((a, b) => a + b, 0)), ...(ticks ? { postgresTicks: ticks } : {}) };
}

/**
 * CPU used since `start`. PostgreSQL's is each process's own difference: a process that started
 * in between counts whole, and one that ended in between counts nothing (its last ticks are gone:
 * an undercount of that process's share of the interval, never of the others'). Summing totals
 * instead would take a process's whole life off the interval it ended in (a pgbench round's
 * backends ending during the next system's round).
 */
export function cpuSince(start: CpuSample): CpuSample {
  const now = cpuNow();
  const processMs = now.processMs - start.processMs;
  if (!now.postgresTicks || !start.postgresTicks) return { processMs, postgresMs: null };
  let ticks = 0;
  for (const [pid, t] of now.postgresTicks) {
    const before = start.postgresTicks.get(pid) ?? 0;
    ticks += t >= before ? t - before : t; // fewer ticks than before: the pid was reused by a new process
  }
  return { processMs, postgresMs: ms(ticks) };
}

export function addCpu(a: CpuSample, b: CpuSample): CpuSample {
  return { processMs: a.processMs + b.processMs, postgresMs: a.postgresMs === null || b.postgresMs === null ? null : a.postgresMs + b.postgresMs };
}
