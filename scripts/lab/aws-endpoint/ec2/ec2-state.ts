import { randomBytes } from 'node:crypto';
import type { Instance, NetworkInterface, Subnet } from '@aws-sdk/client-ec2';
import { AwsError } from '../aws-error';
import { freeAddresses, inSubnet } from './ipv4-pool';

/** What the lab's kernel must do when EC2's view changes (move a link, teach the VPC router an address). */
export interface Ec2HostSide {
  attached(eni: NetworkInterface, instanceId: string, deviceIndex: number): Promise<void>;
  detached(eni: NetworkInterface): Promise<void>;
  assigned(eni: NetworkInterface, ips: readonly string[]): Promise<void>;
  unassigned(eni: NetworkInterface, ips: readonly string[]): Promise<void>;
}

export interface Ec2Seed {
  readonly networkInterfaces: readonly NetworkInterface[];
  readonly subnets: readonly Subnet[];
  /** instance id → its tags; each is `running` until told otherwise */
  readonly instances: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** addresses in the subnets that other tenants hold (the lab's clients): never handed out */
  readonly reservedAddresses?: readonly string[];
}

const STATE_CODES: Record<string, number> = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };

/**
 * EC2's view of the lab: ENIs, subnets, instances. Mutations follow EC2's rules (device index taken,
 * primary not detachable, address in use) and then run the host side, so the kernel and the answers
 * never disagree; `onChange` persists the new view (the lab's JSON files).
 */
export class Ec2State {
  private readonly enis: NetworkInterface[];
  private readonly subnetList: Subnet[];
  private readonly instanceTags = new Map<string, Record<string, string>>();
  private readonly instanceStates = new Map<string, string>();

  constructor(
    seed: Ec2Seed,
    private readonly hostSide?: Ec2HostSide,
    private readonly onChange?: (state: Ec2State) => void,
    private readonly reserved: ReadonlySet<string> = new Set(seed.reservedAddresses ?? []),
  ) {
    this.enis = structuredClone([...seed.networkInterfaces]);
    this.subnetList = structuredClone([...seed.subnets]);
    for (const [id, tags] of Object.entries(seed.instances)) {
      this.instanceTags.set(id, { ...tags });
      this.instanceStates.set(id, 'running');
    }
  }

  networkInterfaces(): readonly NetworkInterface[] {
    return this.enis;
  }

  subnets(): readonly Subnet[] {
    return this.subnetList;
  }

