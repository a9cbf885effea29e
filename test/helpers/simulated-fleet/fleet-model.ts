import { readEc2Fixture, readInspectFixture } from '../../core/helpers/load-fixtures';

/** How one simulated instance answers: SSM's view of its agent, and what its inspect invocation does. */
export interface SimulatedInstance {
  readonly instanceId: string;
  readonly profile: Profile;
  readonly networkInterfaces: readonly Record<string, unknown>[];
  readonly stdout: string;
  readonly ping: 'Online' | 'ConnectionLost' | 'unregistered';
  readonly platform: 'Linux' | 'Windows';
  readonly managedTag?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Success, Failed (exit 7), TimedOut (delivery), Undeliverable, or Success whose output never reached the logs */
  readonly invocation: 'Success' | 'Failed' | 'DeliveryTimedOut' | 'Undeliverable' | 'SuccessNoLogs';
  /** how long after SendCommand the invocation ends (virtual ms) */
  readonly runMs: number;
  /** SendCommand refuses any batch holding it (InvalidInstanceId): it was terminated meanwhile */
  readonly gone?: boolean;
}

/** Captured EC2 facts + inspect documents from real namespaces, paired by what the planner makes of them. */
export const PROFILES = {
  compliant: { ec2: 'bare-three', inspect: 'applied-primary', dropAddresses: ['10.0.2.21', '10.0.2.22'] },
  satisfied: { ec2: 'ec2-net-utils', inspect: 'ec2-net-utils-applied' },
  drift: { ec2: 'bare-two', inspect: 'bare-two' },
  docker: { ec2: 'ubuntu-docker', inspect: 'ubuntu-docker' },
  detached: { ec2: 'detached', inspect: 'detached' },
  // its secondary ENIs were detached while nobody listened: eni-pbr's config for them is still on the host
  leftover: { ec2: 'detached', inspect: 'detached', onlyPrimary: true },
} as const;
export type Profile = keyof typeof PROFILES;

const hex17 = (n: number) => n.toString(16).padStart(17, '0');
export const instanceIdOf = (index: number) => `i-${hex17(index + 1)}`;

/** One instance of a profile under a fresh id: its ENIs get fresh ENI and attachment ids; MACs stay (they are per host). */
export function makeInstance(index: number, profile: Profile, overrides: Partial<Omit<SimulatedInstance, 'instanceId' | 'profile'>> = {}): SimulatedInstance {
  const spec: { ec2: string; inspect: string; dropAddresses?: readonly string[]; onlyPrimary?: boolean } = PROFILES[profile];
  const instanceId = instanceIdOf(index);
  const fixture = readEc2Fixture(spec.ec2) as { describeNetworkInterfaces: { NetworkInterfaces: Record<string, unknown>[] } };
  let enis = fixture.describeNetworkInterfaces.NetworkInterfaces.filter((eni) => eni.Attachment !== undefined);
  if (spec.onlyPrimary === true) enis = enis.filter((eni) => (eni.Attachment as { DeviceIndex: number }).DeviceIndex === 0);
  const networkInterfaces = enis.map((eni, k) => {
    const ips = (eni.PrivateIpAddresses as { PrivateIpAddress: string }[]).filter((ip) => !(spec.dropAddresses ?? []).includes(ip.PrivateIpAddress));
    return {
      ...eni,
      NetworkInterfaceId: `eni-${hex17(index * 8 + k + 1)}`,
      PrivateIpAddresses: ips,
      Attachment: { ...(eni.Attachment as object), InstanceId: instanceId, AttachmentId: `eni-attach-${hex17(index * 8 + k + 1)}` },
    };
  });
  return {
    instanceId,
    profile,
    networkInterfaces,
    stdout: JSON.stringify(readInspectFixture(spec.inspect)),
    ping: 'Online',
    platform: 'Linux',
    tags: {},
    invocation: 'Success',
    runMs: 800 + ((index * 7919) % 2400), // 0.8–3.2 s, spread deterministically
    ...overrides,
  };
}

export const SUBNETS = ['bare-three', 'ec2-net-utils', 'ubuntu-docker'].flatMap(
  (name) => (readEc2Fixture(name) as { describeSubnets: { Subnets: { SubnetId: string }[] } }).describeSubnets.Subnets,
).filter((subnet, index, all) => all.findIndex((other) => other.SubnetId === subnet.SubnetId) === index);

/** Time that passes only when the code under test sleeps or calls AWS. */
export class VirtualClock {
  private t = Date.parse('2026-12-03T08:00:00Z');
  now = (): number => this.t;
  sleep = async (ms: number): Promise<void> => {
    this.t += ms;
  };
  advance(ms: number): void {
    this.t += ms;
  }
}
