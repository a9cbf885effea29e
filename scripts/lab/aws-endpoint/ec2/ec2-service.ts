import { AwsError } from '../aws-error';
import { queryFilters, queryList, queryString, type QueryValue } from '../wire/ec2-query';
import { applyFilters, INSTANCE_FILTERS, NETWORK_INTERFACE_FILTERS, SUBNET_FILTERS } from './ec2-filters';
import type { Ec2State } from './ec2-state';
import { paginate } from './paginate';

/** A successful mutating call, as CloudTrail records it (the endpoint turns it into the EventBridge event). */
export interface Ec2ApiCall {
  readonly eventName: string;
  readonly requestParameters: Record<string, unknown>;
  readonly responseElements: Record<string, unknown>;
}

type Input = Record<string, QueryValue>;
type Output = { output: Record<string, unknown>; call?: Omit<Ec2ApiCall, 'eventName'> };

function requireQuery(input: Input, name: string): string {
  const value = queryString(input, name);
  if (value === undefined || value === '') throw new AwsError('MissingParameter', `The request must contain the parameter ${name}`);
  return value;
}

function integer(input: Input, name: string, fallback?: number): number {
  const text = queryString(input, name);
  if (text === undefined && fallback !== undefined) return fallback;
  const value = Number(text);
  if (text === undefined || !Number.isInteger(value) || value < 0) throw new AwsError('InvalidParameterValue', `Invalid value '${text}' for ${name}`);
  return value;
}

/** `Tag.N.Key` / `Tag.N.Value` (Value optional: DeleteTags). */
function queryTags(input: Input): { key: string; value?: string }[] {
  const tags = input.Tag;
  if (!Array.isArray(tags)) return [];
  return tags.map((tag) => {
    const record = tag as Input;
    const key = queryString(record, 'Key');
    if (key === undefined || key === '' || key.length > 128) throw new AwsError('InvalidParameterValue', 'Tag keys must be 1-128 characters');
    const value = queryString(record, 'Value');
    return value === undefined ? { key } : { key, value };
  });
}

