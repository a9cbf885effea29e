import '../helpers/simulated-fleet/with-audit-env';
import 'aws-sdk-client-mock-jest';
import { auditWith } from '../../functions/audit/handler';
import { InvalidAuditRequestError } from '../../functions/service/audit/audit-request';
import { makeInstance } from '../helpers/simulated-fleet/fleet-model';
import { simulateFleet, type SimulatedFleet } from '../helpers/simulated-fleet/simulate-fleet';

const ids = (count: number) => Array.from({ length: count }, (_, index) => `i-${(index + 1).toString(16).padStart(17, '0')}`);

let fleet: SimulatedFleet;
beforeEach(() => {
  fleet = simulateFleet([makeInstance(0, 'drift')]);
});
afterEach(() => fleet.restore());

describe('a bad audit request is refused before any AWS call', () => {
  it.each([
    { name: 'an unknown field', event: { mode: 'check', dryRun: true }, error: /Unrecognized key: "dryRun"/ },
    { name: 'an unknown mode', event: { mode: 'repair' }, error: /mode/ },
    { name: 'a malformed instance id', event: { instanceIds: ['i-12345'] }, error: /not an EC2 instance id/ },
    { name: 'an ARN for an id', event: { instanceIds: ['arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0'] }, error: /not an EC2 instance id/ },
    { name: 'upper-case hex', event: { instanceIds: ['i-0123456789ABCDEF0'] }, error: /not an EC2 instance id/ },
    { name: 'too many ids', event: { instanceIds: ids(1001) }, error: /instanceIds/ },
    { name: 'an empty id list', event: { instanceIds: [] }, error: /instanceIds/ },
    { name: 'a wildcard tag value (EC2 filters read * as any)', event: { tags: { team: '*' } }, error: /tags.team/ },
    { name: 'a ? wildcard in a tag key', event: { tags: { 'te?m': 'db' } }, error: /tag keys/ },
    { name: 'a newline in a tag value', event: { tags: { team: 'db\nx' } }, error: /tags.team/ },
    { name: 'a tag value past 256 characters', event: { tags: { team: 'x'.repeat(257) } }, error: /tags.team/ },
    { name: 'an empty tag object', event: { tags: {} }, error: /at least one tag/ },
    { name: 'eleven tags', event: { tags: Object.fromEntries(ids(11).map((id) => [id, 'x'])) }, error: /at most 10 tags/ },
    { name: 'a non-boolean switch', event: { includeSingleEni: 'yes' }, error: /includeSingleEni/ },
    { name: 'not an object', event: 'check', error: /invalid audit request/ },
    { name: 'another event type', event: { source: 'aws.ec2', 'detail-type': 'EC2 Instance State-change Notification', detail: {} }, error: /not an audit request/ },
    { name: 'a custom event with a bad detail', event: { source: 'eni-pbr', 'detail-type': 'ENI PBR Audit Requested', detail: { mode: 'check', extra: 1 } }, error: /Unrecognized key/ },
  ])('$name', async ({ event, error }) => {
    await expect(auditWith(fleet.clock)(event)).rejects.toThrow(InvalidAuditRequestError);
    await expect(auditWith(fleet.clock)(event)).rejects.toThrow(error);

    expect(fleet.totalCalls()).toBe(0);
  });
});

describe('the three ways in', () => {
  it.each([
    { name: 'a console test event', event: { mode: 'check' } },
    { name: 'an EventBridge custom event', event: { version: '0', id: 'x', source: 'eni-pbr', 'detail-type': 'ENI PBR Audit Requested', account: '111122223333', time: '2026-12-03T08:00:00Z', region: 'us-east-1', resources: [], detail: { mode: 'check' } } },
    { name: 'the schedule rule input', event: { mode: 'check' } },
    { name: 'a custom event without detail fields (check, default fleet)', event: { source: 'eni-pbr', 'detail-type': 'ENI PBR Audit Requested', detail: {} } },
  ])('$name audits', async ({ event }) => {
    const report = await auditWith(fleet.clock)(event);

    expect(report).toMatchObject({ mode: 'check', summary: { total: 1, drift: 1 } });
  });
});
