import { z } from 'zod';

/** The SDK v3 shapes eni-pbr reads; values are checked field by field afterwards (field-validators). */
// Every field is optional here: EFA-only ENIs carry no IP, and what a routed ENI lacks is named by its validator.
const MAX_ITEMS = 1000; // far above any instance's ENIs (and ENI's addresses); bounds hostile input

const attachment = z.object({
  InstanceId: z.string().optional(),
  Status: z.string().optional(),
  DeviceIndex: z.number().optional(),
  NetworkCardIndex: z.number().optional(),
});

export const networkInterfaceSchema = z.object({
  NetworkInterfaceId: z.unknown().optional(),
  MacAddress: z.unknown().optional(),
  SubnetId: z.unknown().optional(),
  VpcId: z.unknown().optional(),
  InterfaceType: z.string().max(32).optional(),
  SourceDestCheck: z.boolean().optional(),
  PrivateIpAddress: z.unknown().optional(),
  PrivateIpAddresses: z.array(z.object({ PrivateIpAddress: z.unknown(), Primary: z.boolean().optional() })).max(MAX_ITEMS).optional(),
  Ipv4Prefixes: z.array(z.object({ Ipv4Prefix: z.unknown() })).max(MAX_ITEMS).optional(),
  Ipv6Addresses: z.array(z.object({ Ipv6Address: z.unknown() })).max(MAX_ITEMS).optional(),
  Attachment: attachment.optional(),
});

export const describeNetworkInterfacesSchema = z.object({ NetworkInterfaces: z.array(networkInterfaceSchema).max(MAX_ITEMS) });

export const describeSubnetsSchema = z.object({
  Subnets: z.array(z.object({ SubnetId: z.unknown(), CidrBlock: z.unknown().optional(), VpcId: z.unknown().optional(), Ipv6Native: z.boolean().optional() })).max(MAX_ITEMS),
});

export type RawNetworkInterface = z.infer<typeof networkInterfaceSchema>;
