import { randomUUID } from 'node:crypto';
import { AwsError, requireString, validationError } from '../aws-error';
import type { JsonService } from '../wire/json-wire';
import { getCommandInvocationOutput, isFinished, listInvocationOutput, type CommandInvocation } from './command-invocation';
import { executeInvocation } from './command-executor';
import type { ManagedInstances } from './managed-instances';
import { checkAgainstDocument, parseSendCommand } from './send-command-input';
import type { SsmDocuments } from './ssm-documents';

export interface SsmOptions {
  /** how long after SendCommand GetCommandInvocation still says InvocationDoesNotExist (real SSM: a few hundred ms) */
  readonly invocationVisibleAfterMs?: number;
}

/** SSM Run Command (JSON 1.1): SendCommand executes the document in the instance's namespace. */
export class SsmService implements JsonService {
  readonly targetPrefix = 'AmazonSSM';
  readonly contentType = 'application/x-amz-json-1.1';
  readonly errorNamespace = '';
  /** every invocation, in order: tests and the lab read what was sent */
  readonly invocations: CommandInvocation[] = [];
  private readonly cloudWatch = new Map<string, unknown>();

  constructor(
    private readonly documents: SsmDocuments,
    readonly instances: ManagedInstances,
    private readonly options: SsmOptions = {},
  ) {}

  async handle(operation: string, input: Record<string, unknown>): Promise<unknown> {
    switch (operation) {
      case 'SendCommand':
        return this.sendCommand(input);
      case 'GetCommandInvocation':
        return this.getCommandInvocation(input);
      case 'ListCommandInvocations':
        return this.listCommandInvocations(input);
      case 'CancelCommand':
        return this.cancelCommand(input);
      case 'DescribeInstanceInformation':
        return this.describeInstanceInformation(input);
      default:
        throw new AwsError('UnknownOperationException', `AmazonSSM.${operation} is not emulated`);
    }
  }

  private sendCommand(input: Record<string, unknown>): unknown {
    const request = parseSendCommand(input);
    const { version, content, document } = this.documents.resolve(request.documentName, request.documentVersion);
    const parameters = checkAgainstDocument(request, content, document);
    const targets = request.instanceIds.map((id) => this.instances.require(id));
    const commandId = randomUUID();
    const requestedAt = new Date();
    this.cloudWatch.set(commandId, request.cloudWatchOutputConfig);
    for (const target of targets) {
      const invocation: CommandInvocation = {
        commandId,
        instanceId: target.instanceId,
        documentName: request.documentName,
        documentVersion: version,
        pluginName: document.mainSteps[0].name,
        requestedAt,
        visibleAt: Date.now() + (this.options.invocationVisibleAfterMs ?? 200),
        status: 'Pending',
        statusDetails: 'Pending',
        responseCode: -1,
        stdout: '',
        stderr: '',
        abort: new AbortController(),
      };
      this.invocations.push(invocation);
      if (target.pingStatus === 'Online') {
        void executeInvocation(invocation, target.netns, document, parameters);
      } else {
        // An agent that does not answer never picks the command up: it times out in delivery.
        setTimeout(() => {
          if (invocation.status !== 'Pending') return;
          invocation.status = 'TimedOut';
          invocation.statusDetails = 'Delivery Timed Out';
        }, request.timeoutSeconds * 1000).unref();
      }
    }
    return {
      Command: {
        CommandId: commandId,
        DocumentName: request.documentName,
        DocumentVersion: String(version),
        InstanceIds: request.instanceIds,
        Parameters: Object.fromEntries(Object.entries(request.parameters).map(([name, value]) => [name, [value]])),
        RequestedDateTime: requestedAt.getTime() / 1000,
        Status: 'Pending',
        StatusDetails: 'Pending',
        TimeoutSeconds: request.timeoutSeconds,
        TargetCount: targets.length,
        CompletedCount: 0,
        ErrorCount: 0,
        CloudWatchOutputConfig: request.cloudWatchOutputConfig,
      },
    };
  }

  private findVisible(commandId: string, instanceId?: string): CommandInvocation[] {
    return this.invocations.filter((inv) => inv.commandId === commandId && (instanceId === undefined || inv.instanceId === instanceId) && Date.now() >= inv.visibleAt);
  }

  private getCommandInvocation(input: Record<string, unknown>): unknown {
    const commandId = requireString(input, 'CommandId');
    const instanceId = requireString(input, 'InstanceId');
    const [invocation] = this.findVisible(commandId, instanceId);
    // The real error carries no message: the SDK must parse it from __type alone.
    if (invocation === undefined) throw new AwsError('InvocationDoesNotExist', '');
    if (typeof input.PluginName === 'string' && input.PluginName !== invocation.pluginName) throw new AwsError('InvalidPluginName', `plugin ${input.PluginName} not in the document`);
    return getCommandInvocationOutput(invocation, this.cloudWatch.get(commandId));
  }

  private listCommandInvocations(input: Record<string, unknown>): unknown {
    const commandId = typeof input.CommandId === 'string' ? input.CommandId : undefined;
    const instanceId = typeof input.InstanceId === 'string' ? input.InstanceId : undefined;
    const found = this.invocations.filter((inv) => (commandId === undefined || inv.commandId === commandId) && (instanceId === undefined || inv.instanceId === instanceId) && Date.now() >= inv.visibleAt);
    return { CommandInvocations: found.map((inv) => listInvocationOutput(inv, input.Details === true)) };
  }

  private cancelCommand(input: Record<string, unknown>): unknown {
    const commandId = requireString(input, 'CommandId');
    const ids = Array.isArray(input.InstanceIds) ? (input.InstanceIds as string[]) : undefined;
    const found = this.invocations.filter((inv) => inv.commandId === commandId && (ids === undefined || ids.includes(inv.instanceId)));
    if (found.length === 0) throw new AwsError('InvalidCommandId', `Command ${commandId} does not exist`);
    for (const invocation of found.filter((inv) => !isFinished(inv.status))) {
      if (invocation.status === 'Pending') {
        invocation.status = 'Cancelled';
        invocation.statusDetails = 'Cancelled';
      } else {
        invocation.status = 'Cancelling';
        invocation.abort.abort();
      }
    }
    return {};
  }

  private describeInstanceInformation(input: Record<string, unknown>): unknown {
    const filters = [
      ...((input.Filters ?? []) as { Key?: string; Values?: string[] }[]).map((filter) => ({ key: filter.Key ?? '', values: filter.Values ?? [] })),
      ...((input.InstanceInformationFilterList ?? []) as { key?: string; valueSet?: string[] }[]).map((filter) => ({ key: filter.key ?? '', values: filter.valueSet ?? [] })),
    ];
    const tests = filters.map((filter) => {
      if (filter.key === 'InstanceIds') return (id: string) => filter.values.includes(id);
      if (filter.key === 'PingStatus') return (_id: string, ping: string) => filter.values.includes(ping);
      throw validationError(`the filter key ${filter.key} is not emulated (InstanceIds, PingStatus)`);
    });
    const list = this.instances
      .all()
      .filter((instance) => tests.every((test) => test(instance.instanceId, instance.pingStatus)))
      .map((instance) => ({
        InstanceId: instance.instanceId,
        PingStatus: instance.pingStatus,
        LastPingDateTime: Date.now() / 1000,
        AgentVersion: '3.3.2746.0',
        IsLatestVersion: true,
        PlatformType: 'Linux',
        PlatformName: 'Ubuntu',
        PlatformVersion: '24.04',
        ResourceType: 'EC2Instance',
      }));
    return { InstanceInformationList: list };
  }
}
