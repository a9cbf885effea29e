/**
 * Apply reads its after digest from the after-inspect (one kernel read after the change): the document
 * program, given DIGEST=1, prints the state member's digest on a line of its own before the document,
 * and the document itself is byte for byte what DIGEST=0 prints. Run under every awk installed (the
 * agent uses the host's), on the fixture listing; no root, no namespace.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { installedAwks } from './agent-constants';

const PROGRAM = join(__dirname, '..', '..', 'scripts', 'agent', 'awk', 'inspect-document.awk');
const INPUT = readFileSync(join(__dirname, '..', 'fixtures', 'agent', 'inspect-document-input.txt'), 'utf8');
const FIXTURE_DIGEST = /"state":\{"digest":"([0-9a-f]{64})"/.exec(INPUT)?.[1];

function documentOf(awk: string, digest: 0 | 1, input: string, threshold = 20000): { stdout: string; status: number | null } {
  const [command = awk, ...prefix] = awk.split(' ');
  const run = spawnSync(command, [...prefix, '-v', `THRESHOLD=${threshold}`, '-v', 'FASTMAX=250000', '-v', 'SV=1', '-v', `DIGEST=${digest}`, '-f', PROGRAM], {
    input,
    encoding: 'utf8',
    timeout: 10_000,
  });
  return { stdout: run.stdout, status: run.status };
}

describe.each(installedAwks())('inspect-document.awk under %s', (awk) => {
  it('the fixture carries a state digest to find', () => {
    expect(FIXTURE_DIGEST).toMatch(/^[0-9a-f]{64}$/);
  });

  it('DIGEST=1 prints the state digest first, then the same document as DIGEST=0', () => {
    const plain = documentOf(awk, 0, INPUT);
    const withDigest = documentOf(awk, 1, INPUT);
    expect(plain.status).toBe(0);
    expect(withDigest.status).toBe(0);
    expect(withDigest.stdout).toBe(`${FIXTURE_DIGEST}\n${plain.stdout}`);
    expect(JSON.parse(plain.stdout)).toMatchObject({ state: { digest: FIXTURE_DIGEST } });
  });

  it('an enveloped (compressed) document still gets its digest line in clear', () => {
    const withDigest = documentOf(awk, 1, INPUT, 10);
    expect(withDigest.status).toBe(0);
    const [first, ...rest] = withDigest.stdout.split('\n');
    expect(first).toBe(FIXTURE_DIGEST);
    expect(JSON.parse(rest.join('\n'))).toMatchObject({ encoding: 'gzip+base64' });
  });

  it('a document without a state member gives an empty digest line (apply then reads the kernel itself)', () => {
    const withoutState = INPUT.replace(/"state":\{[^}]*\},/, '');
    const withDigest = documentOf(awk, 1, withoutState);
    expect(withDigest.status).toBe(0);
    expect(withDigest.stdout.startsWith('\n{')).toBe(true);
  });
});
