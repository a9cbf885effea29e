import { describeAsRoot } from '../helpers/root-only';
import { main } from '../../functions/cli/main';
import { labDown, labUp, probeMatrix } from '../../functions/lab/lab-driver';
import { ipRoutes, routeGetWithMainRoute } from '../../functions/lab/lab-kernel';
import { LAB_CLIENT2_IP, failingCells, matrixCells } from '../../functions/lab/lab-matrix';
import { uniqueLabName, type IfnameScheme, type LabInfo, type LabPreset, type LabVariant } from '../../functions/lab/lab-options';
import type { RemediationReport } from '../../functions/use-cases/remediation-report';
import { expectMainKeptOffEnis, mainKeptOffEnis } from './main-kept-off-enis';

export interface LabScenario {
  readonly preset: LabPreset;
  readonly variant: LabVariant;
  readonly ifnames: IfnameScheme;
  /**
   * the broken matrix, as its failing cells (`<from> -> <ip> <probe>`), the container's calls to the host
   * included; every other cell must pass
   */
  readonly failingBefore: readonly string[];
  /** plan operations the scenario must contain, e.g. the missing secondary addresses */
  readonly mustPlan?: readonly object[];
}

const PRIMARY_IP = '10.0.1.40';

/**
 * What every preset and variant shows before eni-pbr: the primary's replies to client 2 take main's
 * connected route 10.0.3.0/24 out of the secondary ENI, and its source/dest check drops them. The
 * default plan closes it (the primary's table of the other ENIs' subnets); nothing then fails.
 */
export const PRIMARY_GAP: readonly string[] = matrixCells(LAB_CLIENT2_IP, [PRIMARY_IP]);
const primaryWarning = { kind: 'warning', subject: expect.stringContaining('primary ') };
/** The primary's table with the default plan: the secondary ENIs' subnets (10.0.3/24, 10.0.4/24) via its router, nothing else. */
const PRIMARY_TABLE_ROUTE = /^10\.0\.[34]\.0\/24 via 10\.0\.1\.1 dev \S+ proto 224 onlink/;

async function expectNarrowPrimaryTable(lab: LabInfo): Promise<void> {
  const routes = await ipRoutes(lab.instanceNs, '20000');
  expect(routes).toContainEqual(expect.stringMatching(/^10\.0\.3\.0\/24 via 10\.0\.1\.1 /));
  expect(routes.filter((route) => !PRIMARY_TABLE_ROUTE.test(route))).toEqual([]);
}

