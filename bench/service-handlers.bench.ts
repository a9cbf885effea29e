// `npm run bench service-handlers`: what the Lambda handlers add per job, AWS mocked in process
// (aws-sdk-client-mock answering with the lab's real EC2 and agent output). Each handler is timed
// through its middy wrapper (Powertools logger at INFO, EMF metrics on, tracer off as outside Lambda;
// stdout swallowed while timing so the terminal is not measured) against a baseline in this process:
// the same work called directly — remediateInstance over in-memory ports, intakeEvent over in-memory
// ports. Prints medians and the ratio; nothing here asserts a time.
import './service-bench-env';
import { performance } from 'node:perf_hooks';
import { PutItemCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { Context } from 'aws-lambda';
import { handler as intakeHandler } from '../functions/intake/handler';
import { toIntakeEvent, IntakeEventSchema } from '../functions/intake/intake-event-schema';
import { handler as remediateHandler } from '../functions/remediate/handler';
import { intakeEvent } from '../functions/service/intake-event';
import { remediateInstance } from '../functions/use-cases/remediate-instance';
import { testContext } from '../test/helpers/service-env';
import { attachDetail, cloudTrailEvent } from '../test/intake/cloudtrail-events';
import { jobOf, setWorld, sqsRecord } from '../test/remediate/aws-world';
import { LAB_INSTANCE_ID, agentOf, factsSourceOf, labAnswers, labApplyResult, labInspectResult } from '../test/use-cases/fake-ports';

const WARMUP = 30;
const RUNS = 300;
const context = testContext as unknown as Context;

/** Medians of `a` and `b`, timed alternately so a load change on this shared machine hits both alike. */
async function medians(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  for (let i = 0; i < WARMUP; i += 1) {
    await a();
    await b();
  }
  const times: [number[], number[]] = [[], []];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (() => true) as typeof process.stdout.write;
  try {
    for (let i = 0; i < RUNS; i += 1) {
      for (const [index, run] of [a, b].entries()) {
        const started = performance.now();
        await run();
        times[index]?.push(performance.now() - started);
      }
    }
  } finally {
    process.stdout.write = write;
  }
  const mid = (list: number[]): number => list.sort((x, y) => x - y)[Math.floor(list.length / 2)] ?? Number.NaN;
  return [mid(times[0]), mid(times[1])];
}

async function main(): Promise<void> {
  setWorld();
  const record = sqsRecord(jobOf(), 'm-1');
  const [remediateMs, directRemediateMs] = await medians(
    () => remediateHandler({ Records: [record] }, context),
    () => remediateInstance({ instanceId: LAB_INSTANCE_ID }, { facts: factsSourceOf(labAnswers()), agent: agentOf({ inspect: labInspectResult(), apply: labApplyResult() }) }),
  );

  mockClient(SQSClient).on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  mockClient(DynamoDBClient).on(PutItemCommand).resolves({});
  const event = cloudTrailEvent(attachDetail());
  const check = await intakeHandler(event, context);
  if (check.jobs !== 1) throw new Error(`intake did not enqueue the job: ${JSON.stringify(check)}`);
  const checked = await remediateHandler({ Records: [record] }, context);
  if (checked.batchItemFailures.length !== 0) throw new Error('remediate failed the job');
  const ports = { interfaces: { findByAttachment: async () => null, findByInterface: async () => null }, attachments: { remember: async () => undefined, lookup: async () => null }, queue: { enqueue: async () => undefined }, logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } };
  const [intakeMs, directIntakeMs] = await medians(
    () => intakeHandler(event, context),
    () => intakeEvent(toIntakeEvent(IntakeEventSchema.parse(event)), ports),
  );

  console.log(`median of ${RUNS} runs, ms; baseline = the use case called directly over in-memory ports`);
  console.log(['', 'handler', 'baseline', 'ratio', 'overhead'].map((h, i) => h.padEnd(i === 0 ? 34 : 10)).join(''));
  for (const [name, handlerMs, baseMs] of [
    ['remediate (1 job: inspect + apply)', remediateMs, directRemediateMs],
    ['intake (1 Attach event)', intakeMs, directIntakeMs],
  ] as const) {
    console.log([name.padEnd(34), handlerMs.toFixed(2).padEnd(10), baseMs.toFixed(2).padEnd(10), `${(handlerMs / baseMs).toFixed(2)}×`.padEnd(10), (handlerMs - baseMs).toFixed(2)].join(''));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
