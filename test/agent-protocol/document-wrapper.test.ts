/**
 * The document's sh wrapper decodes the agent, checks it against its sha256 and copies it into TMPDIR
 * before bash runs it. A truncated or corrupt payload stops it with exit 8 before anything touches the
 * disk; when TMPDIR is full the copy is cut short, and the wrapper stops with exit 7 instead of running
 * a truncated script as root. The full TMPDIR is a 16 KB tmpfs in a private mount namespace (unshare -m):
 * nothing outside it sees the mount.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgentDocument } from '../../functions/adapters/local-runner/load-agent-document';
import { EXIT_PAYLOAD_CORRUPT } from '../../functions/agent-protocol/agent-document';
import { buildAgentDocument } from '../../functions/agent-protocol/build-agent-document';
import { describeAsRoot } from '../agent/namespace-host';

describe('the document wrapper around a payload', () => {
  let dir: string;
  const lines = buildAgentDocument('echo "agent ran: $1"\n').mainSteps[0].inputs.runCommand;
  const payloadAt = lines.findIndex((line) => line.startsWith('H4sI'));

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eni-pbr-wrapper-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const runWrapper = (runCommand: readonly string[]) => {
    const script = join(dir, 'wrapper.sh');
    const work = join(dir, 'tmp');
    writeFileSync(script, `${runCommand.join('\n')}\n`);
    spawnSync('mkdir', [work]);
    const run = spawnSync('sh', [script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', SSM_Mode: 'inspect', SSM_Plan: '', TMPDIR: work },
      timeout: 20_000,
    });
    return { ...run, leftInTmp: readdirSync(work) };
  };

  it('decodes the agent, runs it with bash and leaves nothing in TMPDIR', () => {
    const run = runWrapper(lines);

    expect(run.status).toBe(0);
    expect(run.stdout).toBe('agent ran: inspect\n');
    expect(run.leftInTmp).toEqual([]);
  });

  it.each([
    ['a payload with one character changed', (all: string[]) => all.map((line, i) => (i === payloadAt ? `${line.slice(0, 30)}${line[30] === 'A' ? 'B' : 'A'}${line.slice(31)}` : line))],
    ['a payload cut short', (all: string[]) => all.map((line, i) => (i === payloadAt ? line.slice(0, 20) : line))],
    ['an empty payload', (all: string[]) => all.filter((line) => !/^[A-Za-z0-9+/=]{8,}$/.test(line))],
  ])(`refuses %s with exit ${EXIT_PAYLOAD_CORRUPT}, runs nothing and writes nothing`, (_name, damage) => {
    const run = runWrapper(damage([...lines]));

    expect(run.status).toBe(EXIT_PAYLOAD_CORRUPT);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('the embedded agent is truncated or corrupt');
    expect(run.leftInTmp).toEqual([]);
  });
});

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
