import { rmSync } from 'node:fs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { matchesPattern, type EventPattern } from '../../../test/service-package/event-pattern';
import { unzipPackage } from '../../../test/service-package/invoke-bundled';
import type { AwsEndpoint } from '../aws-endpoint/aws-endpoint';
import type { BusEvent } from '../aws-endpoint/events/event-bus';
import { LambdaEnvironment, type InvocationRecord } from '../lambda-harness/lambda-environment';
import { SqsEventSource } from '../lambda-harness/sqs-event-source';
import { ACCOUNT, REGION } from './cfn-intrinsics';
import { deployTemplate, type Deployment, type LabOverrides, type Template } from './deploy-template';

// Lambda retries a failed asynchronous invocation twice (EventBridge → Lambda is asynchronous).
const ASYNC_RETRIES = 2;

export interface ServiceHarness {
  readonly deployment: Deployment;
  /** every invocation, in the order they ended */
  readonly invocations: InvocationRecord[];
  /** resolves once nothing is running and the queue holds nothing receivable or in flight */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The packaged service running on the local endpoint as Lambda would run it: each function from its
 * zip in a warm Node 22 sandbox, the template's EventBridge rules delivering matching events
 * (asynchronous invocation, two retries), the template's SQS event source mappings polling the queue.
 */
export async function startServiceHarness(endpoint: AwsEndpoint, template: Template, packageDir: string, overrides: LabOverrides): Promise<ServiceHarness> {
  const deployment = deployTemplate(template, packageDir, endpoint, overrides);
  const taskDirs: string[] = [];
  const environments = new Map(
    deployment.functions.map((fn) => {
      const taskDir = unzipPackage(fn.zipFile);
      taskDirs.push(taskDir);
      return [fn.key, new LambdaEnvironment({ ...fn, taskDir })] as const;
    }),
  );
  const invocations: InvocationRecord[] = [];
  let running = 0;
  const track = async (work: Promise<unknown>): Promise<void> => {
    running += 1;
    try {
      await work;
    } finally {
      running -= 1;
    }
  };

  const invokeAsync = async (environment: LambdaEnvironment, event: BusEvent): Promise<void> => {
    for (let attempt = 0; attempt <= ASYNC_RETRIES; attempt += 1) {
      const record = await environment.invoke(event);
      invocations.push(record);
      if (record.outcome.ok) return;
    }
  };
  endpoint.events.subscribe((event, busName) => {
    if (busName !== 'default') return;
    for (const rule of deployment.rules) {
      const environment = environments.get(rule.functionKey);
      if (environment !== undefined && matchesPattern(rule.pattern as EventPattern, event)) void track(invokeAsync(environment, event));
    }
  });

  const sqs = new SQSClient({ endpoint: endpoint.url, region: REGION, credentials: { accessKeyId: 'AKIDLOCALLAB00000000', secretAccessKey: 'local' } });
  const sources = deployment.mappings.flatMap((mapping) => {
    const environment = environments.get(mapping.functionKey);
    if (environment === undefined) return [];
    const settings = { queueUrl: endpoint.sqs.urlOf(mapping.queueName), queueArn: `arn:aws:sqs:${REGION}:${ACCOUNT}:${mapping.queueName}`, region: REGION, ...mapping };
    return [new SqsEventSource(sqs, environment, settings, (record) => invocations.push(record))];
  });
  sources.forEach((source) => source.start());

  const queueBusy = () =>
    deployment.mappings.some((mapping) => {
      const counts = endpoint.sqs.queue(mapping.queueName).counts();
      return counts.visible + counts.notVisible + counts.delayed > 0;
    });
  return {
    deployment,
    invocations,
    idle: async () => {
      while (running > 0 || queueBusy()) await new Promise((resolve) => setTimeout(resolve, 50));
    },
    stop: async () => {
      await Promise.all(sources.map((source) => source.stop()));
      environments.forEach((environment) => environment.stop());
      sqs.destroy();
      taskDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
    },
  };
}
