import { z } from 'zod';

/**
 * The inspect document of docs/agent-protocol.md (after envelope unwrapping). The ip/nft sections are
 * verbatim `-j` output, so their entries stay records here and are read field by field.
 * The bounds keep a hostile or broken document from costing more than a large real host would.
 */
const entries = (max: number) => z.array(z.record(z.string(), z.unknown())).max(max);
const MAX_LINKS = 10_000; // a busy Docker/Kubernetes host has a veth per container
const MAX_RULES = 50_000;
const MAX_ROUTES = 200_000;
const MAX_LINES = 200; // the agent keeps at most 200 mark and NAT lines each
// Lines are not bounded one by one: a foreign nft line over 4,096 characters (a long set, a comment) is
// only scanned for evidence, in linear time, and the whole document is bounded when it is inflated.

const MAX_RECOVERED = 16; // the agent keeps one journal per namespace; more is a broken document
const flag = z.boolean();
const sysctlValue = z.string().regex(/^[0-2]$/);

export const inspectDocumentSchema = z.object({
  schemaVersion: z.literal(1),
  agentVersion: z.string().max(32).optional(),
  host: z.object({ hostname: z.unknown(), kernel: z.string().max(256).optional(), osRelease: z.string().max(256).optional() }),
  links: entries(MAX_LINKS),
  bridges: z.array(z.unknown()).max(MAX_LINKS),
  addr: entries(MAX_LINKS),
  rules4: entries(MAX_RULES),
  rules6: entries(MAX_RULES),
  routes4: entries(MAX_ROUTES),
  routes6: entries(MAX_ROUTES),
  firewall: z.object({
    backend: z.enum(['nft', 'iptables', 'none']),
    ownTable: z.object({ nftables: z.array(z.record(z.string(), z.unknown())).max(MAX_RULES) }).nullable(),
    markLines: z.array(z.string()).max(MAX_LINES),
    natLines: z.array(z.string()).max(MAX_LINES),
    // eni-pbr's own mangle lines on iptables hosts (docs/agent-protocol.md); absent from older agents
    ownIptables: z.array(z.string()).max(MAX_RULES).nullable().optional(),
  }),
  sysctl: z.object({
    ipForward: sysctlValue,
    srcValidMark: sysctlValue,
    rpFilter: z.record(z.string(), sysctlValue),
  }),
  // v1, additive (issue 14): the owned-state digest a plan is tied to, and the interrupted applies undone.
  state: z
    .object({
      digest: z.string().regex(/^[0-9a-f]{64}$/),
      recovered: z.array(z.object({ startedAt: z.number().int().min(0), outcome: z.enum(['rolled-back', 'rollback-failed']), error: z.string().nullable() })).max(MAX_RECOVERED),
    })
    .optional(),
  managers: z.object({
    cloudInitHotplug: flag,
    netplan: flag,
    ec2NetUtils: flag,
    nmCloudSetup: flag,
    networkManager: flag,
    systemdNetworkd: flag,
    vpcCni: flag,
  }),
});

export type InspectDocument = z.infer<typeof inspectDocumentSchema>;
export type IpJsonEntry = Readonly<Record<string, unknown>>;
