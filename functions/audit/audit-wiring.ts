import { CommandOutputLogs } from '../adapters/logs/command-output-logs';
import { Ec2Fleet } from '../adapters/ec2/ec2-fleet';
import { EventBridgeResultPublisher } from '../adapters/eventbridge/result-publisher';
import { AGENT_DOCUMENT_BYTES } from '../adapters/ssm/document-bytes';
import { SsmFleetCommand } from '../adapters/ssm/ssm-fleet-command';
import { SqsJobBatches } from '../adapters/sqs/sqs-job-batches';
import { ec2Client, eventBridgeClient, logsClient, sqsClient, ssmClient } from '../commons/clients';
import type { AuditConfig } from '../commons/config';
import { DEFAULT_PLAN_OPTIONS } from '../core/defaults';
import type { AuditSettings } from '../service/audit/audit-fleet';
import type { CommandOutputReader, FleetEc2Port, FleetSsmPort, RemediationQueuePort } from '../service/audit/audit-ports';
import { AUDIT_RESULT_DETAIL_TYPE } from '../service/audit/audit-result-events';

export interface AuditWiring {
  readonly ec2: FleetEc2Port;
  readonly ssm: FleetSsmPort;
  readonly output: CommandOutputReader;
  readonly queue: RemediationQueuePort;
  readonly publisher: EventBridgeResultPublisher;
  readonly settings: AuditSettings;
}

/** The function's adapters over the module-scope clients, and its settings from the validated config. */
export function auditWiring(config: AuditConfig): AuditWiring {
  return {
    ec2: new Ec2Fleet(ec2Client),
    ssm: new SsmFleetCommand(ssmClient, {
      documentName: config.ENI_PBR_DOCUMENT_NAME,
      documentVersion: config.ENI_PBR_DOCUMENT_VERSION,
      logGroup: config.ENI_PBR_COMMAND_LOG_GROUP,
      documentBytes: AGENT_DOCUMENT_BYTES,
    }),
    output: new CommandOutputLogs(logsClient, config.ENI_PBR_COMMAND_LOG_GROUP),
    queue: new SqsJobBatches(sqsClient, config.ENI_PBR_QUEUE_URL),
    publisher: new EventBridgeResultPublisher(eventBridgeClient, config.ENI_PBR_EVENT_BUS_NAME, AUDIT_RESULT_DETAIL_TYPE),
    settings: auditSettings(config),
  };
}

export function auditSettings(config: Pick<AuditConfig, 'ENI_PBR_MANAGED_TAG_MODE' | 'ENI_PBR_MANAGE_PRIMARY' | 'ENI_PBR_CONNMARK' | 'ENI_PBR_COMMAND_TIMEOUT_SECONDS'>): AuditSettings {
  return {
    managedTagMode: config.ENI_PBR_MANAGED_TAG_MODE,
    planOptions: { ...DEFAULT_PLAN_OPTIONS, managePrimary: config.ENI_PBR_MANAGE_PRIMARY, connmark: config.ENI_PBR_CONNMARK },
    sendConcurrency: SEND_CONCURRENCY,
    pollIntervalMs: POLL_INTERVAL_MS,
    // Every batch runs at once: the wait for all is the wait for one (delivery + the agent's execution bound).
    waitBudgetMs: config.ENI_PBR_COMMAND_TIMEOUT_SECONDS * 1000,
  };
}

// A few SendCommand calls in flight: 1,000 instances are sent in about a second, well under SSM's rate.
const SEND_CONCURRENCY = 4;
// An inspect takes 0.1–2 s on a host: the first poll after 3 s finds most batches done; the rounds then
// stretch (×1.5, ≤ 10 s) so a batch held by a delivery timeout (30 s) costs five polls, not ten.
const POLL_INTERVAL_MS = 3_000;
