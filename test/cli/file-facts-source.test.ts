import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidInputError } from '../../functions/cli/cli-errors';
import { assertAttachedTo, fileFactsSource, soleInstanceId } from '../../functions/cli/file-facts-source';

const attached = (...instanceIds: (string | undefined)[]) => ({
  NetworkInterfaces: instanceIds.map((InstanceId) => (InstanceId === undefined ? { Status: 'available' } : { Attachment: { InstanceId, Status: 'attached' } })),
});

describe('fileFactsSource', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eni-pbr-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads both answers from their files', async () => {
    writeFileSync(join(dir, 'enis.json'), JSON.stringify(attached('i-0123456789abcdef0')));
    writeFileSync(join(dir, 'subnets.json'), '{"Subnets":[]}');

    const answers = await fileFactsSource({ enisFile: join(dir, 'enis.json'), subnetsFile: join(dir, 'subnets.json') }).describeInstance('i-0123456789abcdef0');

    expect(answers).toEqual({ describeNetworkInterfaces: attached('i-0123456789abcdef0'), describeSubnets: { Subnets: [] } });
  });

  it.each([
    ['a missing file', null],
    ['a file that is not JSON', '{"NetworkInterfaces": ['],
  ])('refuses %s as invalid input', async (_, content) => {
    if (content !== null) writeFileSync(join(dir, 'enis.json'), content);
    writeFileSync(join(dir, 'subnets.json'), '{"Subnets":[]}');

    const read = fileFactsSource({ enisFile: join(dir, 'enis.json'), subnetsFile: join(dir, 'subnets.json') }).describeInstance('i-0123456789abcdef0');

    await expect(read).rejects.toThrow(InvalidInputError);
  });
});

describe('soleInstanceId', () => {
  it('finds the one instance every attached ENI belongs to, ignoring detached ones', () => {
    expect(soleInstanceId(attached('i-0123456789abcdef0', undefined, 'i-0123456789abcdef0'))).toBe('i-0123456789abcdef0');
  });

  it.each([
    ['two instances', attached('i-0123456789abcdef0', 'i-0fedcba9876543210')],
    ['no attached ENI', attached(undefined)],
    ['not a DescribeNetworkInterfaces answer', { Reservations: [] }],
  ])('asks for --instance-id when the file holds %s', (_, answer) => {
    expect(() => soleInstanceId(answer)).toThrow(/pass --instance-id/);
  });
});

describe('assertAttachedTo', () => {
  it('refuses an instance none of the ENIs is attached to', () => {
    expect(() => assertAttachedTo(attached('i-0123456789abcdef0'), 'i-0fedcba9876543210')).toThrow(InvalidInputError);
    expect(() => assertAttachedTo(attached('i-0123456789abcdef0'), 'i-0123456789abcdef0')).not.toThrow();
  });
});