async function cli(args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { stdout: (text) => (stdout += text), stderr: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

async function remediate(lab: LabInfo, ...flags: string[]): Promise<{ code: number; report: RemediationReport; stderr: string }> {
  const { code, stdout, stderr } = await cli(['remediate', '--netns', lab.instanceNs, '--enis', lab.enisFile, '--subnets', lab.subnetsFile, '--json', ...flags]);
  return { code, report: (stdout === '' ? null : JSON.parse(stdout)) as RemediationReport, stderr };
}

async function observedState(lab: LabInfo): Promise<unknown> {
  const { code, stdout, stderr } = await cli(['inspect', '--netns', lab.instanceNs, '--json']);
  if (code !== 0) throw new Error(`inspect failed (${code}): ${stderr}`);
  return JSON.parse(stdout);
}

/**
 * One lab from up to down: the broken matrix, a dry run that changes nothing, the default fix after which
 * every probe passes (client 2 → primary included, through the primary's narrow table) with the ENI links
 * in group 224 behind main's suppress_ifgroup rule, a second run that plans nothing, then
 * --manage-primary (the full table) and back to the default, each passing everything and converging.
 */
export function describeLabScenario(scenario: LabScenario): void {
  const title = `the ${scenario.preset} lab, ${scenario.variant}, ${scenario.ifnames}* names`;
  describeAsRoot(title, () => {
    const name = uniqueLabName();
    let lab: LabInfo;

    beforeAll(async () => {
      lab = await labUp({ name, preset: scenario.preset, variant: scenario.variant, ifnames: scenario.ifnames });
    });
    afterAll(async () => {
      await labDown(name);
    });

    it('is broken exactly as expected before remediation', async () => {
      const rows = await probeMatrix(name);

      expect(failingCells(rows)).toEqual([...scenario.failingBefore].sort());
      expect(rows.filter((row) => row.ok).length).toBeGreaterThan(0);
      expect(await mainKeptOffEnis(lab)).toEqual({ inGroup224: [], suppressRules: [] });
    });

    it('changes nothing on --dry-run and exits 1 with the missing operations', async () => {
      const before = await observedState(lab);

      const { code, report } = await remediate(lab, '--dry-run');

      expect(code).toBe(1);
      expect(report.outcome).toBe('dry-run-pending');
      for (const op of scenario.mustPlan ?? []) expect(report.operations).toContainEqual(expect.objectContaining(op));
      // cloud-init's per-IP rules and tables are reused, never duplicated; a bare host has nothing to reuse.
      const reused = report.findings.filter((finding) => finding.kind === 'satisfied-by-other');
      expect(reused.length > 0).toBe(scenario.preset === 'ubuntu-24.04');
      const reusedFrom = reused.flatMap((finding) => /^rule from (\S+)$/.exec(finding.subject)?.[1] ?? []);
      expect(reusedFrom.length).toBe(reused.length);
      expect(report.operations.filter((op) => op.kind === 'rule-add' && 'from' in op.selector && reusedFrom.includes(op.selector.from.replace(/\/32$/, '')))).toEqual([]);
      expect(await observedState(lab)).toEqual(before);
    });

    it('remediates with the default plan, after which every probe passes and the planner warns of nothing', async () => {
      const { code, report, stderr } = await remediate(lab);

      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(report).toMatchObject({ outcome: 'verified', remaining: [], commandRoundTrips: 2 });
      expect(report.findings).not.toContainEqual(expect.objectContaining(primaryWarning));
      expect(failingCells(await probeMatrix(name))).toEqual([]);
      await expectNarrowPrimaryTable(lab);
    });

    it('leaves main in charge of the rest of what the primary sends: a static route out of its ENI still wins', async () => {
      const viaAppliance = await routeGetWithMainRoute(lab.instanceNs, ['192.0.2.0/24', 'via', '10.0.1.99'], '192.0.2.10', PRIMARY_IP);
      const toClient2 = await routeGetWithMainRoute(lab.instanceNs, ['192.0.2.0/24', 'via', '10.0.1.99'], LAB_CLIENT2_IP, PRIMARY_IP);

      expect(viaAppliance).toMatch(/^192\.0\.2\.10 from 10\.0\.1\.40 via 10\.0\.1\.99 dev \S+ uid 0/);
      expect(toClient2).toMatch(/ via 10\.0\.1\.1 dev \S+ table 20000 /);
    });

    it('keeps main for what does not leave by an ENI: the ENI links in group 224, the suppress_ifgroup rule', async () => {
      await expectMainKeptOffEnis(lab);
    });

    it('plans nothing on a second default run', async () => {
      const dry = await remediate(lab, '--dry-run');
      const again = await remediate(lab);

      expect(dry).toMatchObject({ code: 0, report: { outcome: 'dry-run-clean', operations: [] } });
      expect(again).toMatchObject({ code: 0, report: { outcome: 'verified', applied: null, commandRoundTrips: 1 } });
    });

    it('keeps every probe passing with --manage-primary, the primary’s full table', async () => {
      const { code, report, stderr } = await remediate(lab, '--manage-primary');

      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(report).toMatchObject({ outcome: 'verified', remaining: [], commandRoundTrips: 2 });
      expect(report.findings).not.toContainEqual(expect.objectContaining(primaryWarning));
      expect(failingCells(await probeMatrix(name))).toEqual([]);
      expect(await ipRoutes(lab.instanceNs, '20000')).toContainEqual(expect.stringMatching(/^default via 10\.0\.1\.1 /));
      await expectMainKeptOffEnis(lab);
      expect(await remediate(lab, '--manage-primary', '--dry-run')).toMatchObject({ code: 0, report: { outcome: 'dry-run-clean', operations: [] } });
    });

    it('goes back to the narrow table with the default plan, every probe still passing', async () => {
      const { code, report } = await remediate(lab);

      expect(code).toBe(0);
      expect(report).toMatchObject({ outcome: 'verified', remaining: [] });
      expect(failingCells(await probeMatrix(name))).toEqual([]);
      await expectNarrowPrimaryTable(lab);
      expect(await remediate(lab, '--dry-run')).toMatchObject({ code: 0, report: { outcome: 'dry-run-clean', operations: [] } });
    });
  });
}
