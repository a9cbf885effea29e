import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

// POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE from serverless.yml win; these are the fallbacks.
const serviceName = 'eni-pbr';

export const logger = new Logger({ serviceName });
export const metrics = new Metrics({ serviceName, namespace: 'EniPbr' });
export const tracer = new Tracer({ serviceName });

/** The metric names, one place: dashboards and alarms in serverless.yml use the same strings. */
export const METRIC = {
  eventsReceived: 'EventsReceived',
  eventsRejected: 'EventsRejected',
  jobsEnqueued: 'JobsEnqueued',
  eventsLeftToAudit: 'EventsLeftToAudit',
  instancesChecked: 'InstancesChecked',
  instancesCompliant: 'InstancesCompliant',
  instancesRemediated: 'InstancesRemediated',
  instancesSkipped: 'InstancesSkipped',
  instancesRemoved: 'InstancesRemoved',
  instancesFailed: 'InstancesFailed',
  instancesUnreachable: 'InstancesUnreachable',
  remediationDuration: 'RemediationDuration',
  jobsRejected: 'JobsRejected',
  // The audit: one datapoint per run, the dashboard's fleet-compliance graph.
  auditCompliancePercent: 'AuditCompliancePercent',
  auditInstances: 'AuditInstances',
  auditCompliant: 'AuditCompliant',
  auditSatisfied: 'AuditSatisfied',
  auditDrift: 'AuditDrift',
  auditUnreachable: 'AuditUnreachable',
  auditSkipped: 'AuditSkipped',
  auditErrors: 'AuditErrors',
  auditRemediationsEnqueued: 'AuditRemediationsEnqueued',
} as const;
