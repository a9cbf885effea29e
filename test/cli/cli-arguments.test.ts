import { parseCliArguments } from '../../functions/cli/cli-arguments';
import { UsageError } from '../../functions/cli/cli-errors';
import { DEFAULT_PLAN_OPTIONS } from '../../functions/core/defaults';

const remediate = ['remediate', '--netns', 'web1', '--enis', 'enis.json', '--subnets', 'subnets.json'];

describe('parseCliArguments', () => {
  it('reads a remediate command with the default plan options', () => {
    expect(parseCliArguments(remediate)).toEqual({
      command: 'remediate',
      netns: 'web1',
      enisFile: 'enis.json',
      subnetsFile: 'subnets.json',
      dryRun: false,
      json: false,
      verbose: false,
      planOptions: DEFAULT_PLAN_OPTIONS,
    });
  });

  it('reads the flags and the plan options a remediate command takes', () => {
    const command = parseCliArguments([...remediate, '--instance-id', 'i-0123456789abcdef0', '--dry-run', '--json', '--connmark', 'always', '--manage-primary']);

    expect(command).toMatchObject({ instanceId: 'i-0123456789abcdef0', dryRun: true, json: true, planOptions: { ...DEFAULT_PLAN_OPTIONS, connmark: 'always', managePrimary: true } });
  });

  it('reads an inspect command', () => {
    expect(parseCliArguments(['inspect', '--netns', 'web1', '--raw'])).toEqual({ command: 'inspect', netns: 'web1', json: false, raw: true, verbose: false });
  });

  it.each([[[]], [['help']], [['--help']]])('answers %j with help', (argv) => {
    expect(parseCliArguments(argv)).toEqual({ command: 'help' });
  });

  it.each([
    ['an unknown command', ['fix', '--netns', 'x']],
    ['remediate without --netns', ['remediate', '--enis', 'a', '--subnets', 'b']],
    ['remediate without --enis', ['remediate', '--netns', 'x', '--subnets', 'b']],
    ['remediate without --subnets', ['remediate', '--netns', 'x', '--enis', 'a']],
    ['an empty --netns', ['inspect', '--netns', '']],
    ['an unknown option', [...remediate, '--force']],
    ['a positional argument', [...remediate, 'extra']],
    ['an unknown --connmark mode', [...remediate, '--connmark', 'sometimes']],
    ['a flag given a value', ['inspect', '--netns', 'x', '--json=yes']],
  ])('refuses %s with a UsageError', (_, argv) => {
    expect(() => parseCliArguments(argv)).toThrow(UsageError);
  });
});
