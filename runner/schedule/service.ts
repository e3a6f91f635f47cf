// The scheduling domain's facade for the API layer (tRPC handlers), the CLI and the
// desktop shell: schedules, their slot history, cascades, retention and notification
// settings. Plain methods over the store; it works whether or not this process is the
// one holding the scheduler lease, since every decision is read back from SQLite.
import type { ParamValue } from '../api/types.ts';
import type { DesktopNotifications } from '../notify/desktop.ts';
import { Notifier } from '../notify/notifier.ts';
import { NotificationSettingsStore } from '../notify/settings.ts';
import type { NotificationSettings, NotificationSettingsInput, SmtpInput, SmtpSettings } from '../notify/types.ts';
import { loadSecretBox, type SecretBox } from '../secrets/secret-box.ts';
import type { MetadataStore } from '../store/metadata-store.ts';
import type { AppPaths } from '../store/paths.ts';
import { CascadeStore } from './cascades.ts';
import { localTimeZone, nextRuns } from './cron.ts';
import { readScheduleBlock, syncScheduleFromFile, type FileSyncResult } from './file-sync.ts';
import { Lease } from './lease.ts';
import { Retention, type RetentionResult } from './retention.ts';
import { ScheduleStore } from './schedule-store.ts';
import type { Cascade, CascadeFire, RetentionUsage, Schedule, ScheduleInput, SchedulerStatus, SlotRecord } from './types.ts';

export interface ScheduleServiceDeps {
  store: MetadataStore;
  paths: AppPaths;
  /** the secret box for SMTP passwords and webhook URLs; default: loaded from the app home */
  secrets?: () => SecretBox;
  /** the desktop shell's notification channel, when one is attached */
  desktop?: DesktopNotifications;
}

export class ScheduleService {
  readonly schedules: ScheduleStore;
  readonly cascades: CascadeStore;
  readonly retention: Retention;
  readonly notificationSettings: NotificationSettingsStore;
  readonly notifier: Notifier;
  private box: SecretBox | undefined;

  constructor(private readonly deps: ScheduleServiceDeps) {
    const { store } = deps;
    const now = () => store.clock.now();
    const newId = () => store.clock.newId();
    this.schedules = new ScheduleStore(store.db, now, newId);
    this.cascades = new CascadeStore(store.db, now, newId);
    this.retention = new Retention(store, deps.paths);
    const secrets = deps.secrets ?? (() => (this.box ??= loadSecretBox(deps.paths.home)));
    this.notificationSettings = new NotificationSettingsStore(store, secrets);
    this.notifier = new Notifier(store, { settings: this.notificationSettings, desktop: deps.desktop });
  }

  // ---- schedules (one per workflow)

  listSchedules(): Schedule[] {
    return this.schedules.list();
  }

  getSchedule(workflowId: string): Schedule | undefined {
    return this.schedules.forWorkflow(workflowId);
  }

  setSchedule(workflowId: string, input: ScheduleInput): Schedule {
    this.requireWorkflow(workflowId);
    return this.schedules.set(workflowId, input, 'app');
  }

  pauseSchedule(workflowId: string): Schedule {
    return this.schedules.setPaused(this.requireSchedule(workflowId).id, true);
  }

  resumeSchedule(workflowId: string): Schedule {
    return this.schedules.setPaused(this.requireSchedule(workflowId).id, false);
  }

  deleteSchedule(workflowId: string): boolean {
    const s = this.schedules.forWorkflow(workflowId);
    return s ? this.schedules.delete(s.id) : false;
  }

  /** Upcoming times for a cron expression, for the editor's preview; throws ScheduleInvalidError. */
  nextRuns(cron: string, timezone: string = localTimeZone(), n = 5, from?: number): number[] {
    return nextRuns(cron, timezone, n, from ?? this.deps.store.clock.now()).map((d) => d.getTime());
  }

