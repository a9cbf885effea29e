import { DEFAULT_PLAN_OPTIONS } from '../../../functions/core/defaults';
import type { PlanOptions } from '../../../functions/core/model/plan-options';
import { renderPlanLines } from '../../../functions/core/plan-lines/render-plan-lines';
import { planRemediation } from '../../../functions/core/planner/plan-remediation';
import { applyPlan } from '../helpers/apply-plan';
import { loadFacts, loadObserved } from '../helpers/load-fixtures';

/**
 * Every case pairs a host captured from real namespaces (test/fixtures/core/inspect) with EC2 facts in
 * SDK shapes (test/fixtures/core/ec2). `lines` is the exact plan body the agent would receive.
 */
interface Case {
  readonly name: string;
  readonly host: string;
  readonly ec2: string;
  readonly options?: Partial<PlanOptions>;
  readonly lines: readonly string[];
  readonly findings?: readonly string[]; // `<kind> <subject>[ <manager>]`, in order
}

const ENX0 = '0a:ff:00:01:00:28';
const ENX1 = '0a:ff:00:03:00:9e';
const ENS5 = '0a:1b:00:00:00:01';
const ENS6 = '0a:1b:00:00:00:02';
const ENS7 = '0a:1b:00:00:00:03';

const cases: readonly Case[] = [
  {
    name: 'plans only the connmark part on the article’s Ubuntu 24.04 Docker host (cloud-init routes 10.0.3.158)',
    host: 'ubuntu-docker',
    ec2: 'ubuntu-docker',
    lines: [
      `route replace 4 20000 10.0.3.0/24 via 10.0.1.1 dev ${ENX0}`,
      `route replace 4 20001 10.0.3.0/24 dev ${ENX1}`,
      `route replace 4 20001 default via 10.0.3.1 dev ${ENX1}`,
      `rule add 4 20000 iif ${ENX0} table main`,
      `rule add 4 20001 iif ${ENX1} table main`,
      'rule add 4 21000 fwmark 0x1/0x7f table 20000',
      'rule add 4 21001 fwmark 0x2/0x7f table 20001',
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'sysctl net.ipv4.conf.all.src_valid_mark 1',
      `connmark 0x7f ${ENX0}=0x1 ${ENX1}=0x2`,
    ],
    findings: ['satisfied-by-other rule from 10.0.3.158 cloud-init'],
  },
  {
    name: 'restores the mark for the reverse-path check under strict rp_filter (fact a)',
    host: 'ubuntu-docker-strict',
    ec2: 'ubuntu-docker',
    lines: [
      `route replace 4 20000 10.0.3.0/24 via 10.0.1.1 dev ${ENX0}`,
      `route replace 4 20001 10.0.3.0/24 dev ${ENX1}`,
      `route replace 4 20001 default via 10.0.3.1 dev ${ENX1}`,
      `rule add 4 20000 iif ${ENX0} table main`,
      `rule add 4 20001 iif ${ENX1} table main`,
      'rule add 4 21000 fwmark 0x1/0x7f table 20000',
      'rule add 4 21001 fwmark 0x2/0x7f table 20001',
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'sysctl net.ipv4.conf.all.src_valid_mark 1',
      `connmark 0x7f ${ENX0}=0x1 ${ENX1}=0x2`,
    ],
    findings: ['satisfied-by-other rule from 10.0.3.158 cloud-init'],
  },
  {
    name: 'reports cloud-init’s rule to a table leaving through the primary as a conflict and leaves it alone',
    host: 'ubuntu-conflict',
    ec2: 'ubuntu-docker',
    lines: [
      `route replace 4 20000 10.0.3.0/24 via 10.0.1.1 dev ${ENX0}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
    ],
    findings: ['conflict rule from 10.0.3.158 cloud-init'],
  },
  {
    name: 'overrides the contradicting cloud-init rule from its own band when asked to',
    host: 'ubuntu-conflict',
    ec2: 'ubuntu-docker',
    options: { overrideForeign: true },
    lines: [
      `route replace 4 20000 10.0.3.0/24 via 10.0.1.1 dev ${ENX0}`,
      `route replace 4 20001 10.0.3.0/24 dev ${ENX1}`,
      `route replace 4 20001 default via 10.0.3.1 dev ${ENX1}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 10.0.3.0/24 iif lo table 20001',
    ],
    findings: ['conflict rule from 10.0.3.158 cloud-init'],
  },
  {
    name: 'gives a bare host’s second ENI a table and one whole-subnet rule for what the host sends',
    host: 'bare-two',
    ec2: 'bare-two',
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20001 10.0.2.0/24 dev ${ENS6}`,
      `route replace 4 20001 default via 10.0.2.1 dev ${ENS6}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 10.0.2.0/24 iif lo table 20001',
    ],
  },
  {
    name: 'routes three ENIs and adds the secondary IP missing from its interface',
    host: 'bare-three',
    ec2: 'bare-three',
    lines: [
      `addr add ${ENS6} 10.0.2.22/24`,
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20000 10.0.3.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20001 10.0.2.0/24 dev ${ENS6}`,
      `route replace 4 20001 default via 10.0.2.1 dev ${ENS6}`,
      `route replace 4 20002 10.0.3.0/24 dev ${ENS7}`,
      `route replace 4 20002 default via 10.0.3.1 dev ${ENS7}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 10.0.2.0/24 iif lo table 20001',
      'rule add 4 22002 from 10.0.3.0/24 iif lo table 20002',
    ],
  },
  {
    name: 'writes per-IP rules for two ENIs sharing a subnet (fact e)',
    host: 'shared-subnet',
    ec2: 'shared-subnet',
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20001 10.0.2.0/24 dev ${ENS6}`,
      `route replace 4 20001 default via 10.0.2.1 dev ${ENS6}`,
      `route replace 4 20002 10.0.2.0/24 dev ${ENS7}`,
      `route replace 4 20002 default via 10.0.2.1 dev ${ENS7}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 10.0.2.20/32 table 20001',
      'rule add 4 22002 from 10.0.2.30/32 table 20002',
    ],
  },
  {
    name: 'numbers an ENI on network card 1 from k = 100·card + device',
    host: 'bare-two',
    ec2: 'multi-card',
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20100 10.0.2.0/24 dev ${ENS6}`,
      `route replace 4 20100 default via 10.0.2.1 dev ${ENS6}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22100 from 10.0.2.0/24 iif lo table 20100',
    ],
  },
  {
    name: 'uses the gateway of an ENI’s own subnet when it comes from another VPC',
    host: 'multi-vpc',
    ec2: 'multi-vpc',
    lines: [
      `route replace 4 20000 172.31.5.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20001 172.31.5.0/24 dev ${ENS6}`,
      `route replace 4 20001 default via 172.31.5.1 dev ${ENS6}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 172.31.5.0/24 iif lo table 20001',
    ],
  },
  {
    name: 'adds a rule without iif lo for a delegated prefix (its sources are forwarded, not local)',
    host: 'bare-two',
    ec2: 'prefix',
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20001 10.0.2.0/24 dev ${ENS6}`,
      `route replace 4 20001 default via 10.0.2.1 dev ${ENS6}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 10.0.2.0/24 iif lo table 20001',
      'rule add 4 22001 from 10.0.2.64/28 table 20001',
    ],
  },
  {
    name: 'removes a detached ENI’s rules by interface name and drops its mark',
    host: 'detached',
    ec2: 'detached',
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `rule add 4 20000 iif ${ENS5} table main`,
      'rule add 4 21000 fwmark 0x1/0x7f table 20000',
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      `connmark 0x7f ${ENS5}=0x1 ${ENS6}=0x2`,
      'rule del 4 20002 iifname ens7 table main',
      'rule del 4 21002 fwmark 0x3/0x7f table 20002',
      'rule del 4 22002 from 10.0.3.0/24 iif lo table 20002',
    ],
  },
  {
    name: 'removes the rule and the labelled address of an unassigned IP',
    host: 'unassigned',
    ec2: 'shared-subnet',
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule del 4 22001 from 10.0.2.21/32 table 20001',
      `addr del ${ENS6} 10.0.2.21/24`,
    ],
  },
  {
    name: 'leaves a converged Docker host alone but for the secondary IPs EC2 added since',
    host: 'applied',
    ec2: 'bare-three',
    lines: [
      `addr add ${ENS6} 10.0.2.21/24`,
      `addr add ${ENS6} 10.0.2.22/24`,
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20000 10.0.3.0/24 via 10.0.1.1 dev ${ENS5}`,
      `rule add 4 20000 iif ${ENS5} table main`,
      'rule add 4 21000 fwmark 0x1/0x7f table 20000',
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      `connmark 0x7f ${ENS5}=0x1 ${ENS6}=0x2 ${ENS7}=0x3`,
    ],
  },
  {
    name: 'routes IPv6 through the router learned on the interface and reports the ENI without one',
    host: 'ipv6',
    ec2: 'ipv6',
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20000 10.0.3.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20001 10.0.2.0/24 dev ${ENS6}`,
      `route replace 4 20001 default via 10.0.2.1 dev ${ENS6}`,
      `route replace 6 20001 default via fe80::62:1ff:fe00:1 dev ${ENS6}`,
      `route replace 4 20002 10.0.3.0/24 dev ${ENS7}`,
      `route replace 4 20002 default via 10.0.3.1 dev ${ENS7}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 10.0.2.0/24 iif lo table 20001',
      'rule add 6 22001 from 2600:1f18:a1b:5602::20/128 table 20001',
      'rule add 4 22002 from 10.0.3.0/24 iif lo table 20002',
    ],
    findings: ['warning IPv6 on ens7'],
  },
  {
    name: 'plans no marking when another tool’s mark bits overlap the mask, and says so',
    host: 'mark-conflict',
    ec2: 'bare-two',
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20001 10.0.2.0/24 dev ${ENS6}`,
      `route replace 4 20001 default via 10.0.2.1 dev ${ENS6}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 10.0.2.0/24 iif lo table 20001',
    ],
    findings: ['mark-bits-in-use connmark'],
  },
  {
    name: 'marks with a mask clear of the other tool’s bits',
    host: 'mark-conflict',
    ec2: 'bare-two',
    options: { markMask: 0x3f00 },
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20001 10.0.2.0/24 dev ${ENS6}`,
      `route replace 4 20001 default via 10.0.2.1 dev ${ENS6}`,
      `rule add 4 20000 iif ${ENS5} table main`,
      `rule add 4 20001 iif ${ENS6} table main`,
      'rule add 4 21000 fwmark 0x100/0x3f00 table 20000',
      'rule add 4 21001 fwmark 0x200/0x3f00 table 20001',
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 10.0.2.0/24 iif lo table 20001',
      'sysctl net.ipv4.conf.all.src_valid_mark 1',
      `connmark 0x3f00 ${ENS5}=0x100 ${ENS6}=0x200`,
    ],
  },
  {
    name: 'counts ec2-net-utils’ rules and tables as done',
    host: 'ec2-net-utils',
    ec2: 'ec2-net-utils',
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
    ],
    findings: ['satisfied-by-other rule from 10.0.2.20 ec2-net-utils', 'satisfied-by-other rule from 10.0.2.21 ec2-net-utils'],
  },
  {
    name: 'routes only attached interface ENIs and says why the others are left out',
    host: 'bare-three',
    ec2: 'excluded',
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20001 10.0.2.0/24 dev ${ENS6}`,
      `route replace 4 20001 default via 10.0.2.1 dev ${ENS6}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 10.0.2.0/24 iif lo table 20001',
    ],
    findings: ['excluded efa-only', 'excluded trunk', 'excluded not-attached'],
  },
  {
    name: 'takes the whole marking down when connmark is turned off',
    host: 'applied',
    ec2: 'bare-three',
    options: { connmark: 'never', addMissingAddresses: false },
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20000 10.0.3.0/24 via 10.0.1.1 dev ${ENS5}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'connmark 0x7f',
      'rule del 4 20001 iifname ens6 table main',
      'rule del 4 20002 iifname ens7 table main',
      'rule del 4 21001 fwmark 0x2/0x7f table 20001',
      'rule del 4 21002 fwmark 0x3/0x7f table 20002',
    ],
  },
  {
    name: 'marks connections on a host that neither NATs nor forwards when connmark is always',
    host: 'bare-two',
    ec2: 'bare-two',
    options: { connmark: 'always' },
    lines: [
      `route replace 4 20000 10.0.2.0/24 via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20001 10.0.2.0/24 dev ${ENS6}`,
      `route replace 4 20001 default via 10.0.2.1 dev ${ENS6}`,
      `rule add 4 20000 iif ${ENS5} table main`,
      `rule add 4 20001 iif ${ENS6} table main`,
      'rule add 4 21000 fwmark 0x1/0x7f table 20000',
      'rule add 4 21001 fwmark 0x2/0x7f table 20001',
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 10.0.2.0/24 iif lo table 20001',
      'sysctl net.ipv4.conf.all.src_valid_mark 1',
      `connmark 0x7f ${ENS5}=0x1 ${ENS6}=0x2`,
    ],
  },
  {
    name: 'manages the primary ENI on request',
    host: 'bare-two',
    ec2: 'bare-two',
    options: { managePrimary: true },
    lines: [
      `route replace 4 20000 10.0.1.0/24 dev ${ENS5}`,
      `route replace 4 20000 default via 10.0.1.1 dev ${ENS5}`,
      `route replace 4 20001 10.0.2.0/24 dev ${ENS6}`,
      `route replace 4 20001 default via 10.0.2.1 dev ${ENS6}`,
      'rule add 4 22000 from 10.0.1.0/24 iif lo table 20000',
      'rule add 4 22001 from 10.0.2.0/24 iif lo table 20001',
    ],
  },
];

const isSuppressionLine = (line: string): boolean => line.startsWith('link group ') || line.includes(' suppress-ifgroup ');

const summarize = (finding: { kind: string; subject: string; manager?: string }): string =>
  [finding.kind, finding.subject, ...(finding.manager === undefined ? [] : [finding.manager])].join(' ');

describe('planRemediation', () => {
  it.each(cases)('$name', ({ host, ec2, options, lines, findings }) => {
    // Prepare
    const effective = { ...DEFAULT_PLAN_OPTIONS, ...options };
    // Act
    const plan = planRemediation(loadFacts(ec2), loadObserved(host), effective);
    // Assess
    const body = renderPlanLines(plan.operations, effective).split('\n').slice(1, -1);
    // The interface-group lines and the suppress_ifgroup rule have their own cases (suppression.test.ts).
    expect(body.filter((line) => !isSuppressionLine(line))).toEqual(lines);
    // The primary's reachability warning has its own cases below.
    expect(plan.findings.map(summarize).filter((line) => !line.startsWith('warning primary '))).toEqual(findings ?? []);
  });

  it.each(cases)('finds nothing left to do once its plan is applied: $name', ({ host, ec2, options }) => {
    // Prepare
    const effective = { ...DEFAULT_PLAN_OPTIONS, ...options };
    const facts = loadFacts(ec2);
    const first = planRemediation(facts, loadObserved(host), effective);
    // Act
    const second = planRemediation(facts, applyPlan(loadObserved(host), first.operations), effective);
    // Assess
    expect(second.operations).toEqual([]);
  });

  it('uses the default options when none are given', () => {
    expect(planRemediation(loadFacts('bare-two'), loadObserved('bare-two'))).toEqual(planRemediation(loadFacts('bare-two'), loadObserved('bare-two'), DEFAULT_PLAN_OPTIONS));
  });
});