/** Only instances' tags are kept: the lab's other resources have none the service reads. */
function instanceIds(input: Input): string[] {
  const ids = queryList(input, 'ResourceId');
  if (ids.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter resourceIdSet');
  const other = ids.find((id) => !id.startsWith('i-'));
  if (other !== undefined) throw new AwsError('InvalidParameterValue', `the lab's endpoint keeps instances' tags only, not ${other}'s`);
  return ids;
}

function tagCall(ids: readonly string[], tags: readonly { key: string; value?: string }[] | null): Omit<Ec2ApiCall, 'eventName'> {
  return {
    requestParameters: { resourcesSet: { items: ids.map((resourceId) => ({ resourceId })) }, ...(tags === null ? {} : { tagSet: { items: tags } }) },
    responseElements: { _return: true },
  };
}

/** EC2's actions the service uses, answered from the lab's EC2 state. */
export function ec2Actions(state: Ec2State): Record<string, (input: Input) => Promise<Output>> {
  return {
    DescribeNetworkInterfaces: async (input) => {
      const ids = queryList(input, 'NetworkInterfaceId');
      ids.forEach((id) => state.requireEni(id));
      const chosen = state.networkInterfaces().filter((eni) => ids.length === 0 || ids.includes(eni.NetworkInterfaceId ?? ''));
      const page = paginate(applyFilters(chosen, queryFilters(input), NETWORK_INTERFACE_FILTERS), input);
      return { output: { NetworkInterfaces: page.items, NextToken: page.nextToken } };
    },
    DescribeSubnets: async (input) => {
      const ids = queryList(input, 'SubnetId');
      const chosen = state.subnets().filter((subnet) => ids.length === 0 || ids.includes(subnet.SubnetId ?? ''));
      const missing = ids.find((id) => !chosen.some((subnet) => subnet.SubnetId === id));
      if (missing !== undefined) throw new AwsError('InvalidSubnetID.NotFound', `The subnet ID '${missing}' does not exist`);
      const page = paginate(applyFilters(chosen, queryFilters(input), SUBNET_FILTERS), input);
      return { output: { Subnets: page.items, NextToken: page.nextToken } };
    },
    DescribeInstances: async (input) => {
      const ids = queryList(input, 'InstanceId');
      ids.forEach((id) => state.requireInstance(id));
      const chosen = state.instances().filter((instance) => ids.length === 0 || ids.includes(instance.InstanceId ?? ''));
      const page = paginate(applyFilters(chosen, queryFilters(input), INSTANCE_FILTERS), input);
      const Reservations = page.items.map((instance) => ({ ReservationId: `r-${(instance.InstanceId ?? '').slice(2)}`, OwnerId: '123456789012', Instances: [instance] }));
      return { output: { Reservations, NextToken: page.nextToken } };
    },
    AttachNetworkInterface: async (input) => {
      const networkInterfaceId = requireQuery(input, 'NetworkInterfaceId');
      const instanceId = requireQuery(input, 'InstanceId');
      const deviceIndex = integer(input, 'DeviceIndex');
      const networkCardIndex = integer(input, 'NetworkCardIndex', 0);
      const attachmentId = await state.attach(networkInterfaceId, instanceId, deviceIndex, networkCardIndex);
      return {
        output: { AttachmentId: attachmentId, NetworkCardIndex: networkCardIndex },
        call: { requestParameters: { networkInterfaceId, instanceId, deviceIndex }, responseElements: { attachmentId, networkCardIndex } },
      };
    },
    DetachNetworkInterface: async (input) => {
      const attachmentId = requireQuery(input, 'AttachmentId');
      const force = queryString(input, 'Force') === 'true';
      await state.detach(attachmentId);
      return { output: {}, call: { requestParameters: { attachmentId, force }, responseElements: { _return: true } } };
    },
    AssignPrivateIpAddresses: async (input) => {
      const networkInterfaceId = requireQuery(input, 'NetworkInterfaceId');
      const requested = queryList(input, 'PrivateIpAddress');
      const count = requested.length > 0 ? requested.length : integer(input, 'SecondaryPrivateIpAddressCount', 0);
      if (count === 0) throw new AwsError('MissingParameter', 'Either PrivateIpAddress or SecondaryPrivateIpAddressCount must be given');
      const ips = await state.assign(networkInterfaceId, requested, count);
      const assigned = ips.map((ip) => ({ PrivateIpAddress: ip }));
      return {
        output: { NetworkInterfaceId: networkInterfaceId, AssignedPrivateIpAddresses: assigned },
        call: {
          requestParameters: { networkInterfaceId, ...(requested.length > 0 ? { privateIpAddressesSet: { items: requested.map((ip) => ({ privateIpAddress: ip })) } } : { secondaryPrivateIpAddressCount: count }) },
          responseElements: { networkInterfaceId, assignedPrivateIpAddressesSet: { assignedPrivateIpAddressSetType: ips.map((ip) => ({ privateIpAddress: ip })) }, _return: true },
        },
      };
    },
    UnassignPrivateIpAddresses: async (input) => {
      const networkInterfaceId = requireQuery(input, 'NetworkInterfaceId');
      const ips = queryList(input, 'PrivateIpAddress');
      if (ips.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter PrivateIpAddress');
      await state.unassign(networkInterfaceId, ips);
      return {
        output: {},
        call: { requestParameters: { networkInterfaceId, privateIpAddressesSet: { items: ips.map((ip) => ({ privateIpAddress: ip })) } }, responseElements: { _return: true } },
      };
    },
    CreateTags: async (input) => {
      const ids = instanceIds(input);
      const tags = queryTags(input);
      if (tags.length === 0) throw new AwsError('MissingParameter', 'The request must contain the parameter Tags');
      ids.forEach((id) => state.requireInstance(id)); // all or nothing, as EC2
      for (const id of ids) for (const tag of tags) state.setInstanceTag(id, tag.key, tag.value ?? '');
      return { output: {}, call: tagCall(ids, tags.map((tag) => ({ key: tag.key, value: tag.value ?? '' }))) };
    },
    DeleteTags: async (input) => {
      const ids = instanceIds(input);
      const tags = queryTags(input);
      ids.forEach((id) => state.requireInstance(id));
      for (const id of ids) {
        if (tags.length === 0) state.deleteInstanceTags(id);
        else for (const tag of tags) state.deleteInstanceTag(id, tag.key, tag.value);
      }
      return { output: {}, call: tagCall(ids, tags.length === 0 ? null : tags) };
    },
    ModifyNetworkInterfaceAttribute: async (input) => {
      const networkInterfaceId = requireQuery(input, 'NetworkInterfaceId');
      const check = input.SourceDestCheck as Input | undefined;
      const value = check === undefined ? undefined : queryString(check, 'Value');
      if (value !== 'true' && value !== 'false') throw new AwsError('InvalidParameterCombination', 'only SourceDestCheck.Value is emulated');
      state.setSourceDestCheck(networkInterfaceId, value === 'true');
      return { output: {}, call: { requestParameters: { networkInterfaceId, sourceDestCheck: { value: value === 'true' } }, responseElements: { _return: true } } };
    },
  };
}
