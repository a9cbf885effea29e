import { parseArgs } from 'node:util';
import { UsageError } from './cli-errors';

export interface AuditCommand {
  readonly command: 'audit';
  readonly region: string;
  readonly profile?: string;
  /** the audit request as the Lambda function takes it; parseAuditRequest validates it */
  readonly request: { readonly mode: 'check' | 'fix'; readonly instanceIds?: string[]; readonly tags?: Record<string, string>; readonly includeSingleEni: boolean };
  readonly queueUrl?: string;
  readonly documentName: string;
  readonly logGroup: string;
  /** the stack's managedTagMode: which instances count as opted out */
  readonly managedTagMode: 'opt-out' | 'opt-in';
  readonly json: boolean;
  readonly verbose: boolean;
}

const DEFAULT_STAGE = 'dev';

/** `eni-pbr audit …` flags → the command; the request inside is validated by the service's own schema. */
export function parseAudit(args: readonly string[]): AuditCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        region: { type: 'string' },
        profile: { type: 'string' },
        'instance-ids': { type: 'string', multiple: true },
        tag: { type: 'string', multiple: true },
        fix: { type: 'boolean', default: false },
        'queue-url': { type: 'string' },
        'include-single-eni': { type: 'boolean', default: false },
        stage: { type: 'string', default: DEFAULT_STAGE },
        'document-name': { type: 'string' },
        'log-group': { type: 'string' },
        'managed-tag-mode': { type: 'string', default: 'opt-out' },
        json: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
      },
    });
  } catch (cause) {
    throw new UsageError(cause instanceof Error ? cause.message : String(cause));
  }
  const values = parsed.values;
  const region = values.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  if (region === undefined || region === '') throw new UsageError('--region is required (or AWS_REGION)');
  // The CLI has no queue of its own: fixes go through the deployed stack's queue, the path events take.
  if (values.fix === true && values['queue-url'] === undefined) throw new UsageError('--fix needs --queue-url (the stack output RemediationQueueUrl)');
  const managedTagMode = values['managed-tag-mode'];
  if (managedTagMode !== 'opt-out' && managedTagMode !== 'opt-in') throw new UsageError('--managed-tag-mode must be opt-out or opt-in');
  const ids = (values['instance-ids'] ?? []).flatMap((list) => list.split(',')).map((id) => id.trim()).filter((id) => id !== '');
  const stage = values.stage ?? DEFAULT_STAGE;
  return {
    command: 'audit',
    region,
    ...(values.profile === undefined ? {} : { profile: values.profile }),
    request: {
      mode: values.fix === true ? 'fix' : 'check',
      ...(ids.length === 0 ? {} : { instanceIds: ids }),
      ...(values.tag === undefined ? {} : { tags: parseTags(values.tag) }),
      includeSingleEni: values['include-single-eni'] === true,
    },
    ...(values['queue-url'] === undefined ? {} : { queueUrl: values['queue-url'] }),
    // The names the stack gives them (resources/agent-document.yml), per stage.
    documentName: values['document-name'] ?? `eni-pbr-agent-${stage}`,
    logGroup: values['log-group'] ?? `/eni-pbr/${stage}/agent-output`,
    managedTagMode,
    json: values.json === true,
    verbose: values.verbose === true,
  };
}

function parseTags(pairs: readonly string[]): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new UsageError(`--tag takes key=value, not ${JSON.stringify(pair)}`);
    tags[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return tags;
}
