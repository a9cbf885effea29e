import { DescribeInstancesCommand, DescribeNetworkInterfacesCommand, DescribeSubnetsCommand, DescribeTagsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import type { SimulatedInstance } from './fleet-model';
import { SUBNETS } from './fleet-model';
import { filterValues, pageOf } from './paging';

/** EC2 as the audit reads it, over the simulated instances: filters and pagination as EC2 applies them. */
export function mockFleetEc2(instances: () => readonly SimulatedInstance[], onCall: (name: string, nextToken?: string) => void) {
  const ec2 = mockClient(EC2Client);
  ec2.on(DescribeNetworkInterfacesCommand).callsFake((input: DescribeNetworkInterfacesCommand['input']) => {
    onCall('ec2:DescribeNetworkInterfaces', input.NextToken);
    const ids = filterValues(input.Filters, 'attachment.instance-id');
    const status = filterValues(input.Filters, 'attachment.status');
    const all = instances()
      .filter((instance) => ids === undefined || ids.includes(instance.instanceId))
      .flatMap((instance) => instance.networkInterfaces)
      .filter((eni) => status === undefined || status.includes(String((eni.Attachment as { Status?: string } | undefined)?.Status)));
    const { page, next } = pageOf(all, input.MaxResults, 1000, input.NextToken);
    return { NetworkInterfaces: page, NextToken: next };
  });
  ec2.on(DescribeSubnetsCommand).callsFake((input: DescribeSubnetsCommand['input']) => {
    onCall('ec2:DescribeSubnets');
    const ids = filterValues(input.Filters, 'subnet-id') ?? input.SubnetIds;
    const { page, next } = pageOf(SUBNETS.filter((subnet) => ids === undefined || ids.includes(subnet.SubnetId)), input.MaxResults, 1000, input.NextToken);
    return { Subnets: page, NextToken: next };
  });
  ec2.on(DescribeTagsCommand).callsFake((input: DescribeTagsCommand['input']) => {
    onCall('ec2:DescribeTags');
    const key = filterValues(input.Filters, 'key')?.[0];
    const tags = instances().flatMap((instance) => {
      const all: Record<string, string> = { ...instance.tags, ...(instance.managedTag === undefined ? {} : { 'eni-pbr:managed': instance.managedTag }) };
      return key !== undefined && key in all ? [{ ResourceId: instance.instanceId, ResourceType: 'instance', Key: key, Value: all[key] }] : [];
    });
    const { page, next } = pageOf(tags, input.MaxResults, 1000, input.NextToken);
    return { Tags: page, NextToken: next };
  });
  ec2.on(DescribeInstancesCommand).callsFake((input: DescribeInstancesCommand['input']) => {
    onCall('ec2:DescribeInstances');
    const wanted = (input.Filters ?? []).filter((filter) => filter.Name?.startsWith('tag:'));
    const matching = instances().filter((instance) => wanted.every((filter) => (filter.Values ?? []).includes(instance.tags[(filter.Name ?? '').slice(4)] ?? '\u0000')));
    const { page, next } = pageOf(matching, input.MaxResults, 1000, input.NextToken);
    return { Reservations: page.map((instance) => ({ Instances: [{ InstanceId: instance.instanceId, State: { Name: 'running' } }] })), NextToken: next };
  });
  return ec2;
}
