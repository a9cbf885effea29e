import { basename, join } from 'node:path';
import type { AwsEndpoint } from '../aws-endpoint/aws-endpoint';
import type { FunctionSpec } from '../lambda-harness/lambda-environment';
import { ACCOUNT, REGION, resolveIntrinsics, type PhysicalIds } from './cfn-intrinsics';

interface Resource {
  readonly Type: string;
  readonly Properties: Record<string, unknown>;
}

export interface Template {
  readonly Resources: Readonly<Record<string, Resource>>;
}

/** The few settings the lab shortens so a story takes seconds, not minutes; each is printed. */
export interface LabOverrides {
  /** the remediation queue's DelaySeconds (the settle delay; deployed: 30 s) */
  readonly settleDelaySeconds: number;
  /** the remediation queue's VisibilityTimeout: how soon a failed job is retried (deployed: 2,520 s) */
  readonly visibilityTimeoutSeconds: number;
  /** extra function environment, e.g. ENI_PBR_AGENT_WAIT_SECONDS (deployed: 60) */
  readonly environment: Readonly<Record<string, string>>;
}

export interface EventRule {
  readonly name: string;
  readonly pattern: Record<string, unknown>;
  readonly functionKey: string;
}

export interface QueueMapping {
  readonly queueName: string;
  readonly functionKey: string;
  readonly batchSize: number;
  readonly reportBatchItemFailures: boolean;
}

/** A function as deployed: its spec, and the zip Lambda would unpack into its task directory. */
export type DeployedFunction = Omit<FunctionSpec, 'taskDir'> & { readonly zipFile: string };

export interface Deployment {
  readonly functions: DeployedFunction[];
  readonly rules: EventRule[];
  readonly mappings: QueueMapping[];
  readonly ids: PhysicalIds;
}

/** The dummy access key a function signs with: the endpoint's call log names the caller by it. */
export const accessKeyOf = (functionKey: string) => `AKIDLAB${functionKey.toUpperCase()}`;

