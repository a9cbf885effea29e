import '../helpers/simulated-fleet/with-audit-env';
import { SendCommandCommand, DescribeInstanceInformationCommand } from '@aws-sdk/client-ssm';
import { DescribeNetworkInterfacesCommand } from '@aws-sdk/client-ec2';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import 'aws-sdk-client-mock-jest';
import { auditWith } from '../../functions/audit/handler';
import type { AuditReport } from '../../functions/service/audit/audit-report';
import { makeInstance, type Profile } from '../helpers/simulated-fleet/fleet-model';
import { simulateFleet, type SimulatedFleet } from '../helpers/simulated-fleet/simulate-fleet';

const PROFILES: readonly Profile[] = ['compliant', 'satisfied', 'drift', 'docker', 'detached'];
const fleetOf = (size: number) => Array.from({ length: size }, (_, index) => makeInstance(index, PROFILES[index % PROFILES.length] as Profile));

function assertBatches(fleet: SimulatedFleet, commands: number): void {
  expect(fleet.mocks.ssm).toHaveReceivedCommandTimes(SendCommandCommand, commands);
  const sent = fleet.mocks.ssm.commandCalls(SendCommandCommand).map((call) => call.args[0].input);
  expect(sent.every((input) => (input.InstanceIds ?? []).length <= 50)).toBe(true);
  expect(sent.flatMap((input) => input.InstanceIds ?? []).sort()).toEqual(fleet.instances.map((instance) => instance.instanceId).sort());
  expect(fleet.mocks.ssm).toHaveReceivedCommandWith(SendCommandCommand, {
    DocumentName: 'eni-pbr-test-agent',
    Parameters: { Mode: ['inspect'] },
    MaxErrors: '100%',
    CloudWatchOutputConfig: { CloudWatchOutputEnabled: true, CloudWatchLogGroupName: '/eni-pbr/test/agent-output' },
  });
  // One log read per command, none per instance.
  expect(fleet.mocks.logs).toHaveReceivedCommandTimes(FilterLogEventsCommand, commands);
  expect(fleet.calls.get('ssm:GetCommandInvocation')).toBeUndefined();
}

describe('audit batching', () => {
  let fleet: SimulatedFleet;
  afterEach(() => fleet.restore());

  it.each([
    { size: 1, commands: 1 },
    { size: 50, commands: 1 },
    { size: 51, commands: 2 },
  ])('inspects $size instances with $commands SendCommand calls of at most 50 ids, outputs read from the logs', async ({ size, commands }) => {
    // Prepare
    fleet = simulateFleet(fleetOf(size));

    // Act
    const report = await auditWith(fleet.clock)({ mode: 'check' });

    // Assess
    assertBatches(fleet, commands);
    expect(report.summary.total).toBe(size);
    expect(report.summary.unreachable + report.summary.error).toBe(0);
  });

  it('audits the single-ENI instances only when asked to (config left by a detached ENI hides there)', async () => {
    fleet = simulateFleet([...fleetOf(3), makeInstance(3, 'leftover')]);

    const sweep = await auditWith(fleet.clock)({ mode: 'check' });
    const wide = await auditWith(fleet.clock)({ mode: 'check', includeSingleEni: true });

    expect(sweep.instances.map((instance) => instance.instanceId)).not.toContain('i-00000000000000004');
    const leftover = wide.instances.find((instance) => instance.instanceId === 'i-00000000000000004');
    expect(leftover?.status).toBe('drift');
    expect(leftover?.missing).toEqual(expect.arrayContaining([expect.stringMatching(/^remove stale rule/)]));
  });
});

describe('audit of 1,000 instances', () => {
  let fleet: SimulatedFleet;
  let report: AuditReport;
  beforeAll(async () => {
    fleet = simulateFleet(fleetOf(1000)); // 2,400 ENIs
    report = await auditWith(fleet.clock)({ mode: 'check' });
  });
  afterAll(() => fleet.restore());

  it('sends 20 commands of 50 and reads each command output once', () => {
    assertBatches(fleet, 20);
    expect(report.summary).toMatchObject({ total: 1000, compliant: 200, satisfied: 200, drift: 600, unreachable: 0 });
  });

  it('stays under 0.1 AWS calls per instance', () => {
    expect(fleet.totalCalls() / 1000).toBeLessThanOrEqual(0.1);
  });

  it('reads ENIs and agents page by page: 1,000 ENIs a page, 50 instances a DescribeInstanceInformation', () => {
    expect(fleet.tokens.get('ec2:DescribeNetworkInterfaces')).toEqual([undefined, '1000', '2000']);
    expect(fleet.mocks.ec2.commandCalls(DescribeNetworkInterfacesCommand).every((call) => call.args[0].input.MaxResults === 1000)).toBe(true);
    expect(fleet.mocks.ssm).toHaveReceivedCommandTimes(DescribeInstanceInformationCommand, 20);
    const idsPerCall = fleet.mocks.ssm.commandCalls(DescribeInstanceInformationCommand).map((call) => call.args[0].input.Filters?.[0]?.Values?.length);
    expect(idsPerCall.every((count) => count === 50)).toBe(true);
  });
});