  instances(): Instance[] {
    return [...this.instanceTags].map(([id, tags]) => {
      const enis = this.enis.filter((eni) => eni.Attachment?.InstanceId === id);
      const primary = enis.find((eni) => eni.Attachment?.DeviceIndex === 0);
      const name = this.instanceStates.get(id) ?? 'running';
      return {
        InstanceId: id,
        State: { Code: STATE_CODES[name], Name: name as 'running' },
        Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })),
        PrivateIpAddress: primary?.PrivateIpAddress,
        SubnetId: primary?.SubnetId,
        VpcId: primary?.VpcId,
        NetworkInterfaces: enis.map((eni) => ({ NetworkInterfaceId: eni.NetworkInterfaceId, MacAddress: eni.MacAddress, Status: eni.Status })),
      };
    });
  }

  setInstanceState(instanceId: string, name: keyof typeof STATE_CODES): void {
    this.requireInstance(instanceId);
    this.instanceStates.set(instanceId, name);
  }

  setInstanceTag(instanceId: string, key: string, value: string): void {
    this.requireInstance(instanceId)[key] = value;
  }

  /** DeleteTags: the key whatever its value when `value` is undefined, else only with that value. */
  deleteInstanceTag(instanceId: string, key: string, value?: string): void {
    const tags = this.requireInstance(instanceId);
    if (value === undefined || tags[key] === value) delete tags[key];
  }

  /** DeleteTags without tags: every user tag (EC2 keeps `aws:` tags). */
  deleteInstanceTags(instanceId: string): void {
    const tags = this.requireInstance(instanceId);
    for (const key of Object.keys(tags)) if (!key.startsWith('aws:')) delete tags[key];
  }

  requireEni(eniId: string): NetworkInterface {
    if (!/^eni-[0-9a-f]{8,17}$/.test(eniId)) throw new AwsError('InvalidNetworkInterfaceID.Malformed', `Invalid id: "${eniId}" (expecting "eni-...")`);
    const eni = this.enis.find((candidate) => candidate.NetworkInterfaceId === eniId);
    if (eni === undefined) throw new AwsError('InvalidNetworkInterfaceID.NotFound', `The networkInterface ID '${eniId}' does not exist`);
    return eni;
  }

  requireInstance(instanceId: string): Record<string, string> {
    if (!/^i-[0-9a-f]{8,17}$/.test(instanceId)) throw new AwsError('InvalidInstanceID.Malformed', `Invalid id: "${instanceId}"`);
    const tags = this.instanceTags.get(instanceId);
    if (tags === undefined) throw new AwsError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
    return tags;
  }

  async attach(eniId: string, instanceId: string, deviceIndex: number, networkCardIndex = 0): Promise<string> {
    const eni = this.requireEni(eniId);
    this.requireInstance(instanceId);
    if (this.instanceStates.get(instanceId) !== 'running' && this.instanceStates.get(instanceId) !== 'stopped') {
      throw new AwsError('IncorrectInstanceState', `The instance '${instanceId}' is not in a valid state for this operation`);
    }
    if (eni.Attachment !== undefined) throw new AwsError('InvalidNetworkInterface.InUse', `Interface: [${eniId}] in use.`);
    const taken = this.enis.some((other) => other.Attachment?.InstanceId === instanceId && other.Attachment.DeviceIndex === deviceIndex && (other.Attachment.NetworkCardIndex ?? 0) === networkCardIndex);
    if (taken) throw new AwsError('InvalidParameterValue', `Instance '${instanceId}' already has an interface attached at device index '${deviceIndex}'.`);
    const attachmentId = `eni-attach-${randomBytes(9).toString('hex').slice(0, 17)}`;
    await this.hostSide?.attached(eni, instanceId, deviceIndex);
    eni.Attachment = { AttachTime: new Date(), AttachmentId: attachmentId, DeleteOnTermination: false, DeviceIndex: deviceIndex, NetworkCardIndex: networkCardIndex, InstanceId: instanceId, InstanceOwnerId: eni.OwnerId, Status: 'attached' };
    eni.Status = 'in-use';
    this.onChange?.(this);
    return attachmentId;
  }

  async detach(attachmentId: string): Promise<void> {
    const eni = this.enis.find((candidate) => candidate.Attachment?.AttachmentId === attachmentId);
    if (eni === undefined) throw new AwsError('InvalidAttachmentID.NotFound', `The attachment ID '${attachmentId}' does not exist`);
    if (eni.Attachment?.DeviceIndex === 0) throw new AwsError('OperationNotPermitted', 'The network interface at device index 0 cannot be detached.');
    await this.hostSide?.detached(eni);
    delete eni.Attachment;
    eni.Status = 'available';
    this.onChange?.(this);
  }

  async assign(eniId: string, requested: readonly string[], count: number): Promise<string[]> {
    const eni = this.requireEni(eniId);
    const cidr = this.subnetList.find((subnet) => subnet.SubnetId === eni.SubnetId)?.CidrBlock ?? '';
    const used = new Set([...this.reserved, ...this.enis.flatMap((other) => (other.PrivateIpAddresses ?? []).map((ip) => ip.PrivateIpAddress ?? ''))]);
    for (const ip of requested) {
      if (!inSubnet(ip, cidr)) throw new AwsError('InvalidParameterValue', `Address ${ip} does not fall within the subnet's address range`);
      if (used.has(ip)) throw new AwsError('InvalidParameterValue', `Address ${ip} is in use.`);
    }
    const ips = requested.length > 0 ? [...requested] : freeAddresses(cidr, used, count);
    if (ips.length === 0 || ips.length < count) throw new AwsError('InsufficientFreeAddressesInSubnet', `The subnet ${eni.SubnetId} has insufficient free addresses`);
    await this.hostSide?.assigned(eni, ips);
    eni.PrivateIpAddresses = [...(eni.PrivateIpAddresses ?? []), ...ips.map((ip) => ({ Primary: false, PrivateIpAddress: ip }))];
    this.onChange?.(this);
    return ips;
  }

  async unassign(eniId: string, ips: readonly string[]): Promise<void> {
    const eni = this.requireEni(eniId);
    for (const ip of ips) {
      const entry = eni.PrivateIpAddresses?.find((candidate) => candidate.PrivateIpAddress === ip);
      if (entry === undefined) throw new AwsError('InvalidParameterValue', `Some of the specified addresses are not assigned to interface ${eniId}`);
      if (entry.Primary) throw new AwsError('InvalidParameterValue', `The primary address ${ip} cannot be unassigned`);
    }
    await this.hostSide?.unassigned(eni, ips);
    eni.PrivateIpAddresses = (eni.PrivateIpAddresses ?? []).filter((entry) => !ips.includes(entry.PrivateIpAddress ?? ''));
    this.onChange?.(this);
  }

  setSourceDestCheck(eniId: string, value: boolean): void {
    this.requireEni(eniId).SourceDestCheck = value;
    this.onChange?.(this);
  }
}
