/**
 * GetCommandInvocation keeps 24,000 characters of stdout; a longer JSON is cut and unreadable. 12,000
 * routes make the after-inspect ~44,000 characters even through gzip+base64: the agent measures its
 * output and, past the limit, prints the result without the document and says how large it was. (The
 * first 10,000 routes go in with ip -batch: a plan of 12,000 lines would pass the share of SSM's 64 KB
 * quota the Plan parameter has, and the runner refuses it as SSM would.)
 *
 *   ┌──── host ns ────┐      ┌── peer ns ──┐
 *   │ eth1 …:3e:01 ───┼──────┼─ p1         │   table 20001: 12,000 routes
 *   └─────────────────┘      └─────────────┘
 */
import { runDocumentLocally } from '../../functions/adapters/local-runner/run-document-locally';
import { AgentOutputTooLargeError, decodeInspectOutput } from '../../functions/agent-protocol/decode-agent-output';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyPlan, planOf } from './run-agent';

const LIMIT = 24_000;

describeAsRoot('agent output past the 24,000 characters stdout keeps', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 1, tag: 0x3e });
  });
  afterAll(() => host?.destroy());

  it('applies, then prints the result without the after-inspect and says how large it was', async () => {
    const mac = host.macs[0] ?? '';
    const route = (i: number): string => `10.${Math.floor(i / 250)}.${i % 250}.0/24`;
    host.run(['ip', '-batch', '-'], `${Array.from({ length: 10_000 }, (_, i) => `route replace ${route(i)} dev eth1 table 20001 proto 224`).join('\n')}\n`);
    const lines = Array.from({ length: 2_000 }, (_, i) => `route replace 4 20001 ${route(10_000 + i)} dev ${mac}`);

    const { run, output } = await applyPlan(host.ns, planOf(...lines));

    expect(run.ResponseCode).toBe(0);
    expect(run.StandardOutputContent.length).toBeLessThanOrEqual(LIMIT);
    expect(output.result).toMatchObject({ status: 'applied', operations: 2_000 });
    expect(output.after).toBeNull();
    expect(output.afterTooLarge?.chars).toBeGreaterThan(LIMIT);
    expect(output.afterTooLarge?.limit).toBe(LIMIT);
  });

  it('prints a small "too large" inspect that the reader turns into AgentOutputTooLargeError', async () => {
    const run = await runDocumentLocally({ netns: host.ns, parameters: { Mode: 'inspect' }, timeoutMs: 30_000 });

    expect(run.ResponseCode).toBe(0);
    expect(run.StandardOutputContent.length).toBeLessThan(200);
    expect(() => decodeInspectOutput(run.StandardOutputContent)).toThrow(AgentOutputTooLargeError);
  });
});
