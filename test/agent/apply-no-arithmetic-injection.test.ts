/**
 * A refused plan runs nothing. Bash evaluates the text of $(( )) as an expression, and an array subscript
 * in it may hold $(...): a connmark mask of `BASH_VERSINFO[$(id>FILE)0]` ran `id` as root while the
 * plan was being translated, before the validator's "refused" was read (security review, item 1).
 *
 *   ┌──── host ns ────┐      ┌── peer ns ──┐
 *   │ eth1 …:3a:01 ───┼──────┼─ p1         │
 *   └─────────────────┘      └─────────────┘
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyPlan, planOf } from './run-agent';
import { applyWithPath } from './run-agent-script';
import { pathWithout, type PathWithout } from './without-nft';

describeAsRoot('agent apply never evaluates plan text in bash arithmetic', () => {
  let host: NamespaceHost;
  let dir: string;
  let noNft: PathWithout;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 1, tag: 0x3a });
    dir = mkdtempSync(join(tmpdir(), 'eni-pbr-pwn-'));
    noNft = pathWithout(['nft']);
  });
  afterAll(() => {
    host?.destroy();
    noNft?.remove();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const payload = (marker: string): string => planOf(`connmark BASH_VERSINFO[$(id>${marker})0] ${host.macs[0]}=0x1`);

  it('refuses the review payload without running it (nft backend)', async () => {
    // Prepare
    const marker = join(dir, 'pwned-nft');
    const before = host.dump();

    // Act
    const { run, output } = await applyPlan(host.ns, payload(marker));

    // Assess
    expect(run.ResponseCode).toBe(3);
    expect(output.result.status).toBe('refused');
    expect(existsSync(marker)).toBe(false);
    expect(host.dump()).toBe(before);
  });

  it('refuses the review payload without running it (iptables backend)', () => {
    const marker = join(dir, 'pwned-iptables');
    const before = host.dump();

    const { code, output } = applyWithPath(host.ns, noNft.path, payload(marker));

    expect(code).toBe(3);
    expect(output.result.status).toBe('refused');
    expect(existsSync(marker)).toBe(false);
    expect(host.dump()).toBe(before);
  });

  it('refuses a mark that is an expression, in a pair', async () => {
    const marker = join(dir, 'pwned-mark');

    const { run } = await applyPlan(host.ns, planOf(`connmark 0xff ${host.macs[0]}=BASH_VERSINFO[$(id>${marker})0]`));

    expect(run.ResponseCode).toBe(3);
    expect(existsSync(marker)).toBe(false);
  });
});
