import '../helpers/simulated-fleet/with-audit-env';
import { ListCommandsCommand, SendCommandCommand } from '@aws-sdk/client-ssm';
import 'aws-sdk-client-mock-jest';
import { auditWith } from '../../functions/audit/handler';
import type { InstanceAudit } from '../../functions/service/audit/audit-report';
import { instanceIdOf, makeInstance, type SimulatedInstance } from '../helpers/simulated-fleet/fleet-model';
import { simulateFleet, type SimulatedFleet } from '../helpers/simulated-fleet/simulate-fleet';

const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: {} });
const lineOf = (lines: readonly InstanceAudit[], index: number) => lines.find((line) => line.instanceId === instanceIdOf(index));
const sentIds = (fleet: SimulatedFleet) => fleet.mocks.ssm.commandCalls(SendCommandCommand).flatMap((call) => call.args[0].input.InstanceIds ?? []);

let fleet: SimulatedFleet;
afterEach(() => fleet.restore());

describe('audit when things go wrong', () => {
  it('reports offline, unregistered and Windows instances without sending them a command', async () => {
    fleet = simulateFleet([
      makeInstance(0, 'drift'),
      makeInstance(1, 'drift', { ping: 'ConnectionLost' }),
      makeInstance(2, 'drift', { ping: 'unregistered' }),
      makeInstance(3, 'drift', { platform: 'Windows' }),
    ]);

    const report = await auditWith(fleet.clock)({ mode: 'check' });

    expect(sentIds(fleet)).toEqual([instanceIdOf(0)]);
    expect(lineOf(report.instances, 1)).toMatchObject({ status: 'unreachable', reason: 'agent offline (SSM PingStatus ConnectionLost)' });
    expect(lineOf(report.instances, 2)).toMatchObject({ status: 'skipped', reason: expect.stringContaining('not managed by SSM') });
    expect(lineOf(report.instances, 3)).toMatchObject({ status: 'skipped', reason: 'not Linux (Windows)' });
  });

  it('calls an unregistered instance it was asked about by id unreachable, not skipped', async () => {
    fleet = simulateFleet([makeInstance(0, 'drift', { ping: 'unregistered' })]);

    const report = await auditWith(fleet.clock)({ mode: 'check', instanceIds: [instanceIdOf(0)] });

    expect(report.instances).toEqual([expect.objectContaining({ status: 'unreachable' })]);
    expect(fleet.mocks.ssm).not.toHaveReceivedCommand(SendCommandCommand);
  });

  it('skips instances opted out by tag and sends them nothing', async () => {
    fleet = simulateFleet([makeInstance(0, 'drift', { managedTag: 'false' }), makeInstance(1, 'drift', { managedTag: 'true' }), makeInstance(2, 'drift')]);

    const report = await auditWith(fleet.clock)({ mode: 'check' });

    expect(lineOf(report.instances, 0)).toMatchObject({ status: 'skipped', reason: 'opted out (tag eni-pbr:managed=false)' });
    expect(sentIds(fleet).sort()).toEqual([instanceIdOf(1), instanceIdOf(2)]);
  });

  it('names each failed, timed-out and undeliverable invocation and still judges the rest of the batch', async () => {
    fleet = simulateFleet([
      makeInstance(0, 'drift'),
      makeInstance(1, 'drift', { invocation: 'Failed' }),
      makeInstance(2, 'drift', { invocation: 'DeliveryTimedOut' }),
      makeInstance(3, 'drift', { invocation: 'Undeliverable' }),
    ]);

    const report = await auditWith(fleet.clock)({ mode: 'check' });

    expect(lineOf(report.instances, 0)?.status).toBe('drift');
    expect(lineOf(report.instances, 1)).toMatchObject({ status: 'unreachable', reason: 'inspect command Failed' });
    expect(lineOf(report.instances, 2)).toMatchObject({ status: 'unreachable', reason: 'inspect command TimedOut (DeliveryTimedOut)' });
    expect(lineOf(report.instances, 3)).toMatchObject({ status: 'unreachable', reason: 'inspect command Failed (Undeliverable)' });
    expect(fleet.calls.get('ssm:ListCommandInvocations')).toBe(1);
  });

  it('reads an output missing from the logs with GetCommandInvocation, for that instance only', async () => {
    fleet = simulateFleet([makeInstance(0, 'drift'), makeInstance(1, 'satisfied', { invocation: 'SuccessNoLogs' })]);

    const report = await auditWith(fleet.clock)({ mode: 'check' });

    expect(lineOf(report.instances, 1)).toMatchObject({ status: 'satisfied', satisfiedBy: ['ec2-net-utils'] });
    expect(fleet.calls.get('ssm:GetCommandInvocation')).toBe(1);
  });

  it('halves a batch SendCommand refuses for an instance terminated meanwhile, and names that one', async () => {
    const instances: SimulatedInstance[] = Array.from({ length: 60 }, (_, index) => makeInstance(index, 'drift', index === 17 ? { gone: true } : {}));
    fleet = simulateFleet(instances);

    const report = await auditWith(fleet.clock)({ mode: 'check' });

    expect(lineOf(report.instances, 17)).toMatchObject({ status: 'unreachable', reason: expect.stringContaining('InvalidCommandTargetsError') });
    expect(report.summary).toMatchObject({ drift: 59, unreachable: 1 });
  });

  it('reports a batch whose SendCommand stays throttled as unreachable and audits the other batches', async () => {
    fleet = simulateFleet(Array.from({ length: 100 }, (_, index) => makeInstance(index, 'compliant')));
    fleet.failNext('ssm:SendCommand', throttled());

    const report = await auditWith(fleet.clock)({ mode: 'check' });

    expect(report.summary.unreachable).toBe(50);
    expect(report.instances.find((line) => line.status === 'unreachable')?.reason).toBe('inspect command not sent: ThrottlingException: Rate exceeded');
  });

  it('loses only a round when ListCommands is throttled', async () => {
    fleet = simulateFleet([makeInstance(0, 'compliant')]);
    fleet.failNext('ssm:ListCommands', throttled());

    const report = await auditWith(fleet.clock)({ mode: 'check' });

    expect(report.summary.compliant).toBe(1);
    expect(fleet.mocks.ssm).toHaveReceivedCommandTimes(ListCommandsCommand, 2);
  });
});
