/**
 * The matrix's guard: when a compatibility userland is set, the agent really ran in it (its inspect
 * document names the userland's /etc/os-release, and its firewall backend is the variant's), so a green
 * matrix cannot be this machine's tools passing under another name. Skipped without a userland.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from '../agent/namespace-host';
import { inspectHost } from '../agent/run-agent';
import { currentUserland } from './userland';

const userland = currentUserland();
const describeInUserland = userland ? describeAsRoot : describe.skip;

function osRelease(root: string): string {
  const fields = new Map(
    readFileSync(join(root, 'etc', 'os-release'), 'utf8')
      .split('\n')
      .map((line) => line.split('=') as [string, string])
      .map(([key, value]) => [key, (value ?? '').replace(/"/g, '')]),
  );
  return `${fields.get('ID')} ${fields.get('VERSION_ID') ?? ''}`;
}

describeInUserland('the agent runs in the compatibility userland', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 1, tag: 0x3a });
  });
  afterAll(() => host?.destroy());

  it("reports the userland's os-release and the firewall backend its tools offer", async () => {
    const doc = await inspectHost(host.ns);
    const hasNft = host.run(['sh', '-c', 'command -v nft || true']).trim() !== '';

    expect((doc.host as { osRelease: string }).osRelease).toBe(osRelease(userland!.root));
    expect((doc.firewall as { backend: string }).backend).toBe(hasNft ? 'nft' : 'iptables');
  });
});
