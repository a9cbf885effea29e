import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  ListCommandsCommand,
  SendCommandCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import type { SimulatedInstance, VirtualClock } from './fleet-model';
import { pageOf } from './paging';

interface SentCommand {
  readonly commandId: string;
  readonly sentAt: number;
  readonly documentName: string;
  readonly instances: readonly SimulatedInstance[];
}

// SSM's delivery timeout as the audit sends it; an undeliverable command is known fast.
const DELIVERY_TIMEOUT_MS = 30_000;
const UNDELIVERABLE_MS = 1_000;
// The SSM Agent's event size (cloudwatchlogsservice.go MessageLengthThresholdInBytes).
const AGENT_EVENT_BYTES = 200_000;

/** SSM Run Command and the command log group, over the simulated instances, in virtual time. */
export function mockFleetSsm(instances: () => readonly SimulatedInstance[], clock: VirtualClock, onCall: (name: string, nextToken?: string) => void) {
  const commands: SentCommand[] = [];
  const byId = (id: string) => instances().find((instance) => instance.instanceId === id);
  const endOf = (command: SentCommand, instance: SimulatedInstance) =>
    command.sentAt + (instance.invocation === 'DeliveryTimedOut' ? DELIVERY_TIMEOUT_MS : instance.invocation === 'Undeliverable' ? UNDELIVERABLE_MS : instance.runMs);
  const invocationOf = (command: SentCommand, instance: SimulatedInstance) => {
    if (clock.now() < endOf(command, instance)) return { Status: 'InProgress', StatusDetails: 'InProgress' };
    if (instance.invocation === 'Failed') return { Status: 'Failed', StatusDetails: 'Failed', ResponseCode: 7 };
    if (instance.invocation === 'DeliveryTimedOut') return { Status: 'TimedOut', StatusDetails: 'DeliveryTimedOut' };
    if (instance.invocation === 'Undeliverable') return { Status: 'Failed', StatusDetails: 'Undeliverable' };
    return { Status: 'Success', StatusDetails: 'Success', ResponseCode: 0 };
  };

  const ssm = mockClient(SSMClient);
  ssm.on(DescribeInstanceInformationCommand).callsFake((input: DescribeInstanceInformationCommand['input']) => {
    onCall('ssm:DescribeInstanceInformation', input.NextToken);
    const ids = input.Filters?.find((filter) => filter.Key === 'InstanceIds')?.Values;
    if (ids !== undefined && ids.length > 50) throw Object.assign(new Error('too many InstanceIds'), { name: 'InvalidFilterValue' });
    const known = instances().filter((instance) => instance.ping !== 'unregistered' && (ids === undefined || ids.includes(instance.instanceId)));
    const { page, next } = pageOf(known, input.MaxResults, 50, input.NextToken);
    return { InstanceInformationList: page.map((instance) => ({ InstanceId: instance.instanceId, PingStatus: instance.ping, PlatformType: instance.platform })), NextToken: next };
  });
  ssm.on(SendCommandCommand).callsFake((input: SendCommandCommand['input']) => {
    onCall('ssm:SendCommand');
    const ids = input.InstanceIds ?? [];
    if (ids.length > 50) throw Object.assign(new Error('InstanceIds: at most 50'), { name: 'ValidationException' });
    const targets = ids.map(byId);
    if (targets.some((instance) => instance === undefined || instance.gone === true || instance.ping !== 'Online')) {
      throw Object.assign(new Error('Instances not in a valid state for account'), { name: 'InvalidInstanceId' });
    }
    const commandId = `c0000000-0000-4000-8000-${(commands.length + 1).toString(16).padStart(12, '0')}`;
    commands.push({ commandId, sentAt: clock.now(), documentName: input.DocumentName ?? '', instances: targets as SimulatedInstance[] });
    return { Command: { CommandId: commandId, Status: 'Pending', TargetCount: ids.length } };
  });
  ssm.on(ListCommandsCommand).callsFake((input: ListCommandsCommand['input']) => {
    onCall('ssm:ListCommands');
    const documentName = input.Filters?.find((filter) => filter.key === 'DocumentName')?.value;
    const after = input.Filters?.find((filter) => filter.key === 'InvokedAfter')?.value;
    const listed = commands
      .filter((command) => (documentName === undefined || command.documentName === documentName) && (after === undefined || command.sentAt >= Date.parse(after)))
      .reverse()
      .map((command) => {
        const statuses = command.instances.map((instance) => invocationOf(command, instance).Status);
        const done = statuses.filter((status) => status !== 'InProgress').length;
        const status = done < statuses.length ? 'InProgress' : statuses.every((s) => s === 'Success') ? 'Success' : 'Failed';
        return { CommandId: command.commandId, Status: status, TargetCount: statuses.length, CompletedCount: done };
      });
    const { page, next } = pageOf(listed, input.MaxResults, 50, input.NextToken);
    return { Commands: page, NextToken: next };
  });
  ssm.on(ListCommandInvocationsCommand).callsFake((input: ListCommandInvocationsCommand['input']) => {
    onCall('ssm:ListCommandInvocations');
    const command = commands.find((candidate) => candidate.commandId === input.CommandId);
    const all = (command?.instances ?? []).map((instance) => ({ InstanceId: instance.instanceId, ...invocationOf(command as SentCommand, instance) }));
    const { page, next } = pageOf(all, input.MaxResults, 50, input.NextToken);
    return { CommandInvocations: page, NextToken: next };
  });
  ssm.on(GetCommandInvocationCommand).callsFake((input: GetCommandInvocationCommand['input']) => {
    onCall('ssm:GetCommandInvocation');
    const command = commands.find((candidate) => candidate.commandId === input.CommandId);
    const instance = command?.instances.find((candidate) => candidate.instanceId === input.InstanceId);
    if (command === undefined || instance === undefined) throw Object.assign(new Error('no such invocation'), { name: 'InvocationDoesNotExist' });
    const state = invocationOf(command, instance);
    // stdout as GetCommandInvocation keeps it: the first 24,000 characters.
    return { ...state, StandardOutputContent: state.Status === 'Success' ? instance.stdout.slice(0, 24_000) : '', StandardErrorContent: '' };
  });

  const logs = mockClient(CloudWatchLogsClient);
  logs.on(FilterLogEventsCommand).callsFake((input: FilterLogEventsCommand['input']) => {
    onCall('logs:FilterLogEvents');
    const prefix = input.logStreamNamePrefix ?? '';
    const events = commands.filter((command) => `${command.commandId}/`.startsWith(prefix) || prefix.startsWith(`${command.commandId}/`)).flatMap((command) =>
      command.instances.flatMap((instance) => {
        const state = invocationOf(command, instance);
        if (state.Status === 'InProgress' || instance.invocation === 'SuccessNoLogs' || state.Status !== 'Success') return [];
        const base = `${command.commandId}/${instance.instanceId}/eniPbrAgent`;
        const chunks = instance.stdout.match(new RegExp(`[^]{1,${AGENT_EVENT_BYTES}}`, 'g')) ?? [];
        const timestamp = endOf(command, instance);
        return [
          ...chunks.map((message) => ({ logStreamName: `${base}/stdout`, message, timestamp })),
          { logStreamName: `${base}/stderr`, message: 'eni-pbr-agent: inspect done', timestamp },
        ];
      }),
    ).filter((event) => event.logStreamName.startsWith(prefix));
    // A page: ≤ 10,000 events and ≤ 1 MB.
    const start = input.nextToken === undefined ? 0 : Number(input.nextToken);
    let end = start;
    let bytes = 0;
    while (end < events.length && end - start < 10_000 && bytes + (events[end]?.message.length ?? 0) <= 1_048_576) bytes += events[end++]?.message.length ?? 0;
    return { events: events.slice(start, end), nextToken: end < events.length ? String(end) : undefined };
  });
  return { ssm, logs, commands };
}
