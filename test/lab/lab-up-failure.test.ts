import { describeAsRoot } from '../helpers/root-only';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { labDown } from '../../functions/lab/lab-driver';
import { uniqueLabName } from '../../functions/lab/lab-options';

const run = promisify(execFile);
const LAB = join(__dirname, '..', '..', 'scripts', 'lab', 'lab.sh');

describeAsRoot('lab.sh up', () => {
  const name = uniqueLabName('epf');
  let shims: string;

  beforeAll(() => {
    // iptables-restore runs late in up (the Docker rules), after the router, client and instance exist.
    shims = mkdtempSync(join(tmpdir(), 'eni-pbr-shim-'));
    writeFileSync(join(shims, 'iptables-restore'), '#!/bin/sh\necho "shim: refusing" >&2\nexit 1\n');
    chmodSync(join(shims, 'iptables-restore'), 0o755);
  });
  afterAll(async () => {
    await labDown(name);
    rmSync(shims, { recursive: true, force: true });
  });

  it('removes everything it built when it fails midway', async () => {
    const up = run('bash', [LAB, 'up', '--name', name], { env: { ...process.env, PATH: `${shims}:${process.env.PATH ?? ''}` }, timeout: 60_000 });

    await expect(up).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(`lab: up failed; removing ${name}`) });
    for (const role of ['vpc', 'cli', 'cl3', 'inst', 'ctr']) expect(existsSync(`/run/netns/${name}-${role}`)).toBe(false);
    expect(existsSync(join(__dirname, '..', '..', '.lab', name))).toBe(false);
  });

  it.each([
    ['an unknown preset', ['--preset', 'centos-7']],
    ['an unknown variant', ['--variant', 'four-enis']],
    ['an unknown interface scheme', ['--ifnames', 'wlan']],
    ['a name that would not fit an interface-safe prefix', ['--name', 'Bad Name']],
  ])('refuses %s before building anything', async (_, options) => {
    const up = run('bash', [LAB, 'up', '--name', name, ...options], { timeout: 60_000 });

    await expect(up).rejects.toMatchObject({ code: 2 });
    expect(existsSync(`/run/netns/${name}-vpc`)).toBe(false);
  });
});
