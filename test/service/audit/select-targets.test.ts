import type { FleetEc2Port, FleetSsmPort, ManagedNode } from '../../../functions/service/audit/audit-ports';
import { AuditRequestSchema } from '../../../functions/service/audit/audit-request';
import { selectTargets } from '../../../functions/service/audit/select-targets';

const A = 'i-0000000000000000a';
const B = 'i-0000000000000000b';
const C = 'i-0000000000000000c';
const eni = (instanceId: string, n: number) => ({ NetworkInterfaceId: `eni-${n.toString(16).padStart(17, '0')}`, SubnetId: 'subnet-0aaa0000000000001', Attachment: { InstanceId: instanceId, Status: 'attached' } });

function ports(tags: Record<string, string>): { ec2: FleetEc2Port; ssm: FleetSsmPort; asked: string[][] } {
  const asked: string[][] = [];
  const online = (instanceId: string): ManagedNode => ({ instanceId, pingStatus: 'Online', platformType: 'Linux' });
  return {
    asked,
    ec2: {
      describeAttachedInterfaces: async () => [eni(A, 1), eni(A, 2), eni(B, 3), eni(B, 4), eni(C, 5), eni(C, 6)],
      describeSubnets: async () => [],
      findInstancesByTags: async () => [A, B, C],
      readManagedTags: async () => new Map(Object.entries(tags)),
    },
    ssm: {
      describeManagedNodes: async (ids) => {
        asked.push([...ids]);
        return new Map(ids.map((id) => [id, online(id)]));
      },
      sendInspect: async () => 'unused',
      listCommandProgress: async () => [],
      listInvocations: async () => [],
      getInvocationOutput: async () => ({ instanceId: A, status: 'Success', stdout: '' }),
    },
  };
}

describe('selectTargets and the eni-pbr:managed tag', () => {
  it.each<{ mode: 'opt-out' | 'opt-in'; tags: Record<string, string>; inspect: string[]; skipped: string[] }>([
    { mode: 'opt-out' as const, tags: { [A]: 'false', [B]: 'true' }, inspect: [B, C], skipped: [A] },
    { mode: 'opt-in' as const, tags: { [A]: 'false', [B]: 'true' }, inspect: [B], skipped: [A, C] },
    { mode: 'opt-in' as const, tags: { [B]: 'TRUE' }, inspect: [], skipped: [A, B, C] },
  ])('in $mode mode with $tags inspects $inspect and skips $skipped, asking SSM only about the managed', async ({ mode, tags, inspect, skipped }) => {
    const deps = ports(tags);

    const targets = await selectTargets(AuditRequestSchema.parse({}), deps, mode);

    expect(targets.inspect).toEqual(inspect);
    expect(targets.settled.filter((line) => line.status === 'skipped').map((line) => line.instanceId).sort()).toEqual(skipped);
    expect(deps.asked.flat()).toEqual(inspect);
  });
});
