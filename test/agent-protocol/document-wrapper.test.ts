/**
 * The document's sh wrapper copies the agent into TMPDIR before bash runs it. When TMPDIR is full the
 * copy is cut short; the wrapper must stop with exit 7 instead of running a truncated script as root.
 * TMPDIR is a 16 KB tmpfs in a private mount namespace (unshare -m): nothing outside it sees the mount.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentDocument } from '../../functions/adapters/local-runner/load-agent-document';
import { describeAsRoot } from '../agent/namespace-host';

describeAsRoot('the document wrapper', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'eni-pbr-wrapper-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('exits 7 without running the agent when the copy to TMPDIR fails', () => {
    // Prepare
    const script = join(dir, 'wrapper.sh');
    const full = join(dir, 'full');
    writeFileSync(script, `${loadAgentDocument().mainSteps[0].inputs.runCommand.join('\n')}\n`);
    const inner = `mkdir -p "${full}" && mount -t tmpfs -o size=16k tmpfs "${full}" && TMPDIR="${full}" exec sh "${script}"`;

    // Act
    const run = spawnSync('unshare', ['-m', '--propagation', 'private', 'sh', '-c', inner], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin', SSM_Mode: 'inspect', SSM_Plan: '' },
      timeout: 20_000,
    });

    // Assess
    expect(run.status).toBe(7);
    expect(run.stdout).toBe('');
  });
});
