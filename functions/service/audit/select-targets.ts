import type { AuditRequest } from './audit-request';
import type { InstanceAudit } from './audit-report';
import type { FleetEc2Port, FleetNetworkInterface, FleetSsmPort } from './audit-ports';

export type ManagedTagMode = 'opt-out' | 'opt-in';

export interface AuditTargets {
  /** instances to inspect (SSM Online, Linux, not opted out), in a stable order */
  readonly inspect: readonly string[];
  /** instances settled without a command: skipped or unreachable, with the reason */
  readonly settled: readonly InstanceAudit[];
  readonly interfacesOf: ReadonlyMap<string, readonly FleetNetworkInterface[]>;
}

/**
 * Which instances this audit looks at, read in bulk: the ENIs (one paginated DescribeNetworkInterfaces),
 * the opt-out tag (one DescribeTags), SSM's view of the agents (DescribeInstanceInformation, 50 a page).
 * Instance ids named by the operator are audited whatever their ENI count: they asked about them.
 */
export async function selectTargets(
  request: AuditRequest,
  ports: { readonly ec2: FleetEc2Port; readonly ssm: FleetSsmPort },
  managedTagMode: ManagedTagMode,
): Promise<AuditTargets> {
  const named = request.instanceIds === undefined ? undefined : [...new Set(request.instanceIds)];
  const tagged = request.tags === undefined ? undefined : await ports.ec2.findInstancesByTags(request.tags);
  const scope = intersect(named, tagged);
  if (scope !== undefined && scope.length === 0) return { inspect: [], settled: [], interfacesOf: new Map() };

  const interfacesOf = groupByInstance(await ports.ec2.describeAttachedInterfaces(scope));
  const settled: InstanceAudit[] = [];
  const minimum = request.includeSingleEni || named !== undefined ? 1 : 2;
  const candidates: string[] = [];
  for (const instanceId of scope ?? [...interfacesOf.keys()].sort()) {
    const count = interfacesOf.get(instanceId)?.length ?? 0;
    if (count >= minimum) candidates.push(instanceId);
    else if (named?.includes(instanceId)) settled.push({ instanceId, status: 'skipped', reason: 'no attached ENI (terminated, or in another Region)' });
  }

  const managedTags = candidates.length === 0 ? new Map<string, string>() : await ports.ec2.readManagedTags();
  const managed = candidates.filter((instanceId) => {
    const reason = optOutReason(managedTags.get(instanceId), managedTagMode);
    if (reason !== null) settled.push({ instanceId, status: 'skipped', reason });
    return reason === null;
  });

  const nodes = managed.length === 0 ? new Map() : await ports.ssm.describeManagedNodes(managed);
  const inspect: string[] = [];
  for (const instanceId of managed) {
    const node = nodes.get(instanceId);
    if (node === undefined) {
      // Named instances were asked about: not being able to look is a finding. In a fleet sweep it is scope.
      const status = named === undefined ? 'skipped' : 'unreachable';
      settled.push({ instanceId, status, reason: 'not managed by SSM (no SSM Agent registration for this instance)' });
    } else if (node.platformType !== undefined && node.platformType !== 'Linux') {
      settled.push({ instanceId, status: 'skipped', reason: `not Linux (${node.platformType})` });
    } else if (node.pingStatus !== 'Online') {
      settled.push({ instanceId, status: 'unreachable', reason: `agent offline (SSM PingStatus ${node.pingStatus})` });
    } else {
      inspect.push(instanceId);
    }
  }
  return { inspect, settled, interfacesOf };
}

function optOutReason(value: string | undefined, mode: ManagedTagMode): string | null {
  if (mode === 'opt-out') return value === 'false' ? 'opted out (tag eni-pbr:managed=false)' : null;
  return value === 'true' ? null : 'not opted in (opt-in mode and tag eni-pbr:managed is not true)';
}

function intersect(a: readonly string[] | undefined, b: readonly string[] | undefined): readonly string[] | undefined {
  if (a === undefined) return b === undefined ? undefined : [...new Set(b)].sort();
  if (b === undefined) return a;
  const inB = new Set(b);
  return a.filter((id) => inB.has(id));
}

function groupByInstance(interfaces: readonly FleetNetworkInterface[]): Map<string, FleetNetworkInterface[]> {
  const byInstance = new Map<string, FleetNetworkInterface[]>();
  for (const eni of interfaces) {
    const instanceId = eni.Attachment?.InstanceId;
    if (instanceId === undefined) continue;
    const list = byInstance.get(instanceId) ?? [];
    list.push(eni);
    byInstance.set(instanceId, list);
  }
  return byInstance;
}
