// A pass of work every interval, one at a time: the next pass is scheduled when the previous one
// ends (a slow pass never overlaps the next), the timer never keeps the process alive, and stop()
// waits for a pass under way. The workers that poll the database (status sync, review expiry) run
// on it.
export interface PeriodicTask {
  start(): void;
  stop(): Promise<void>;
}

export function periodic(pass: () => Promise<unknown>, intervalMs: number, onError: (error: unknown) => void = () => undefined): PeriodicTask {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;
  let stopped = true;

  function schedule(): void {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass().catch(onError);
      void running.finally(() => {
        running = null;
        schedule();
      });
    }, intervalMs);
    timer.unref();
  }

  return {
    start(): void {
      if (!stopped) return;
      stopped = false;
      schedule();
    },
    async stop(): Promise<void> {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (running) await running;
    },
  };
}
