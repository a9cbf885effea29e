import { DynamoDbAttachmentMap } from '../adapters/attachments/dynamodb-attachment-map';
import { DynamoDbPendingRemovals } from '../adapters/pending-removals/dynamodb-pending-removals';
import { Ec2Instances } from '../adapters/ec2/ec2-instances';
import { Ec2Interfaces } from '../adapters/ec2/ec2-interfaces';
import { EventBridgeResultPublisher } from '../adapters/eventbridge/result-publisher';
import { SsmAgentStatus } from '../adapters/ssm/agent-status';
import { AGENT_DOCUMENT_BYTES } from '../adapters/ssm/document-bytes';
import { SsmAgentCommand } from '../adapters/ssm/ssm-agent-command';
import { dynamoDbClient, ec2Client, eventBridgeClient, ssmClient } from '../commons/clients';
import { remediateConfig, type RemediateConfig } from '../commons/config';
import { serviceLogger } from '../commons/service-logger';
import { DEFAULT_PLAN_OPTIONS } from '../core/defaults';
import type { ResultPublisherPort } from '../service/ports';
import type { RemediateJobDeps } from '../service/remediate-job';
import type { RemediateSettings } from '../service/remediate-settings';
import { realClock } from '../service/wait-until-ready';

export interface Remediation {
  readonly deps: RemediateJobDeps & { readonly results: ResultPublisherPort };
  readonly settings: RemediateSettings;
}

let built: Remediation | undefined;

/** The remediate function's adapters and settings, built at the first invocation (config read once). */
export function remediation(): Remediation {
  built ??= remediationOf(remediateConfig());
  return built;
}

/** Adapters over the module-scope clients, and the use case's settings, for one configuration. */
export function remediationOf(config: RemediateConfig): Remediation {
  const ec2Interfaces = new Ec2Interfaces(ec2Client);
  const ec2Instances = new Ec2Instances(ec2Client);
  const instances = {
    readInstance: (id: string) => ec2Instances.readInstance(id),
    disableSourceDestCheck: (eniId: string) => ec2Instances.disableSourceDestCheck(eniId),
    readInterfaces: (id: string) => ec2Interfaces.readInterfaces(id),
    describeSubnets: (ids: readonly string[]) => ec2Interfaces.describeSubnets(ids),
  };
  const agent = new SsmAgentCommand(ssmClient, {
    documentName: config.ENI_PBR_DOCUMENT_NAME,
    documentVersion: config.ENI_PBR_DOCUMENT_VERSION,
    logGroup: config.ENI_PBR_COMMAND_LOG_GROUP,
    documentBytes: AGENT_DOCUMENT_BYTES,
    commandTimeoutSeconds: config.ENI_PBR_COMMAND_TIMEOUT_SECONDS,
  });
  const settings: RemediateSettings = {
    mode: config.ENI_PBR_MODE,
    managedTagMode: config.ENI_PBR_MANAGED_TAG_MODE,
    disableSourceDestCheck: config.ENI_PBR_DISABLE_SOURCE_DEST_CHECK,
    planOptions: { ...DEFAULT_PLAN_OPTIONS, managePrimary: config.ENI_PBR_MANAGE_PRIMARY, connmark: config.ENI_PBR_CONNMARK },
    agentWaitSeconds: config.ENI_PBR_AGENT_WAIT_SECONDS,
  };
  return {
    deps: {
      instances,
      agentStatus: new SsmAgentStatus(ssmClient),
      agent,
      attachments: new DynamoDbAttachmentMap(dynamoDbClient, config.ENI_PBR_ATTACHMENTS_TABLE),
      pendingRemovals: new DynamoDbPendingRemovals(dynamoDbClient, config.ENI_PBR_PENDING_REMOVALS_TABLE),
      results: new EventBridgeResultPublisher(eventBridgeClient, config.ENI_PBR_EVENT_BUS_NAME),
      logger: serviceLogger,
      clock: realClock,
    },
    settings,
  };
}
