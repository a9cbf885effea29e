import { CancelCommandCommand, GetCommandInvocationCommand, SSMClient, SendCommandCommand } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CommandNotRunError, CommandTimedOutError } from '../../../functions/adapters/ssm/command-errors';
import { AGENT_DOCUMENT_BYTES } from '../../../functions/adapters/ssm/document-bytes';
import { SsmAgentCommand } from '../../../functions/adapters/ssm/ssm-agent-command';
import { CommandTooLargeError, SSM_DOCUMENT_QUOTA_BYTES } from '../../../functions/agent-protocol/ssm-size-budget';
import { LAB_INSTANCE_ID, labInspectResult } from '../../use-cases/fake-ports';

const ssm = mockClient(SSMClient);
const settings = { documentName: 'eni-pbr-agent', documentVersion: '$DEFAULT', logGroup: '/eni-pbr/commands', documentBytes: AGENT_DOCUMENT_BYTES, commandTimeoutSeconds: 2, pollSeconds: 0.05 };
const agent = (overrides: Partial<typeof settings> = {}) => new SsmAgentCommand(new SSMClient({ region: 'us-east-1' }), { ...settings, ...overrides });
const inspect = { instanceId: LAB_INSTANCE_ID, parameters: { Mode: 'inspect' as const } };
const notYet = () => Object.assign(new Error('Invocation does not exist'), { name: 'InvocationDoesNotExist' });

beforeEach(() => {
  ssm.reset();
  ssm.on(SendCommandCommand).resolves({ Command: { CommandId: 'cmd-1' } });
});

describe('SsmAgentCommand', () => {
  it('sends the document version with CloudWatch output and a delivery timeout, and waits through InvocationDoesNotExist', async () => {
    const lab = labInspectResult();
    ssm.on(GetCommandInvocationCommand).rejectsOnce(notYet()).resolvesOnce({ Status: 'InProgress' }).resolves({ ...lab, Status: 'Success', StatusDetails: 'Success' });

    const result = await agent().run(inspect);

    expect(result).toEqual(lab);
    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, {
      InstanceIds: [LAB_INSTANCE_ID],
      DocumentName: 'eni-pbr-agent',
      DocumentVersion: '$DEFAULT',
      Parameters: { Mode: ['inspect'] },
      TimeoutSeconds: 30,
      CloudWatchOutputConfig: { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: '/eni-pbr/commands' },
    });
    expect(ssm).toHaveReceivedCommandWith(GetCommandInvocationCommand, { CommandId: 'cmd-1', InstanceId: LAB_INSTANCE_ID });
    expect(ssm).toHaveReceivedCommandTimes(GetCommandInvocationCommand, 3);
  });

  it('passes the Plan parameter as SSM wants it: a list of one string', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Success', ResponseCode: 0, StandardOutputContent: '{}', StandardErrorContent: '' });

    await agent().run({ instanceId: LAB_INSTANCE_ID, parameters: { Mode: 'apply', Plan: 'H4sIAAAA' } });

    expect(ssm).toHaveReceivedCommandWith(SendCommandCommand, { Parameters: { Mode: ['apply'], Plan: ['H4sIAAAA'] } });
  });

  it('returns a failed run with its exit code and output, for the use case to read the reason', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'Failed', StatusDetails: 'Failed', ResponseCode: 3, StandardOutputContent: '{"x":1}', StandardErrorContent: 'refused' });

    const result = await agent().run(inspect);

    expect(result).toEqual({ Status: 'Failed', ResponseCode: 3, StandardOutputContent: '{"x":1}', StandardErrorContent: 'refused' });
  });

  it.each([
    ['TimedOut', 'Delivery Timed Out'],
    ['TimedOut', 'Execution Timed Out'],
    ['Failed', 'Undeliverable'],
    ['Cancelled', 'Cancelled'],
  ])('raises CommandNotRunError when SSM ends the command %s (%s)', async (Status, StatusDetails) => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: Status as never, StatusDetails, ResponseCode: -1 });

    await expect(agent().run(inspect)).rejects.toThrow(CommandNotRunError);
  });

  it('cancels the command and raises CommandTimedOutError past its own bound', async () => {
    ssm.on(GetCommandInvocationCommand).resolves({ Status: 'InProgress' });
    ssm.on(CancelCommandCommand).resolves({});

    await expect(agent({ commandTimeoutSeconds: 1, pollSeconds: 0.1 }).run(inspect)).rejects.toThrow(CommandTimedOutError);
    expect(ssm).toHaveReceivedCommandWith(CancelCommandCommand, { CommandId: 'cmd-1', InstanceIds: [LAB_INSTANCE_ID] });
  });

  it('refuses a command past SSM’s 64 KB quota before any AWS call', async () => {
    const run = agent({ documentBytes: SSM_DOCUMENT_QUOTA_BYTES - 10 }).run({ instanceId: LAB_INSTANCE_ID, parameters: { Mode: 'apply', Plan: 'A'.repeat(100) } });

    await expect(run).rejects.toThrow(CommandTooLargeError);
    expect(ssm.calls()).toHaveLength(0);
  });

  it('measures the built document it ships, under the quota', () => {
    expect(AGENT_DOCUMENT_BYTES).toBeGreaterThan(10_000);
    expect(AGENT_DOCUMENT_BYTES).toBeLessThan(SSM_DOCUMENT_QUOTA_BYTES);
  });
});
