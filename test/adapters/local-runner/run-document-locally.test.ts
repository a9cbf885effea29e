import { buildAgentDocument } from '../../../functions/agent-protocol/build-agent-document';
import { runDocumentLocally } from '../../../functions/adapters/local-runner/run-document-locally';
import { ParameterValidationError } from '../../../functions/adapters/local-runner/substitute-parameters';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from '../../agent/namespace-host';

// A document with the real wrapper around a small test script instead of the agent.
const documentRunning = (script: string) => buildAgentDocument(script);

describe('runDocumentLocally before anything runs', () => {
  it('rejects a Plan that breaks the allowedPattern, as SSM does', async () => {
    await expect(runDocumentLocally({ netns: 'unused', parameters: { Mode: 'apply', Plan: 'AAAA";reboot;"' } })).rejects.toThrow(ParameterValidationError);
  });

  it('rejects a Mode outside allowedValues', async () => {
    await expect(runDocumentLocally({ netns: 'unused', parameters: { Mode: 'reboot' as 'apply' } })).rejects.toThrow(ParameterValidationError);
  });

  it('rejects a namespace name that is not one', async () => {
    await expect(runDocumentLocally({ netns: '../x y', parameters: { Mode: 'inspect' } })).rejects.toThrow('invalid network namespace name');
  });
});

describeAsRoot('runDocumentLocally in a namespace', () => {
  let host: NamespaceHost;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 1, tag: 0x37 });
  });
  afterAll(() => host?.destroy());

  it('runs inside the namespace, with SSM_Mode and SSM_Plan set', async () => {
    const document = documentRunning('ip -o link show eth1 | cut -d: -f2\necho "$1 ${SSM_Plan}"\n');

    const run = await runDocumentLocally({ netns: host.ns, parameters: { Mode: 'apply', Plan: 'AAAA' }, document });

    expect(run).toEqual({ Status: 'Success', ResponseCode: 0, StandardOutputContent: ' eth1@if2\napply AAAA\n', StandardErrorContent: '' });
  });

  it('reaches the same values through {{ }} text interpolation for old SSM Agents', async () => {
    const document = documentRunning('echo "$1 ${SSM_Plan}"\n');

    const run = await runDocumentLocally({ netns: host.ns, parameters: { Mode: 'inspect' }, document, agentStyle: 'legacy' });

    expect(run.StandardOutputContent).toBe('inspect \n');
  });

  it('reports the exit code as Failed', async () => {
    const run = await runDocumentLocally({ netns: host.ns, parameters: { Mode: 'inspect' }, document: documentRunning('echo oops >&2\nexit 5\n') });

    expect(run).toEqual({ Status: 'Failed', ResponseCode: 5, StandardOutputContent: '', StandardErrorContent: 'oops\n' });
  });

  it('cuts stdout at 24,000 and stderr at 8,000 characters', async () => {
    const document = documentRunning("head -c 30000 /dev/zero | tr '\\0' o\nhead -c 9000 /dev/zero | tr '\\0' e >&2\n");

    const run = await runDocumentLocally({ netns: host.ns, parameters: { Mode: 'inspect' }, document });

    expect(run.StandardOutputContent).toHaveLength(24_000);
    expect(run.StandardErrorContent).toHaveLength(8_000);
  });

  it('kills the whole process group on timeout and says TimedOut', async () => {
    const document = documentRunning('sleep 30 &\nsleep 30\n');
    const started = Date.now();

    const run = await runDocumentLocally({ netns: host.ns, parameters: { Mode: 'inspect' }, document, timeoutMs: 300 });

    expect(run.Status).toBe('TimedOut');
    expect(run.ResponseCode).toBe(-1);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(host.run(['sh', '-c', 'pgrep -f "^sleep 30$" || true']).trim()).toBe('');
  });
});
