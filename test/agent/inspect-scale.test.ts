import { runDocumentLocally } from '../../functions/adapters/local-runner/run-document-locally';
import { decodeInspectOutput } from '../../functions/agent-protocol/decode-agent-output';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { buildLargestInstance } from './largest-instance';

describeAsRoot('agent inspect on the largest instance (15 ENIs x 50 IPv4, prefixes, 750+ rules)', () => {
  let host: NamespaceHost;

  beforeAll(async () => {
    host = createNamespaceHost({ enis: 15, tag: 0x36 });
    await buildLargestInstance(host);
  });
  afterAll(() => host?.destroy());

  it('fits under the 24,000 characters GetCommandInvocation returns, through the envelope', async () => {
    const run = await runDocumentLocally({ netns: host.ns, parameters: { Mode: 'inspect' } });

    expect(run.Status).toBe('Success');
    expect(run.StandardOutputContent.length).toBeLessThan(24_000);
    expect(JSON.parse(run.StandardOutputContent)).toMatchObject({ schemaVersion: 1, encoding: 'gzip+base64' });
    const doc = decodeInspectOutput(run.StandardOutputContent) as { addr: { addr_info: unknown[] }[]; rules4: unknown[] };
    expect(doc.addr.flatMap((link) => link.addr_info).length).toBeGreaterThanOrEqual(15 * 50);
    expect(doc.rules4.length).toBeGreaterThanOrEqual(15 * 50);
  });
});
