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
}

/** Clock ticks per second of /proc's utime and stime (USER_HZ: 100 on Linux's supported platforms). */
const USER_HZ = 100;

function postgresMs(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return null;
  }
  let ticks = 0;
  for (const pid of pids) {
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      // Fields after the command's closing parenthesis: state is the first, utime the 12th, stime the 13th.
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return (ticks * 1000) / USER_HZ;
}

export function cpuNow(): CpuSample {
  const usage = process.cpuUsage();
  return { processMs: (usage.user + usage.system) / 1000, postgresMs: postgresMs() };
}

/** CPU used since `start`. A postgres process that ended in between takes its time with it (undercounts, never overcounts). */
export function cpuSince(start: CpuSample): CpuSample {
  const now = cpuNow();
  return { processMs: now.processMs - start.processMs, postgresMs: now.postgresMs === null || start.postgresMs === null ? null : now.postgresMs - start.postgresMs };
}

export function addCpu(a: CpuSample, b: CpuSample): CpuSample {
  return { processMs: a.processMs + b.processMs, postgresMs: a.postgresMs === null || b.postgresMs === null ? null : a.postgresMs + b.postgresMs };
}
