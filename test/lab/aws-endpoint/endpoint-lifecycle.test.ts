import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { startLabEndpoint } from './endpoint-fixture';

const ROOT = join(__dirname, '..', '..', '..');

function reachable(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', timeout: 1_000 }, (res) => {
      res.resume();
      resolve(true);
    });
    req.on('error', () => resolve(false));
    req.end('Action=DescribeSubnets&Version=2016-11-15');
  });
}

describe('the local endpoint lives on loopback and dies with its process', () => {
  it('binds 127.0.0.1 on a random port and refuses connections once stopped', async () => {
    const endpoint = await startLabEndpoint();
    const { hostname, port } = new URL(endpoint.url);

    expect(hostname).toBe('127.0.0.1');
    expect(Number(port)).toBeGreaterThan(0);
    expect(await reachable(endpoint.url)).toBe(true);
    await endpoint.stop();
    expect(await reachable(endpoint.url)).toBe(false);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('closes on %s and the process still dies of it', async (signal) => {
    const script = `
      const { startAwsEndpoint } = require('./scripts/lab/aws-endpoint/aws-endpoint');
      startAwsEndpoint({ ec2: { networkInterfaces: [], subnets: [], instances: {} } }).then((e) => {
        console.log(e.url);
        setInterval(() => undefined, 1000);
      });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    const url = await new Promise<string>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim())));
    expect(await reachable(url)).toBe(true);

    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, killedBy) => resolve(killedBy)));
    child.kill(signal);

    expect(await exited).toBe(signal);
    expect(await reachable(url)).toBe(false);
  });
});
