// Everything that runs in the background, in one place: per-organization jobs (cron or on demand)
// and the consumers of domain events. The scheduler (api/platform/jobs/scheduler.ts) runs them;
// tests deliver events to the same consumers inline (api/platform/events/delivery.ts).
import type { Config } from './config.ts';
import { emailChannel } from './modules/mail/mail.channel.ts';
import { taskRemindersJob } from './modules/mail/task-reminders.job.ts';
import { weeklyDigestJob } from './modules/mail/weekly-digest.job.ts';
import { mailRetentionJob } from './modules/mail/mail-retention.job.ts';
import { deliveriesRetentionJob } from './modules/webhooks/deliveries-retention.job.ts';
import type { NotificationChannel } from './modules/notifications/channel.ts';
import { notificationConsumers } from './modules/notifications/notifications.consumers.ts';
import { inAppChannel } from './modules/notifications/notifications.service.ts';
import { purgeDeletedRecordsJob } from './modules/records/purge-deleted-records.job.ts';
import { slackChannel } from './modules/slack/slack.channel.ts';
import { webhookFanOut } from './modules/webhooks/webhooks.consumers.ts';
import { billingMails } from './modules/billing/billing-mail.consumers.ts';
import { billingSeats } from './modules/billing/billing.consumers.ts';
import { riskEngagement, riskHistory } from './modules/risk/risk.consumers.ts';
import { riskRecomputeJob } from './modules/risk/risk-recompute.job.ts';
import { trackingPurgeJob } from './modules/tracking/tracking-purge.job.ts';
import type { EventConsumer } from './platform/events/consumer.ts';
import { workflowTriggers } from './modules/automation/automation.consumers.ts';
import { workflowResumeJob, workflowTimeTriggersJob } from './modules/automation/automation.jobs.ts';
import { crmReconnectNotifications } from './modules/crm/crm.consumers.ts';
import { crmSyncJob } from './modules/crm/crm-sync.job.ts';
import { createCrmDeps } from './integrations/crm-deps.ts';
import type { CrmConfig } from './integrations/crm-config.ts';
import { eventsRetentionJob } from './platform/events/events-retention.job.ts';
import { purgeIdempotencyKeysJob } from './platform/http/purge-idempotency-keys.job.ts';
import type { JobDefinition } from './platform/jobs/job.ts';
import { importRunJob } from './modules/imports/import-run.job.ts';

// Where notifications go (api/modules/notifications/channel.ts); each member's preferences pick among them.
export const notificationChannels: readonly NotificationChannel[] = [inAppChannel, emailChannel, slackChannel];

export const consumers: readonly EventConsumer[] = [riskHistory, riskEngagement, ...notificationConsumers(notificationChannels), webhookFanOut, billingSeats, billingMails, crmReconnectNotifications, workflowTriggers];

export function jobsFor(config: Pick<Config, 'eventsRetentionDays' | 'tracking'> & Partial<Pick<Config, 'outboundRetentionDays'>> & { crm?: CrmConfig }): readonly JobDefinition[] {
  return [
    // The CRM sync needs the server's CRM settings (token keyring, endpoints); tools without them run none.
    ...(config.crm ? [crmSyncJob(createCrmDeps(config.crm))] : []),
    riskRecomputeJob,
    purgeDeletedRecordsJob,
    purgeIdempotencyKeysJob,
    trackingPurgeJob(config.tracking.retentionDays),
    eventsRetentionJob(config.eventsRetentionDays),
    taskRemindersJob(notificationChannels),
    workflowResumeJob,
    workflowTimeTriggersJob,
    weeklyDigestJob(notificationChannels),
    // Sent mail and finished webhook/Slack deliveries (OUTBOUND_RETENTION_DAYS; tools without configuration: 30).
    mailRetentionJob(config.outboundRetentionDays ?? 30),
    deliveriesRetentionJob(config.outboundRetentionDays ?? 30),
    importRunJob,
  ];
}
