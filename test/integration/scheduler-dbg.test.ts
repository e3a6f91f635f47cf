import { it } from 'vitest';
import { harness, walk, DAY } from './scheduler-fixtures.ts';
it('dbg', async () => {
  const h = await harness('dbg', '2026-03-26T00:00:00Z');
  const a = h.workflow('Hourly');
  h.service.setSchedule(a.id, { cron: 'hourly', timezone: 'Europe/Berlin' });
  h.scheduler.start();
  await walk(h, h.clock.now() + 0.2 * DAY);
  console.log(h.service.slotHistory({ limit: 5 }));
  console.log(h.engine.store.listRuns({ limit: 3 }));
  console.log(h.logs);
  await h.close();
});
