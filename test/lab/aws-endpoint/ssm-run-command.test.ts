import { execFileSync } from 'node:child_process';
import {
  CancelCommandCommand,
  DescribeInstanceInformationCommand,
  GetCommandInvocationCommand,
  ListCommandInvocationsCommand,
  SendCommandCommand,
  waitUntilCommandExecuted,
} from '@aws-sdk/client-ssm';
import { buildAgentDocument } from '../../../functions/agent-protocol/build-agent-document';
import { SSM_DOCUMENT_QUOTA_BYTES } from '../../../functions/agent-protocol/ssm-size-budget';
import type { AwsEndpoint } from '../../../scripts/lab/aws-endpoint/aws-endpoint';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from '../../agent/namespace-host';
import { clientsFor, INSTANCE_ID, startLabEndpoint } from './endpoint-fixture';

const DOCUMENT = 'eni-pbr-agent-test';
// The real wrapper (heredoc, SSM_ variables, allowedPattern on Plan) around a small script.
const documentRunning = (script: string) => JSON.stringify(buildAgentDocument(script));
const send = (ssm: ReturnType<typeof clientsFor>['ssm'], overrides: Partial<ConstructorParameters<typeof SendCommandCommand>[0]> = {}) =>
  ssm.send(new SendCommandCommand({ DocumentName: DOCUMENT, InstanceIds: [INSTANCE_ID], Parameters: { Mode: ['inspect'] }, ...overrides }));

describe('the local endpoint checks SendCommand as SSM does', () => {
  let endpoint: AwsEndpoint;
  let ssm: ReturnType<typeof clientsFor>['ssm'];

  beforeEach(async () => {
    endpoint = await startLabEndpoint();
    ssm = clientsFor(endpoint).ssm;
    endpoint.documents.put(DOCUMENT, documentRunning('echo hi\n'));
    endpoint.instances.register(INSTANCE_ID, 'unused-netns', 'ConnectionLost');
  });
  afterEach(() => endpoint.stop());

  it('refuses more than 50 instance ids', async () => {
    const ids = Array.from({ length: 51 }, (_, i) => `i-${i.toString(16).padStart(17, '0')}`);
    await expect(send(ssm, { InstanceIds: ids })).rejects.toMatchObject({ name: 'ValidationException', message: expect.stringContaining('less than or equal to 50') });
  });

  it('refuses a document plus parameters above 64 KB with MaxDocumentSizeExceeded', async () => {
    const documentBytes = Buffer.byteLength(documentRunning('echo hi\n'));
    const plan = 'A'.repeat(Math.ceil((SSM_DOCUMENT_QUOTA_BYTES - documentBytes) / 4) * 4 + 4);

    await expect(send(ssm, { Parameters: { Mode: ['apply'], Plan: [plan] } })).rejects.toMatchObject({ name: 'MaxDocumentSizeExceeded', message: expect.stringContaining('65536') });
  });

  it("refuses an unknown document, version, parameter, or a value outside the document's rules", async () => {
    await expect(send(ssm, { DocumentName: 'nope' })).rejects.toMatchObject({ name: 'InvalidDocument' });
    await expect(send(ssm, { DocumentVersion: '7' })).rejects.toMatchObject({ name: 'InvalidDocumentVersion' });
    await expect(send(ssm, { Parameters: { Colour: ['red'] } })).rejects.toMatchObject({ name: 'InvalidParameters' });
    await expect(send(ssm, { Parameters: { Mode: ['apply'], Plan: ['AAAA";reboot;"'] } })).rejects.toMatchObject({ name: 'InvalidParameters' });
    await expect(send(ssm, { InstanceIds: ['i-0000000000000000f'] })).rejects.toMatchObject({ name: 'InvalidInstanceId' });
  });

  it('reports PingStatus, and leaves a command to an agent that lost its connection Pending', async () => {
    const info = await ssm.send(new DescribeInstanceInformationCommand({ Filters: [{ Key: 'InstanceIds', Values: [INSTANCE_ID] }] }));
    const sent = await send(ssm);
    await new Promise((resolve) => setTimeout(resolve, 250));

    const invocation = await ssm.send(new GetCommandInvocationCommand({ CommandId: sent.Command?.CommandId, InstanceId: INSTANCE_ID }));

    expect(info.InstanceInformationList).toEqual([expect.objectContaining({ InstanceId: INSTANCE_ID, PingStatus: 'ConnectionLost', PlatformType: 'Linux' })]);
    expect(invocation).toMatchObject({ Status: 'Pending', ResponseCode: -1 });
  });

  it('says InvocationDoesNotExist, with no message, until the invocation exists', async () => {
    const sent = await send(ssm);

    const error = await ssm.send(new GetCommandInvocationCommand({ CommandId: sent.Command?.CommandId, InstanceId: INSTANCE_ID })).catch((caught: unknown) => caught);

    expect(error).toMatchObject({ name: 'InvocationDoesNotExist', $metadata: { httpStatusCode: 400 } });
  });

  it('throttles on demand with ThrottlingException, which the SDK retries', async () => {
    endpoint.faults.inject('ssm:DescribeInstanceInformation', 'ThrottlingException', 2);

    const out = await ssm.send(new DescribeInstanceInformationCommand({}));

    expect(out.$metadata.attempts).toBe(3);
  });
});

