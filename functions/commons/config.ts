import { z } from 'zod';
import { ConfigError } from './config-error';

/**
 * The environment each function reads, validated ONCE (first call) with zod. A missing or malformed
 * value fails the deployment's first invocation with a message naming the variable, never a job later.
 * Names are fixed by serverless.yml (see README "Settings").
 */
const nonEmpty = z.string().trim().min(1, 'is empty');
const boolean = z.enum(['true', 'false']).transform((value) => value === 'true');
const seconds = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const intakeSchema = z.object({
  AWS_REGION: nonEmpty,
  ENI_PBR_QUEUE_URL: z.url(),
  ENI_PBR_ATTACHMENTS_TABLE: nonEmpty,
});

const remediateSchema = z.object({
  AWS_REGION: nonEmpty,
  ENI_PBR_ATTACHMENTS_TABLE: nonEmpty,
  ENI_PBR_PENDING_REMOVALS_TABLE: nonEmpty,
  ENI_PBR_DOCUMENT_NAME: z.string().regex(/^[a-zA-Z0-9_.-]{3,128}$/, 'is not an SSM document name'),
  // `$DEFAULT`, `$LATEST` or a version number (SendCommand's DocumentVersion pattern).
  ENI_PBR_DOCUMENT_VERSION: z.string().regex(/^(\$DEFAULT|\$LATEST|[1-9][0-9]*)$/, 'is not $DEFAULT, $LATEST or a version number').default('$DEFAULT'),
  ENI_PBR_COMMAND_LOG_GROUP: z.string().regex(/^[.\-_/#A-Za-z0-9]{1,512}$/, 'is not a log group name'),
  ENI_PBR_EVENT_BUS_NAME: nonEmpty.default('default'),
  ENI_PBR_MODE: z.enum(['fix', 'check']).default('fix'),
  ENI_PBR_MANAGED_TAG_MODE: z.enum(['opt-out', 'opt-in']).default('opt-out'),
  ENI_PBR_DISABLE_SOURCE_DEST_CHECK: boolean.default(false),
  ENI_PBR_MANAGE_PRIMARY: boolean.default(false),
  ENI_PBR_CONNMARK: z.enum(['auto', 'always', 'never']).default('auto'),
  // Bounded: the whole job must fit the function's timeout (agent wait + two commands).
  ENI_PBR_AGENT_WAIT_SECONDS: seconds(0, 600).default(60),
  // ≥ the document's 120 s execution timeout plus delivery, ≤ a Lambda's 15 minutes.
  ENI_PBR_COMMAND_TIMEOUT_SECONDS: seconds(30, 840).default(150),
});

// The audit reads what remediate reads about commands and planning, plus the queue it enqueues fixes on.
const auditSchema = remediateSchema
  .omit({ ENI_PBR_ATTACHMENTS_TABLE: true, ENI_PBR_PENDING_REMOVALS_TABLE: true, ENI_PBR_AGENT_WAIT_SECONDS: true, ENI_PBR_DISABLE_SOURCE_DEST_CHECK: true })
  .extend({ ENI_PBR_QUEUE_URL: z.url() });

export type IntakeConfig = z.output<typeof intakeSchema>;
export type AuditConfig = z.output<typeof auditSchema>;
export type RemediateConfig = z.output<typeof remediateSchema>;

type Environment = Readonly<Record<string, string | undefined>>;

/** Parses `env` against `schema`, throwing ConfigError for the first variable that fails. */
export function readConfig<T extends z.ZodType>(schema: T, env: Environment): z.output<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const variable = String(issue?.path[0] ?? 'environment');
  const problem = env[variable] === undefined ? 'is missing' : `is malformed: ${issue?.message ?? 'invalid'}`;
  throw new ConfigError(variable, problem, { cause: result.error });
}

function once<T>(read: () => T): () => T {
  let value: { readonly config: T } | undefined;
  return () => {
    value ??= { config: read() };
    return value.config;
  };
}

export const intakeConfig = once(() => readConfig(intakeSchema, process.env));
export const remediateConfig = once(() => readConfig(remediateSchema, process.env));
export const auditConfig = once(() => readConfig(auditSchema, process.env));
export const parseAuditConfig = (env: Environment): AuditConfig => readConfig(auditSchema, env);
export const parseIntakeConfig = (env: Environment): IntakeConfig => readConfig(intakeSchema, env);
export const parseRemediateConfig = (env: Environment): RemediateConfig => readConfig(remediateSchema, env);
