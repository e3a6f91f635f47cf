// Time for the scheduler, injectable so tests and the benchmark simulate weeks without
// sleeping. FakeClock is also a StoreClock, so one fake time drives the scheduler's
// decisions and the timestamps the engine writes on runs.
export type TimerHandle = unknown;

export interface SchedulerClock {
  now(): number;
  setTimer(ms: number, fn: () => void | Promise<void>): TimerHandle;
  clearTimer(handle: TimerHandle): void;
}

export const systemSchedulerClock: SchedulerClock = {
  now: () => Date.now(),
  setTimer: (ms, fn) => {
    const t = setTimeout(() => void fn(), Math.max(0, ms));
    return t;
  },
  clearTimer: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface FakeTimer {
  id: number;
  at: number;
  fn: () => void | Promise<void>;
}

/** A clock that only moves when told to; advancing fires due timers in time order, awaiting each. */
export class FakeClock implements SchedulerClock {
  private timers: FakeTimer[] = [];
  private seq = 0;

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  newId(): string {
    return crypto.randomUUID();
  }

  setTimer(ms: number, fn: () => void | Promise<void>): TimerHandle {
    const timer = { id: ++this.seq, at: this.t + Math.max(0, ms), fn };
    this.timers.push(timer);
    return timer.id;
  }

  clearTimer(handle: TimerHandle): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }

  /** Jumps without firing timers: what a laptop sees after sleeping. */
  jump(ms: number): void {
    this.t += ms;
  }

  set(t: number): void {
    this.t = t;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.t = Math.max(this.t, due.at);
      await due.fn();
    }
    this.t = target;
  }

  /** When the next timer falls due, if one is set. */
  nextTimerAt(): number | undefined {
    return this.timers.reduce<number | undefined>((m, t) => (m === undefined || t.at < m ? t.at : m), undefined);
  }

  pendingTimers(): number {
    return this.timers.length;
  }
}
