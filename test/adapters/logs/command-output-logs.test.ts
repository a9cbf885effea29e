import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { CommandOutputLogs, stdoutInstanceOf } from '../../../functions/adapters/logs/command-output-logs';

const COMMAND = '11111111-2222-4333-8444-555555555555';
const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';
const logs = mockClient(CloudWatchLogsClient);
afterEach(() => logs.reset());

describe('the inspect output read from CloudWatch Logs', () => {
  it('joins a document the SSM Agent cut into several events, in timestamp order, and ignores stderr', async () => {
    // Prepare: the agent cuts lines past 200,000 bytes; pages may come back partial, even empty.
    logs
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [{ logStreamName: `${COMMAND}/${A}/eniPbrAgent/stdout`, message: '{"b":', timestamp: 2 }], nextToken: 't1' })
      .resolvesOnce({ events: [], nextToken: 't2' })
      .resolvesOnce({
        events: [
          { logStreamName: `${COMMAND}/${A}/eniPbrAgent/stdout`, message: '2}', timestamp: 2 },
          { logStreamName: `${COMMAND}/${A}/eniPbrAgent/stderr`, message: 'noise', timestamp: 1 },
          { logStreamName: `${COMMAND}/${B}/eniPbrAgent/stdout`, message: '{"a":1}', timestamp: 1 },
        ],
      });

    // Act
    const stdout = await new CommandOutputLogs(new CloudWatchLogsClient({ region: 'us-east-1' }), '/eni-pbr/out').readStdout(COMMAND, [A, B]);

    // Assess
    expect(stdout).toEqual(new Map([[A, '{"b":2}'], [B, '{"a":1}']]));
    expect(logs).toHaveReceivedCommandTimes(FilterLogEventsCommand, 3);
    expect(logs).toHaveReceivedCommandWith(FilterLogEventsCommand, { logGroupName: '/eni-pbr/out', logStreamNamePrefix: `${COMMAND}/` });
  });

  it('leaves out instances the audit did not ask about', async () => {
    logs.on(FilterLogEventsCommand).resolves({ events: [{ logStreamName: `${COMMAND}/${B}/eniPbrAgent/stdout`, message: '{}', timestamp: 1 }] });

    const stdout = await new CommandOutputLogs(new CloudWatchLogsClient({ region: 'us-east-1' }), '/eni-pbr/out').readStdout(COMMAND, [A]);

    expect(stdout.size).toBe(0);
  });

  it.each([
    { stream: `${COMMAND}/${A}/eniPbrAgent/stdout`, instance: A },
    { stream: `${COMMAND}/${A}/eniPbrAgent/stderr`, instance: null },
    { stream: `other/${A}/eniPbrAgent/stdout`, instance: null },
    { stream: `${COMMAND}/${A}/stdout`, instance: null },
    { stream: undefined, instance: null },
  ])('reads the instance of stream $stream', ({ stream, instance }) => {
    expect(stdoutInstanceOf(stream, COMMAND)).toBe(instance);
  });
});
