// A workflow's schedule in one line on the home page: when it runs next, or that it is
// paused, or that it has none. Clicking opens the workflow's Schedule tab.
import type { Schedule } from '../../../runner/schedule/types.ts';
import { formatInZone, formatRelative } from './schedule-format.ts';
import './schedules.css';

export function ScheduleCell({ schedule: s, name, onOpen }: { schedule?: Schedule; name: string; onOpen(): void }) {
  let text: string;
  let title: string | undefined;
  let state: 'none' | 'paused' | 'active';
  if (!s) {
    state = 'none';
    text = 'no schedule';
  } else if (s.paused) {
    state = 'paused';
    text = 'paused';
  } else {
    state = 'active';
    text = s.nextRunAt ? `next ${formatRelative(s.nextRunAt, Date.now(), true)}` : 'never fires again';
    title = s.nextRunAt ? `${formatInZone(s.nextRunAt, s.timezone)} (${s.timezone}) · ${s.cron}` : s.cron;
  }
  return (
    <button className="sched-cell" data-state={state} title={title} onClick={onOpen} aria-label={`Schedule of ${name}: ${text}${title ? `, ${title}` : ''}`}>
      <ClockIcon /> <span>{text}</span>
    </button>
  );
}

const ClockIcon = () => (
  <svg width="13" height="13" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.6" aria-hidden="true">
    <circle cx="8" cy="8" r="6.2" />
    <path d="M8 4.6V8l2.4 1.6" strokeLinecap="round" />
  </svg>
);
