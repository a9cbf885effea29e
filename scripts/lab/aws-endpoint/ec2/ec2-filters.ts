import type { Instance, NetworkInterface, Subnet } from '@aws-sdk/client-ec2';
import { AwsError } from '../aws-error';
import type { Ec2Filter } from '../wire/ec2-query';

/** A filter name → the values a resource has for it; EC2 matches when any value matches any filter value. */
type Accessors<T> = Readonly<Record<string, (resource: T) => readonly (string | undefined)[]>>;

const tags = (list: readonly { Key?: string; Value?: string }[] | undefined) => list ?? [];

export const NETWORK_INTERFACE_FILTERS: Accessors<NetworkInterface> = {
  'network-interface-id': (eni) => [eni.NetworkInterfaceId],
  'attachment.instance-id': (eni) => [eni.Attachment?.InstanceId],
  'attachment.attachment-id': (eni) => [eni.Attachment?.AttachmentId],
  'attachment.status': (eni) => [eni.Attachment?.Status],
  'attachment.device-index': (eni) => [eni.Attachment?.DeviceIndex?.toString()],
  'attachment.network-card-index': (eni) => [eni.Attachment?.NetworkCardIndex?.toString()],
  'subnet-id': (eni) => [eni.SubnetId],
  'vpc-id': (eni) => [eni.VpcId],
  'mac-address': (eni) => [eni.MacAddress],
  status: (eni) => [eni.Status],
  'availability-zone': (eni) => [eni.AvailabilityZone],
  'private-ip-address': (eni) => (eni.PrivateIpAddresses ?? []).map((ip) => ip.PrivateIpAddress),
  'addresses.private-ip-address': (eni) => (eni.PrivateIpAddresses ?? []).map((ip) => ip.PrivateIpAddress),
  'tag-key': (eni) => tags(eni.TagSet).map((tag) => tag.Key),
};

export const SUBNET_FILTERS: Accessors<Subnet> = {
  'subnet-id': (subnet) => [subnet.SubnetId],
  'vpc-id': (subnet) => [subnet.VpcId],
  'cidr-block': (subnet) => [subnet.CidrBlock],
  'availability-zone': (subnet) => [subnet.AvailabilityZone],
  state: (subnet) => [subnet.State],
};

export const INSTANCE_FILTERS: Accessors<Instance> = {
  'instance-id': (instance) => [instance.InstanceId],
  'instance-state-name': (instance) => [instance.State?.Name],
  'vpc-id': (instance) => [instance.VpcId],
  'network-interface.network-interface-id': (instance) => (instance.NetworkInterfaces ?? []).map((eni) => eni.NetworkInterfaceId),
  'tag-key': (instance) => tags(instance.Tags).map((tag) => tag.Key),
};

/** EC2 filter values take `*` and `?` wildcards. */
function matchesValue(pattern: string, value: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return regex.test(value);
}

/** Keeps the resources every filter matches; an unknown filter name is EC2's InvalidParameterValue. */
export function applyFilters<T extends { TagSet?: unknown; Tags?: unknown }>(resources: readonly T[], filters: readonly Ec2Filter[], accessors: Accessors<T>): T[] {
  const tests = filters.map((filter) => {
    const accessor = filter.name.startsWith('tag:')
      ? (resource: T) => tags((resource.TagSet ?? resource.Tags) as { Key?: string; Value?: string }[] | undefined).filter((tag) => tag.Key === filter.name.slice(4)).map((tag) => tag.Value)
      : accessors[filter.name];
    if (accessor === undefined) throw new AwsError('InvalidParameterValue', `The filter '${filter.name}' is invalid`);
    return (resource: T) => accessor(resource).some((value) => value !== undefined && filter.values.some((pattern) => matchesValue(pattern, value)));
  });
  return resources.filter((resource) => tests.every((test) => test(resource)));
}
