import '../helpers/simulated-fleet/with-audit-env';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { SendCommandCommand } from '@aws-sdk/client-ssm';
import 'aws-sdk-client-mock-jest';
import { parseAudit } from '../../functions/cli/audit-arguments';
import { UsageError } from '../../functions/cli/cli-errors';
import { EXIT } from '../../functions/cli/exit-codes';
import { main } from '../../functions/cli/main';
import { runAudit } from '../../functions/cli/run-audit';
import { instanceIdOf, makeInstance, type SimulatedInstance } from '../helpers/simulated-fleet/fleet-model';
import { simulateFleet, type SimulatedFleet } from '../helpers/simulated-fleet/simulate-fleet';

function capture() {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (text: string) => void (out.stdout += text), stderr: (text: string) => void (out.stderr += text) } };
}

let fleet: SimulatedFleet;
afterEach(() => fleet?.restore());

describe('eni-pbr audit arguments', () => {
  it('reads ids (repeated or comma-separated), tags, the stage names and --fix with its queue', () => {
    const command = parseAudit(['--region', 'eu-west-1', '--profile', 'ops', '--instance-ids', 'i-0123456789abcdef0,i-0123456789abcdef1', '--instance-ids', 'i-0123456789abcdef2', '--tag', 'team=db', '--tag', 'env=a=b', '--fix', '--queue-url', 'https://sqs/q.fifo', '--stage', 'prod']);

    expect(command).toEqual({
      command: 'audit',
      region: 'eu-west-1',
      profile: 'ops',
      request: { mode: 'fix', instanceIds: ['i-0123456789abcdef0', 'i-0123456789abcdef1', 'i-0123456789abcdef2'], tags: { team: 'db', env: 'a=b' }, includeSingleEni: false },
      queueUrl: 'https://sqs/q.fifo',
      documentName: 'eni-pbr-agent-prod',
      logGroup: '/eni-pbr/prod/agent-output',
      managedTagMode: 'opt-out',
      json: false,
      verbose: false,
    });
  });

  it.each([
    { name: '--fix without --queue-url', args: ['--region', 'us-east-1', '--fix'], error: /--queue-url/ },
    { name: 'a tag without =', args: ['--region', 'us-east-1', '--tag', 'team'], error: /key=value/ },
    { name: 'an unknown flag', args: ['--region', 'us-east-1', '--dry-run'], error: /dry-run/ },
    { name: 'an unknown tag mode', args: ['--region', 'us-east-1', '--managed-tag-mode', 'all'], error: /opt-out or opt-in/ },
  ])('refuses $name', ({ args, error }) => {
    expect(() => parseAudit(args)).toThrow(UsageError);
    expect(() => parseAudit(args)).toThrow(error);
  });
});

describe('eni-pbr audit', () => {
  const fleetWith = (...instances: SimulatedInstance[]) => (fleet = simulateFleet(instances));

  it('prints a table worst first, the missing pieces in words and a summary; exit 1 for drift', async () => {
    fleetWith(makeInstance(0, 'compliant'), makeInstance(1, 'satisfied'), makeInstance(2, 'drift'), makeInstance(3, 'drift', { ping: 'ConnectionLost' }));
    const { out, io } = capture();

    const code = await runAudit(parseAudit(['--region', 'us-east-1', '--stage', 'test']), io, fleet.clock, false);

    expect(code).toBe(EXIT.driftLeft);
    const rows = out.stdout.split('\n').filter((line) => line.startsWith('i-'));
    expect(rows.map((row) => row.split(/\s+/)[1])).toEqual(['drift', 'unreachable', 'satisfied', 'compliant']);
    expect(out.stdout).toContain('by ec2-net-utils');
    expect(out.stdout).toMatch(/missing:\n {2}i-00000000000000003 \(ip-10-0-1-10\)\n {4}- put 0a:1b:00:00:00:01 in interface group 224/);
    expect(out.stdout).toContain('4 instances: 1 compliant, 1 satisfied by existing config, 1 drift, 1 unreachable, 0 error, 0 skipped; compliance 66.7%');
    expect(fleet.mocks.ssm).toHaveReceivedCommandWith(SendCommandCommand, { DocumentName: 'eni-pbr-agent-test', CloudWatchOutputConfig: { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: '/eni-pbr/test/agent-output' } });
  });

  it('prints the report as JSON for scripts; exit 0 when nothing is missing', async () => {
    fleetWith(makeInstance(0, 'compliant'), makeInstance(1, 'satisfied'));
    const { out, io } = capture();

    const code = await runAudit(parseAudit(['--region', 'us-east-1', '--json']), io, fleet.clock, false);

    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out.stdout)).toMatchObject({ mode: 'check', summary: { total: 2, compliant: 1, satisfied: 1 } });
  });

  it('in an opt-in stack (--managed-tag-mode opt-in) audits only the instances tagged eni-pbr:managed=true', async () => {
    fleetWith(makeInstance(0, 'drift', { managedTag: 'true' }), makeInstance(1, 'drift'));
    const { out, io } = capture();

    await runAudit(parseAudit(['--region', 'us-east-1', '--managed-tag-mode', 'opt-in', '--json']), io, fleet.clock, false);

    expect(JSON.parse(out.stdout).instances.map((line: { status: string }) => line.status)).toEqual(['drift', 'skipped']);
  });

  it('exits 4 when an instance could not be inspected and nothing else is wrong', async () => {
    fleetWith(makeInstance(0, 'compliant'), makeInstance(1, 'compliant', { invocation: 'Failed' }));

    expect(await runAudit(parseAudit(['--region', 'us-east-1']), capture().io, fleet.clock, false)).toBe(EXIT.agentFailure);
  });

  it('with --fix enqueues the drifted instances on the queue given; exit 0 once all are enqueued', async () => {
    fleetWith(makeInstance(0, 'drift'), makeInstance(1, 'compliant'));

    const code = await runAudit(parseAudit(['--region', 'us-east-1', '--fix', '--queue-url', 'https://sqs.us-east-1.amazonaws.com/111122223333/q.fifo']), capture().io, fleet.clock, false);

    expect(code).toBe(EXIT.ok);
    expect(fleet.mocks.sqs).toHaveReceivedCommandWith(SendMessageBatchCommand, { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/111122223333/q.fifo', Entries: [expect.objectContaining({ MessageGroupId: instanceIdOf(0) })] });
  });

  it('exits 3 on a bad instance id, before any AWS call', async () => {
    fleetWith(makeInstance(0, 'drift'));
    const { out, io } = capture();

    const code = await main(['audit', '--region', 'us-east-1', '--instance-ids', 'i-nope'], io);

    expect(code).toBe(EXIT.invalidInput);
    expect(out.stderr).toContain('instanceIds.0: not an EC2 instance id');
    expect(fleet.totalCalls()).toBe(0);
  });
});
