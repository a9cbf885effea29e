import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type EventPattern, matchesPattern } from './event-pattern';
import { PACKAGING_TIMEOUT_MS, packagedService } from './packaged-service';
import { resourcesOfType } from './template';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'eventbridge', `${name}.json`), 'utf8')) as Record<string, unknown>;
const attach = fixture('attach-network-interface');
const runInstances = fixture('run-instances');
const running = fixture('instance-running');
const createTags = fixture('create-tags');

/** A copy of `event` with `detail` changed by `edit`. */
function withDetail(event: Record<string, unknown>, edit: (detail: Record<string, unknown>) => void): Record<string, unknown> {
  const copy = structuredClone(event) as Record<string, unknown> & { detail: Record<string, unknown> };
  edit(copy.detail);
  return copy;
}

let patterns: EventPattern[];

beforeAll(async () => {
  // Prepare: the patterns as deployed, read from the packaged template's rules that target intake.
  const { template } = await packagedService();
  patterns = resourcesOfType(template, 'AWS::Events::Rule')
    .filter(([, rule]) => JSON.stringify(rule.Properties.Targets).includes('IntakeLambdaFunction'))
    .map(([, rule]) => rule.Properties.EventPattern as EventPattern);
}, PACKAGING_TIMEOUT_MS);

const delivered = (event: unknown): boolean => patterns.some((pattern) => matchesPattern(pattern, event));

describe('the intake rules (packaged template)', () => {
  it('are four enabled rules on the default bus: ENI calls, instance starts, eni-pbr:managed tag changes, all tags deleted', async () => {
    const { template } = await packagedService();
    const rules = resourcesOfType(template, 'AWS::Events::Rule').filter(([, rule]) => JSON.stringify(rule.Properties.Targets).includes('IntakeLambdaFunction'));
    expect(rules).toHaveLength(4);
    for (const [, rule] of rules) {
      expect(rule.Properties.State).toBe('ENABLED');
      expect(rule.Properties.EventBusName).toBeUndefined();
    }
    expect(patterns.map((pattern) => pattern['detail-type'])).toEqual([
      ['AWS API Call via CloudTrail'], ['EC2 Instance State-change Notification'], ['AWS API Call via CloudTrail'], ['AWS API Call via CloudTrail'],
    ]);
  });

  it('listen to exactly the seven EC2 calls that change an instance\'s interfaces or addresses', () => {
    const cloudTrail = patterns[0] as { detail: { eventName: string[]; eventSource: string[]; errorCode: unknown[] } };
    expect([...cloudTrail.detail.eventName].sort()).toEqual([
      'AssignIpv6Addresses', 'AssignPrivateIpAddresses', 'AttachNetworkInterface', 'DetachNetworkInterface',
      'RunInstances', 'UnassignIpv6Addresses', 'UnassignPrivateIpAddresses',
    ]);
    expect(cloudTrail.detail.eventSource).toEqual(['ec2.amazonaws.com']);
    expect(cloudTrail.detail.errorCode).toEqual([{ exists: false }]);
  });

  it.each([
    ['a console AttachNetworkInterface (real sample)', attach],
    ['a RunInstances launching two ENIs (real sample shape)', runInstances],
    ['an instance entering running', running],
    ['each other ENI call', withDetail(attach, (detail) => { detail.eventName = 'UnassignIpv6Addresses'; })],
    ['a DetachNetworkInterface', withDetail(attach, (detail) => {
      detail.eventName = 'DetachNetworkInterface';
      detail.requestParameters = { attachmentId: 'eni-attach-00eb7522370000001', force: false };
      detail.responseElements = { requestId: '669c37c4-0000-4000-8000-000000000001', _return: true };
    })],
    ['eni-pbr:managed set on two instances and a security group', createTags],
    ['eni-pbr:managed deleted', withDetail(createTags, (detail) => {
      detail.eventName = 'DeleteTags';
      detail.requestParameters = { resourcesSet: { items: [{ resourceId: 'i-0f1e2d3c4b5a69788' }] }, tagSet: { items: [{ key: 'eni-pbr:managed' }] } };
    })],
    ['every tag of an instance deleted (a DeleteTags without tags)', withDetail(createTags, (detail) => {
      detail.eventName = 'DeleteTags';
      detail.requestParameters = { resourcesSet: { items: [{ resourceId: 'i-0f1e2d3c4b5a69788' }] } };
    })],
  ])('deliver %s', (_name, event) => {
    expect(delivered(event)).toBe(true);
  });

  it.each([
    ['a failed call (errorCode present)', withDetail(attach, (detail) => { detail.errorCode = 'Client.UnauthorizedOperation'; detail.errorMessage = 'denied'; })],
    ['a dry run', withDetail(runInstances, (detail) => { detail.errorCode = 'Client.DryRunOperation'; })],
    ['the same call name from another service', withDetail(attach, (detail) => { detail.eventSource = 'ecs.amazonaws.com'; })],
    ['another EC2 call', withDetail(attach, (detail) => { detail.eventName = 'CreateNetworkInterface'; })],
    ['a read-only EC2 call', withDetail(attach, (detail) => { detail.eventName = 'DescribeNetworkInterfaces'; })],
    ['an instance stopping', withDetail(running, (detail) => { detail.state = 'stopped'; })],
    ['an instance pending', withDetail(running, (detail) => { detail.state = 'pending'; })],
    ['a look-alike from a custom source', { ...attach, source: 'my.app' }],
    ['a state change without a state', withDetail(running, (detail) => { delete detail.state; })],
    ['a CreateTags of other tags only', withDetail(createTags, (detail) => {
      detail.requestParameters = { resourcesSet: { items: [{ resourceId: 'i-0f1e2d3c4b5a69788' }] }, tagSet: { items: [{ key: 'Name', value: 'web' }] } };
    })],
    ['eni-pbr:managed set on a security group only', withDetail(createTags, (detail) => {
      detail.requestParameters = { resourcesSet: { items: [{ resourceId: 'sg-11bbcc22' }] }, tagSet: { items: [{ key: 'eni-pbr:managed', value: 'false' }] } };
    })],
    ['a DeleteTags of other tags only', withDetail(createTags, (detail) => {
      detail.eventName = 'DeleteTags';
      detail.requestParameters = { resourcesSet: { items: [{ resourceId: 'i-0f1e2d3c4b5a69788' }] }, tagSet: { items: [{ key: 'Name' }] } };
    })],
    ['a CreateTags without tags (not an EC2 call that succeeds)', withDetail(createTags, (detail) => {
      detail.requestParameters = { resourcesSet: { items: [{ resourceId: 'i-0f1e2d3c4b5a69788' }] } };
    })],
    ['a failed CreateTags', withDetail(createTags, (detail) => { detail.errorCode = 'Client.UnauthorizedOperation'; })],
  ])('do not deliver %s', (_name, event) => {
    expect(delivered(event)).toBe(false);
  });
});