const ofType = (template: Template, type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
const functionKeyOf = (logicalId: string) => logicalId.replace(/LambdaFunction$/, '').replace(/^./, (c) => c.toLowerCase());

/**
 * "Deploys" the packaged CloudFormation template onto the local endpoint: FIFO queues (redrive
 * included), tables, SSM documents (the template's own Content), then resolves each function's
 * environment and reads its rules and event source mappings. Standard queues (intake's failed-event
 * destination) are named but not created: the endpoint keeps FIFO queues only.
 */
export function deployTemplate(template: Template, packageDir: string, endpoint: AwsEndpoint, overrides: LabOverrides): Deployment {
  const refs: Record<string, string> = {};
  const attributes: Record<string, string> = {};
  const queues = ofType(template, 'AWS::SQS::Queue');
  for (const [id, { Properties: p }] of queues) {
    const name = String(p.QueueName);
    refs[id] = endpoint.sqs.urlOf(name);
    attributes[`${id}.Arn`] = `arn:aws:sqs:${REGION}:${ACCOUNT}:${name}`;
    attributes[`${id}.QueueName`] = name;
  }
  // Dead-letter queues first: a queue's RedrivePolicy points at one.
  const redriveOf = (p: Record<string, unknown>) => p.RedrivePolicy as { deadLetterTargetArn: unknown; maxReceiveCount: number | string } | undefined;
  for (const [, { Properties: p }] of [...queues].sort(([, a], [, b]) => Number(redriveOf(a.Properties) !== undefined) - Number(redriveOf(b.Properties) !== undefined))) {
    if (p.FifoQueue !== true && p.FifoQueue !== 'true') continue;
    const redrive = redriveOf(p);
    const isMain = redrive !== undefined;
    endpoint.sqs.createQueue({
      name: String(p.QueueName),
      visibilityTimeoutSeconds: isMain ? overrides.visibilityTimeoutSeconds : Number(p.VisibilityTimeout ?? 30),
      delaySeconds: isMain ? overrides.settleDelaySeconds : Number(p.DelaySeconds ?? 0),
      contentBasedDeduplication: p.ContentBasedDeduplication === true || p.ContentBasedDeduplication === 'true',
      ...(redrive
        ? { redrive: { deadLetterQueue: endpoint.sqs.queue(String(resolveIntrinsics(redrive.deadLetterTargetArn, { refs, attributes })).split(':').pop() ?? ''), maxReceiveCount: Number(redrive.maxReceiveCount) } }
        : {}),
    });
  }
  for (const [id, { Properties: p }] of ofType(template, 'AWS::DynamoDB::Table')) {
    const hashKey = (p.KeySchema as { AttributeName: string; KeyType: string }[]).find((key) => key.KeyType === 'HASH')?.AttributeName ?? '';
    endpoint.dynamodb.createTable({ name: String(p.TableName), hashKey });
    refs[id] = String(p.TableName);
  }
  for (const [id, { Properties: p }] of ofType(template, 'AWS::SSM::Document')) {
    // CloudFormation sends the Content object as JSON text: those bytes count against SSM's 64 KB.
    endpoint.documents.put(String(p.Name), typeof p.Content === 'string' ? p.Content : JSON.stringify(p.Content));
    refs[id] = String(p.Name);
  }
  for (const [id, { Properties: p }] of ofType(template, 'AWS::Logs::LogGroup')) refs[id] = String(p.LogGroupName);
  const lambdas = ofType(template, 'AWS::Lambda::Function');
  for (const [id, { Properties: p }] of lambdas) {
    refs[id] = String(p.FunctionName);
    attributes[`${id}.Arn`] = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${String(p.FunctionName)}`;
  }
  const ids = { refs, attributes };
  const functionKeyByArn = new Map(lambdas.map(([id]) => [attributes[`${id}.Arn`], functionKeyOf(id)]));
  const functions = lambdas.map(([id, { Properties: p }]): DeployedFunction => {
    const variables = resolveIntrinsics((p.Environment as { Variables?: unknown } | undefined)?.Variables ?? {}, ids) as Record<string, string>;
    return {
      key: functionKeyOf(id),
      zipFile: join(packageDir, basename(String((p.Code as { S3Key: unknown }).S3Key))),
      handler: String(p.Handler),
      timeoutSeconds: Number(p.Timeout ?? 3),
      memoryMb: Number(p.MemorySize ?? 128),
      environment: {
        ...variables,
        ...overrides.environment,
        AWS_REGION: REGION,
        AWS_DEFAULT_REGION: REGION,
        AWS_LAMBDA_FUNCTION_NAME: String(p.FunctionName),
        AWS_ENDPOINT_URL: endpoint.url,
        // Any credentials pass (no signature is checked); one key per function tells the endpoint who called.
        AWS_ACCESS_KEY_ID: accessKeyOf(functionKeyOf(id)),
        AWS_SECRET_ACCESS_KEY: 'local-lab-secret',
        AWS_SESSION_TOKEN: 'local-lab-token',
      },
    };
  });
  // A schedule rule (the audit's, off by default) has no EventPattern: no bus event ever matches it.
  const rules = ofType(template, 'AWS::Events::Rule').flatMap(([id, { Properties: p }]) =>
    (p.EventPattern === undefined ? [] : ((p.Targets ?? []) as { Arn: unknown }[])).map((target) => ({
      name: String(p.Name ?? id),
      pattern: p.EventPattern as Record<string, unknown>,
      functionKey: functionKeyByArn.get(String(resolveIntrinsics(target.Arn, ids))) ?? '',
    })),
  );
  const mappings = ofType(template, 'AWS::Lambda::EventSourceMapping').map(([, { Properties: p }]) => ({
    queueName: String(resolveIntrinsics(p.EventSourceArn, ids)).split(':').pop() ?? '',
    functionKey: functionKeyByArn.get(String(resolveIntrinsics(p.FunctionName, ids))) ?? '',
    batchSize: Number(p.BatchSize ?? 10),
    reportBatchItemFailures: ((p.FunctionResponseTypes ?? []) as string[]).includes('ReportBatchItemFailures'),
  }));
  return { functions, rules, mappings, ids };
}
