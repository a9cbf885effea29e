/**
 * The lock and validation: with the lock free, validation runs alongside the reading of the kernel;
 * with the lock held by another apply, a refused plan must still be refused at once, never wait.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createNamespaceHost, describeAsRoot, type NamespaceHost } from './namespace-host';
import { applyPlan, planOf } from './run-agent';

describeAsRoot('agent apply and the per-namespace lock', () => {
  let host: NamespaceHost;
  let holder: ChildProcess | undefined;

  beforeAll(() => {
    host = createNamespaceHost({ enis: 2, tag: 0x3a });
  });
  afterAll(() => {
    holder?.kill('SIGKILL');
    host?.destroy();
  });

  it('refuses an invalid plan at once while another apply holds the lock', async () => {
    const inode = host.run(['stat', '-L', '-c', '%i', '/proc/self/ns/net']).trim();
    host.run(['mkdir', '-p', '-m', '0700', '/run/eni-pbr']);
    holder = spawn('ip', ['netns', 'exec', host.ns, 'flock', `/run/eni-pbr/lock-${inode}`, 'sleep', '10'], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();

    const { run, output } = await applyPlan(host.ns, planOf('rule add 4 20101 from $(id) table 20002'));

    expect(run.ResponseCode).toBe(3);
    expect(output.result.status).toBe('refused');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses an invalid plan with the lock free, having changed nothing', async () => {
    holder?.kill('SIGKILL');
    const [, eth2] = host.macs as [string, string];
    const before = host.dump();

    const { run, output } = await applyPlan(host.ns, planOf(`route replace 4 20002 10.0.2.0/24 dev ${eth2}`, 'rule add 4 20101 from 10.0.2.256/32 table 20002'));

    expect(run.ResponseCode).toBe(3);
    expect(output.result.error).toBe('line 3: bad rule source or table');
    expect(host.dump()).toBe(before);
  });
});
