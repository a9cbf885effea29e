import '../helpers/simulated-fleet/with-audit-env';
import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import 'aws-sdk-client-mock-jest';
import { auditWith } from '../../functions/audit/handler';
import { RemediationJobSchema } from '../../functions/service/remediation-job';
import { makeInstance, type Profile } from '../helpers/simulated-fleet/fleet-model';
import { simulateFleet, type SimulatedFleet } from '../helpers/simulated-fleet/simulate-fleet';

const PROFILES: readonly Profile[] = ['compliant', 'satisfied', 'drift', 'docker', 'detached'];
const fleetOf = (size: number) => Array.from({ length: size }, (_, index) => makeInstance(index, PROFILES[index % PROFILES.length] as Profile));

let fleet: SimulatedFleet;
afterEach(() => fleet.restore());

describe('audit in fix mode', () => {
  it('enqueues one remediation job per drifted instance, ten a SendMessageBatch, grouped by instance', async () => {
    fleet = simulateFleet(fleetOf(40)); // 24 drifted: drift, docker, detached

    const report = await auditWith(fleet.clock)({ mode: 'fix' });

    expect(fleet.mocks.sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 3);
    const entries = fleet.mocks.sqs.commandCalls(SendMessageBatchCommand).flatMap((call) => call.args[0].input.Entries ?? []);
    expect(entries).toHaveLength(24);
    for (const entry of entries) {
      const job = RemediationJobSchema.parse(JSON.parse(entry.MessageBody ?? ''));
      expect(job).toMatchObject({ trigger: 'Audit', eventId: report.auditId });
      expect(entry.MessageGroupId).toBe(job.instanceId);
    }
    expect(new Set(entries.map((entry) => entry.MessageGroupId))).toEqual(new Set(report.instances.filter((line) => line.status === 'drift').map((line) => line.instanceId)));
    expect(report.summary.remediationsEnqueued).toBe(24);
  });

  it('marks the instances whose job SQS refused, and enqueues the others', async () => {
    fleet = simulateFleet(fleetOf(5));
    fleet.mocks.sqs.on(SendMessageBatchCommand).resolves({ Successful: [{ Id: '0', MessageId: 'm', MD5OfMessageBody: 'x' }], Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false, Message: 'try again' }] });

    const report = await auditWith(fleet.clock)({ mode: 'fix' });

    const drifted = report.instances.filter((line) => line.status === 'drift');
    expect(drifted.map((line) => line.remediation)).toEqual([{ enqueued: true }, { enqueued: false, error: 'InternalError: try again' }, { enqueued: true }]);
  });

  it('enqueues nothing in check mode', async () => {
    fleet = simulateFleet(fleetOf(5));

    await auditWith(fleet.clock)({ mode: 'check' });

    expect(fleet.mocks.sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });
});

describe('audit results on the bus', () => {
  it('publishes a summary and chunks of instances, every request within PutEvents limits', async () => {
    fleet = simulateFleet(fleetOf(1000));

    const report = await auditWith(fleet.clock)({ mode: 'check' });

    const requests = fleet.mocks.events.commandCalls(PutEventsCommand).map((call) => call.args[0].input.Entries ?? []);
    const entries = requests.flat();
    expect(entries.every((entry) => entry.Source === 'eni-pbr' && entry.DetailType === 'ENI PBR Audit Result' && entry.EventBusName === 'default')).toBe(true);
    const details = entries.map((entry) => JSON.parse(entry.Detail ?? '{}') as { kind: string; chunks: number; instances?: { instanceId: string }[] });
    expect(details[0]).toMatchObject({ kind: 'summary', auditId: report.auditId, summary: report.summary });
    expect(details.length).toBe(1 + (details[0]?.chunks ?? 0));
    expect(details.flatMap((detail) => detail.instances ?? []).map((line) => line.instanceId)).toEqual(report.instances.map((line) => line.instanceId));
    for (const request of requests) {
      const bytes = request.reduce((sum, entry) => sum + 14 + Buffer.byteLength(`${entry.Source}${entry.DetailType}${entry.Detail}`), 0);
      expect(request.length <= 10 && bytes <= 262_144).toBe(true);
    }
  });

  it('still returns the report when the bus refuses it', async () => {
    fleet = simulateFleet(fleetOf(2));
    fleet.failNext('events:PutEvents', Object.assign(new Error('denied'), { name: 'AccessDeniedException' }), 2);

    const report = await auditWith(fleet.clock)({ mode: 'check' });

    expect(report.summary.total).toBe(2);
    expect(fleet.calls.get('events:PutEvents')).toBe(2); // one send, one retry
  });
});

describe('a deployment in check mode', () => {
  it('refuses a fix request before any call', async () => {
    fleet = simulateFleet(fleetOf(2));
    const previous = process.env.ENI_PBR_MODE;
    process.env.ENI_PBR_MODE = 'check';
    try {
      await jest.isolateModulesAsync(async () => {
        // A fresh module registry: the config is read once per container, this one reads ENI_PBR_MODE=check.
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const isolated = require('../../functions/audit/handler') as typeof import('../../functions/audit/handler');
        await expect(isolated.auditWith(fleet.clock)({ mode: 'fix' })).rejects.toThrow(/ENI_PBR_MODE=check/);
      });
    } finally {
      process.env.ENI_PBR_MODE = previous;
    }
    expect(fleet.totalCalls()).toBe(0);
  });
});
