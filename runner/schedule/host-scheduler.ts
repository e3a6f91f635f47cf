// One call for any process that hosts an Engine (the desktop shell, `aqueduct serve`,
// `aqueduct scheduler`) to take part in scheduling: the facade for its API, and a
// scheduler that schedules if it wins the lease and waits passively otherwise. The
// desktop shell passes its DesktopNotifications and subscribes to onNotification.
import type { Engine } from '../engine.ts';
import { DesktopNotifications } from '../notify/desktop.ts';
import { Scheduler, type SchedulerOptions } from './scheduler.ts';
import { ScheduleService } from './service.ts';

export interface HostedScheduler {
  service: ScheduleService;
  scheduler: Scheduler;
  desktop: DesktopNotifications;
  /** stops scheduling and hands the lease over; runs in flight keep going */
  stop(): Promise<void>;
}

export function hostScheduler(engine: Engine, o: Omit<SchedulerOptions, 'notifier'> & { desktop?: DesktopNotifications } = {}): HostedScheduler {
  const { desktop = new DesktopNotifications(), ...opts } = o;
  const service = new ScheduleService({ store: engine.store, paths: engine.paths, desktop });
  const scheduler = new Scheduler(engine, { ...opts, notifier: service.notifier });
  scheduler.start();
  return { service, scheduler, desktop, stop: () => scheduler.stop() };
}
