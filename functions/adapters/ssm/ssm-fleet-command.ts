import {
  GetCommandInvocationCommand,
  paginateDescribeInstanceInformation,
  paginateListCommandInvocations,
  paginateListCommands,
  SendCommandCommand,
  type SSMClient,
} from '@aws-sdk/client-ssm';
import { assertCommandFitsQuota } from '../../agent-protocol/ssm-size-budget';
import { InvalidCommandTargetsError, type CommandProgress, type FleetSsmPort, type InvocationStatus, type ManagedNode } from '../../service/audit/audit-ports';
import { SEND_COMMAND_MAX_INSTANCES } from '../../service/audit/send-inspect-batches';

export interface SsmFleetSettings {
  readonly documentName: string;
  readonly documentVersion: string;
  readonly logGroup: string;
  readonly documentBytes: number;
}

// The delivery timeout (SendCommand's TimeoutSeconds, 30 s at least): the agents were Online a moment ago.
const DELIVERY_TIMEOUT_SECONDS = 30;
// ListCommands, ListCommandInvocations and DescribeInstanceInformation return at most 50 a page.
const PAGE_SIZE = 50;

/**
 * Run Command for many instances at once: the agents' status, the audit's inspect batches and how they
 * are followed. Beside SsmAgentCommand (one instance, the remediate function), not inside it: each
 * function's bundle carries, and its role grants, only the calls it makes.
 */
export class SsmFleetCommand implements FleetSsmPort {
  constructor(
    private readonly client: SSMClient,
    private readonly settings: SsmFleetSettings,
  ) {}

  /** 50 instances a call, filtered by id so the calls follow the audit's targets, not every registered node. */
  async describeManagedNodes(instanceIds: readonly string[]): Promise<Map<string, ManagedNode>> {
    const nodes = new Map<string, ManagedNode>();
    for (let start = 0; start < instanceIds.length; start += PAGE_SIZE) {
      const Filters = [{ Key: 'InstanceIds', Values: instanceIds.slice(start, start + PAGE_SIZE) }];
      for await (const page of paginateDescribeInstanceInformation({ client: this.client, pageSize: PAGE_SIZE }, { Filters })) {
        for (const info of page.InstanceInformationList ?? []) {
          if (info.InstanceId === undefined) continue;
          nodes.set(info.InstanceId, { instanceId: info.InstanceId, pingStatus: info.PingStatus ?? 'Unknown', ...(info.PlatformType === undefined ? {} : { platformType: info.PlatformType }) });
        }
      }
    }
    return nodes;
  }

  async sendInspect(instanceIds: readonly string[]): Promise<string> {
    if (instanceIds.length > SEND_COMMAND_MAX_INSTANCES) throw new RangeError(`SendCommand takes ${SEND_COMMAND_MAX_INSTANCES} instance ids, not ${instanceIds.length}`);
    assertCommandFitsQuota(this.settings.documentBytes, { Mode: 'inspect' });
    try {
      const sent = await this.client.send(
        new SendCommandCommand({
          InstanceIds: [...instanceIds],
          DocumentName: this.settings.documentName,
          DocumentVersion: this.settings.documentVersion,
          Parameters: { Mode: ['inspect'] },
          TimeoutSeconds: DELIVERY_TIMEOUT_SECONDS,
          // All 50 at once, and one failed host must not stop the others (MaxErrors defaults to 0).
          MaxConcurrency: String(SEND_COMMAND_MAX_INSTANCES),
          MaxErrors: '100%',
          CloudWatchOutputConfig: { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: this.settings.logGroup },
          Comment: 'eni-pbr audit inspect',
        }),
      );
      const commandId = sent.Command?.CommandId;
      if (commandId === undefined) throw new Error('SendCommand returned no CommandId');
      return commandId;
    } catch (error) {
      if (error instanceof Error && error.name === 'InvalidInstanceId') throw new InvalidCommandTargetsError(error.message, { cause: error });
      throw error;
    }
  }

  /** Every command of the document since `since`: one page covers an audit of 1,000 instances (20 commands). */
  async listCommandProgress(since: Date): Promise<CommandProgress[]> {
    const Filters = [
      { key: 'DocumentName' as const, value: this.settings.documentName },
      { key: 'InvokedAfter' as const, value: since.toISOString() },
    ];
    const progress: CommandProgress[] = [];
    for await (const page of paginateListCommands({ client: this.client, pageSize: PAGE_SIZE }, { Filters })) {
      for (const command of page.Commands ?? []) {
        if (command.CommandId === undefined) continue;
        progress.push({ commandId: command.CommandId, status: command.Status ?? 'Pending', targetCount: command.TargetCount ?? 0, completedCount: command.CompletedCount ?? 0 });
      }
    }
    return progress;
  }

  async listInvocations(commandId: string): Promise<InvocationStatus[]> {
    const invocations: InvocationStatus[] = [];
    for await (const page of paginateListCommandInvocations({ client: this.client, pageSize: PAGE_SIZE }, { CommandId: commandId, Details: false })) {
      for (const invocation of page.CommandInvocations ?? []) {
        if (invocation.InstanceId === undefined) continue;
        invocations.push({ instanceId: invocation.InstanceId, status: invocation.Status ?? 'Unknown', ...(invocation.StatusDetails === undefined ? {} : { statusDetails: invocation.StatusDetails }) });
      }
    }
    return invocations;
  }

  async getInvocationOutput(commandId: string, instanceId: string): Promise<InvocationStatus & { stdout: string }> {
    const output = await this.client.send(new GetCommandInvocationCommand({ CommandId: commandId, InstanceId: instanceId }));
    return {
      instanceId,
      status: output.Status ?? 'Unknown',
      ...(output.StatusDetails === undefined ? {} : { statusDetails: output.StatusDetails }),
      ...(output.ResponseCode === undefined ? {} : { responseCode: output.ResponseCode }),
      stdout: output.StandardOutputContent ?? '',
    };
  }
}