  slotHistory(o: { workflowId?: string; limit?: number; since?: number } = {}): SlotRecord[] {
    return this.schedules.slotHistory(o);
  }

  /** Applies the schedule block of a registered workflow's workflow.yaml (call after registering it). */
  syncFromFile(workflowId: string): FileSyncResult {
    const w = this.requireWorkflow(workflowId);
    return syncScheduleFromFile(this.deps.store, workflowId, readScheduleBlock(w.folder));
  }

  schedulerStatus(): SchedulerStatus {
    const l = new Lease(this.deps.store.db, () => this.deps.store.clock.now(), { ttlMs: 0 }).current();
    if (!l || l.expiresAt <= this.deps.store.clock.now()) return { role: 'stopped' };
    return { role: 'holder', holderId: l.holderId, holderPid: l.pid, holderHost: l.host, leaseExpiresAt: l.expiresAt };
  }

  // ---- cascades

  listCascades(workflowId?: string): Cascade[] {
    return this.cascades.list(workflowId);
  }

  addCascade(upstreamWorkflowId: string, downstreamWorkflowId: string, params: Record<string, ParamValue> = {}): Cascade {
    return this.cascades.add(upstreamWorkflowId, downstreamWorkflowId, params);
  }

  removeCascade(id: string): boolean {
    return this.cascades.remove(id);
  }

  cascadeFires(o: { upstreamRunId?: string; cascadeId?: string; limit?: number } = {}): CascadeFire[] {
    return this.cascades.fires(o);
  }

  // ---- retention

  getRetention(): { keepRuns: number; perWorkflow: { workflowId: string; keepRuns: number }[] } {
    const rows = this.deps.store.db.prepare('SELECT workflow_id, keep_runs FROM retention_policies').all() as { workflow_id: string; keep_runs: number }[];
    return { keepRuns: this.retention.globalKeep(), perWorkflow: rows.map((r) => ({ workflowId: r.workflow_id, keepRuns: r.keep_runs })) };
  }

  setGlobalRetention(keepRuns: number): void {
    this.retention.setGlobalKeep(keepRuns);
  }

  /** A workflow's own K; undefined returns it to the global setting. */
  setWorkflowRetention(workflowId: string, keepRuns: number | undefined): void {
    this.requireWorkflow(workflowId);
    this.retention.setKeepFor(workflowId, keepRuns);
  }

  retentionUsage(): RetentionUsage[] {
    return this.retention.usage();
  }

  applyRetention(workflowId?: string): RetentionResult {
    return workflowId ? this.retention.apply(workflowId) : this.retention.applyAll();
  }

  /** Why a run's output is gone ("output deleted by retention: ..."), if it is. */
  outputDeletedReason(runId: string): string | undefined {
    return this.retention.deletedReason(runId);
  }

  // ---- notifications

  getNotificationSettings(workflowId: string): NotificationSettings {
    return this.notificationSettings.get(workflowId);
  }

  setNotificationSettings(workflowId: string, input: NotificationSettingsInput): NotificationSettings {
    this.requireWorkflow(workflowId);
    return this.notificationSettings.set(workflowId, input);
  }

  getSmtp(): SmtpSettings | undefined {
    return this.notificationSettings.getSmtp();
  }

  setSmtp(input: SmtpInput): SmtpSettings {
    return this.notificationSettings.setSmtp(input);
  }

  sendTestNotification(workflowId: string) {
    return this.notifier.sendTest(workflowId);
  }

  deliveries(runId: string) {
    return this.notifier.deliveries(runId);
  }

  private requireWorkflow(workflowId: string) {
    const w = this.deps.store.getWorkflow(workflowId);
    if (!w) throw new Error(`no workflow with id ${workflowId}`);
    return w;
  }

  private requireSchedule(workflowId: string): Schedule {
    const s = this.schedules.forWorkflow(workflowId);
    if (!s) throw new Error(`workflow ${workflowId} has no schedule`);
    return s;
  }
}