describeAsRoot('the local endpoint executes SendCommand in the instance namespace', () => {
  let host: NamespaceHost;
  let endpoint: AwsEndpoint;
  let ssm: ReturnType<typeof clientsFor>['ssm'];

  beforeAll(() => {
    host = createNamespaceHost({ enis: 1, tag: 0x39 });
  });
  afterAll(() => host?.destroy());
  beforeEach(async () => {
    endpoint = await startLabEndpoint({ ssm: { invocationVisibleAfterMs: 100 } });
    ssm = clientsFor(endpoint).ssm;
    endpoint.instances.register(INSTANCE_ID, host.ns);
  });
  afterEach(() => endpoint.stop());

  const runToEnd = async (script: string) => {
    endpoint.documents.put(DOCUMENT, documentRunning(script));
    const sent = await send(ssm, { Parameters: { Mode: ['apply'], Plan: ['AAAA'] } });
    const input = { CommandId: sent.Command?.CommandId ?? '', InstanceId: INSTANCE_ID };
    await waitUntilCommandExecuted({ client: ssm, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, input).catch(() => undefined);
    return ssm.send(new GetCommandInvocationCommand(input));
  };

  it('runs the document there, with SSM_Mode and SSM_Plan, and reports Success', async () => {
    const out = await runToEnd('ip -br link show eth1 | cut -d@ -f1\necho "$1 ${SSM_Plan}"\n');

    expect(out).toMatchObject({ Status: 'Success', StatusDetails: 'Success', ResponseCode: 0, StandardOutputContent: 'eth1\napply AAAA\n', PluginName: 'eniPbrAgent' });
  });

  it('reports a non-zero exit as Failed with its code and stderr', async () => {
    const out = await runToEnd('echo refused >&2\nexit 3\n');

    expect(out).toMatchObject({ Status: 'Failed', ResponseCode: 3, StandardErrorContent: 'refused\n' });
  });

  it('cuts stdout at 24,000 and stderr at 8,000 characters; ListCommandInvocations at 2,500', async () => {
    const out = await runToEnd("head -c 30000 /dev/zero | tr '\\0' o\nhead -c 9000 /dev/zero | tr '\\0' e >&2\n");
    const list = await ssm.send(new ListCommandInvocationsCommand({ CommandId: out.CommandId, Details: true }));

    expect(out.StandardOutputContent).toHaveLength(24_000);
    expect(out.StandardErrorContent).toHaveLength(8_000);
    expect(list.CommandInvocations?.[0]?.CommandPlugins?.[0]?.Output).toHaveLength(2_500);
  });

  it('cancels a running command: the process group dies, the invocation says Cancelled', async () => {
    endpoint.documents.put(DOCUMENT, documentRunning('sleep 30\n'));
    const sent = await send(ssm);
    await new Promise((resolve) => setTimeout(resolve, 300));

    await ssm.send(new CancelCommandCommand({ CommandId: sent.Command?.CommandId }));
    await new Promise((resolve) => setTimeout(resolve, 300));

    const out = await ssm.send(new GetCommandInvocationCommand({ CommandId: sent.Command?.CommandId, InstanceId: INSTANCE_ID }));
    expect(out.Status).toBe('Cancelled');
    expect(execFileSync('ip', ['netns', 'pids', host.ns], { encoding: 'utf8' }).trim()).toBe(''); // nothing left running in the instance
  });
});
