// CPU time of one thread, from /proc on Linux: the pool uses it to tell a worker that is burning
// CPU past its deadline (to be killed) from one that merely waited for a CPU on a busy machine.
import { readFileSync } from 'node:fs';

/** User + system CPU time (ms, 10 ms resolution) of the thread whose stat file this is; undefined when unreadable. */
export function threadCpu(statPath: string | null): number | undefined {
  if (statPath === null) return undefined;
  try {
    const stat = readFileSync(statPath, 'utf8');
    // After "pid (command) ": state is the first field; utime and stime are fields 14 and 15 of the
    // whole line (clock ticks, 100 per second on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}
