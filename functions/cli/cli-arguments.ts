import { parseArgs } from 'node:util';
import { DEFAULT_PLAN_OPTIONS } from '../core/defaults';
import type { PlanOptions } from '../core/model/plan-options';
import { parseAudit, type AuditCommand } from './audit-arguments';
import { UsageError } from './cli-errors';

export interface RemediateCommand {
  readonly command: 'remediate';
  readonly netns: string;
  readonly enisFile: string;
  readonly subnetsFile: string;
  readonly instanceId?: string;
  readonly dryRun: boolean;
  readonly json: boolean;
  readonly verbose: boolean;
  readonly planOptions: PlanOptions;
}

export interface InspectCommand {
  readonly command: 'inspect';
  readonly netns: string;
  readonly json: boolean;
  readonly raw: boolean;
  readonly verbose: boolean;
}

export interface RemoveCommand {
  readonly command: 'remove';
  readonly netns: string;
  readonly json: boolean;
}

export type CliCommand = RemediateCommand | InspectCommand | AuditCommand | RemoveCommand | { readonly command: 'help' };

const CONNMARK_MODES = ['auto', 'always', 'never'] as const;

/** argv (without node and the script) → one command; anything unexpected is a UsageError. */
export function parseCliArguments(argv: readonly string[]): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') return { command: 'help' };
  if (command === 'remediate') return parseRemediate(rest);
  if (command === 'inspect') return parseInspect(rest);
  if (command === 'audit') return parseAudit(rest);
  if (command === 'remove') {
    const { values } = parse(rest, { netns: { type: 'string' }, json: { type: 'boolean', default: false } });
    return { command: 'remove', netns: required(values.netns, '--netns'), json: values.json === true };
  }
  throw new UsageError(`unknown command: ${command}`);
}

function parseRemediate(args: readonly string[]): RemediateCommand {
  const { values } = parse(args, {
    netns: { type: 'string' },
    enis: { type: 'string' },
    subnets: { type: 'string' },
    'instance-id': { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    connmark: { type: 'string' },
    'manage-primary': { type: 'boolean', default: false },
  });
  const connmark = values.connmark ?? DEFAULT_PLAN_OPTIONS.connmark;
  if (!(CONNMARK_MODES as readonly string[]).includes(connmark)) throw new UsageError(`--connmark must be one of ${CONNMARK_MODES.join(', ')}`);
  return {
    command: 'remediate',
    netns: required(values.netns, '--netns'),
    enisFile: required(values.enis, '--enis'),
    subnetsFile: required(values.subnets, '--subnets'),
    ...(values['instance-id'] === undefined ? {} : { instanceId: values['instance-id'] }),
    dryRun: values['dry-run'] === true,
    json: values.json === true,
    verbose: values.verbose === true,
    planOptions: {
      ...DEFAULT_PLAN_OPTIONS,
      connmark: connmark as PlanOptions['connmark'],
      managePrimary: values['manage-primary'] === true,
    },
  };
}

function parseInspect(args: readonly string[]): InspectCommand {
  const { values } = parse(args, {
    netns: { type: 'string' },
    json: { type: 'boolean', default: false },
    raw: { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
  });
  return { command: 'inspect', netns: required(values.netns, '--netns'), json: values.json === true, raw: values.raw === true, verbose: values.verbose === true };
}

type OptionSpec = Record<string, { type: 'string' | 'boolean'; default?: boolean }>;

function parse<T extends OptionSpec>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false });
  } catch (cause) {
    throw new UsageError(cause instanceof Error ? cause.message : String(cause));
  }
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value === '') throw new UsageError(`${name} is required`);
  return value;
}
