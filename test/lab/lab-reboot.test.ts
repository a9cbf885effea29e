/**
 * The fix survives a reboot and a network manager's wipe (issue 12), end to end in the article's lab
 * (bare preset: no PBR of the host's own, a Docker-style container published on the secondary ENI):
 * the plan the core makes is applied by the agent with its persisted state under a temporary root, then
 * everything eni-pbr put in the kernel goes (a reboot: `remove` without that root flushes the kernel
 * state and keeps the files), the article's broken matrix is back, and the boot path alone — the
 * recorded plan through apply — brings back a matrix where every probe passes, which the core then
 * re-plans to nothing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePlanParameter } from '../../functions/agent-protocol/encode-plan-parameter';
import { main } from '../../functions/cli/main';
import { renderPlanLines } from '../../functions/core/plan-lines/render-plan-lines';
import { labDown, labUp, probeMatrix } from '../../functions/lab/lab-driver';
import { LAB_CLIENT_IP, failingCells, matrixCells } from '../../functions/lab/lab-matrix';
import { uniqueLabName, type LabInfo } from '../../functions/lab/lab-options';
import type { RemediationReport } from '../../functions/use-cases/remediation-report';
import { shippedAgentPath } from '../agent/shipped-agent';
import { describeAsRoot } from '../helpers/root-only';
import { PRIMARY_GAP } from './lab-scenario';

const BROKEN = [...matrixCells(LAB_CLIENT_IP, ['10.0.3.158']), ...PRIMARY_GAP].sort();

async function remediate(lab: LabInfo, ...flags: string[]): Promise<{ code: number; report: RemediationReport }> {
  let stdout = '';
  const code = await main(['remediate', '--netns', lab.instanceNs, '--enis', lab.enisFile, '--subnets', lab.subnetsFile, '--json', ...flags], {
    stdout: (text) => (stdout += text),
    stderr: () => undefined,
  });
  return { code, report: JSON.parse(stdout) as RemediationReport };
}

describeAsRoot('the lab after a reboot and after a networkd-style wipe: the boot path alone restores the working matrix', () => {
  const name = uniqueLabName('epr');
  const root = mkdtempSync(join(tmpdir(), 'eni-pbr-reboot-root-'));
  let lab: LabInfo;

  /** The shipped agent in the lab instance; with `persisted`, its files go under the test's root. */
  const agent = (mode: string, persisted: boolean, plan = ''): { code: number | null; status: string } => {
    const env = ['PATH=/usr/sbin:/usr/bin:/sbin:/bin', `SSM_Plan=${plan}`, ...(persisted ? [`ENI_PBR_ROOT=${root}`] : [])];
    const run = spawnSync('ip', ['netns', 'exec', lab.instanceNs, 'env', '-i', ...env, 'bash', shippedAgentPath(), mode], { encoding: 'utf8', timeout: 120_000 });
    const status = run.stdout === '' ? '' : (JSON.parse(run.stdout) as { result: { status: string } }).result.status;
    return { code: run.status, status };
  };

  beforeAll(async () => {
    lab = await labUp({ name, preset: 'bare', variant: 'base', ifnames: 'eth' });
  });
  afterAll(async () => {
    await labDown(name);
    rmSync(root, { recursive: true, force: true });
  });

  it('is fixed by the core\'s plan, applied with its state recorded', async () => {
    const dry = await remediate(lab, '--dry-run');

    const applied = agent('apply', true, encodePlanParameter(renderPlanLines(dry.report.operations)));

    expect(failingCells(await probeMatrix(name))).toEqual([]);
    expect(applied).toEqual({ code: 0, status: 'applied' });
  });

  it('is broken again, as in the article, once a reboot took what eni-pbr put in the kernel', async () => {
    const flushed = agent('remove', false); // no root given: the kernel state goes, the recorded files stay

    expect(flushed).toEqual({ code: 0, status: 'removed' });
    expect(failingCells(await probeMatrix(name))).toEqual(BROKEN);
  });

  it('works again after the boot path, and the core plans nothing more', async () => {
    const booted = agent('boot', true);
    const replanned = await remediate(lab, '--dry-run');

    expect(booted).toEqual({ code: 0, status: 'applied' });
    expect(failingCells(await probeMatrix(name))).toEqual([]);
    expect(replanned).toMatchObject({ code: 0, report: { outcome: 'dry-run-clean', operations: [] } });
  });

  it('works again after a networkd-style restart deleted its rules (foreign to networkd) and the boot path ran', async () => {
    // `ip rule show protocol 224` lists every rule (iproute2 6.1 ignores the filter): picked by hand
    const rules = spawnSync('ip', ['-n', lab.instanceNs, '-4', 'rule', 'show'], { encoding: 'utf8' }).stdout;
    const prefs = [...rules.matchAll(/^(\d+):.* proto 224\s*$/gm)].map((match) => match[1] as string);
    for (const pref of prefs) spawnSync('ip', ['-n', lab.instanceNs, '-4', 'rule', 'del', 'pref', pref], { encoding: 'utf8' });
    const wiped = failingCells(await probeMatrix(name));

    const booted = agent('boot', true);

    expect(prefs.length).toBeGreaterThan(0);
    expect(wiped).not.toEqual([]);
    expect(booted).toEqual({ code: 0, status: 'applied' });
    expect(failingCells(await probeMatrix(name))).toEqual([]);
  });
});
