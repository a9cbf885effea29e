import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One AWS API call the bundled handler made. */
export interface RecordedCall {
  /** `sqs`, `dynamodb`, `ssm`, `events` (JSON protocols: x-amz-target) or `ec2` (query protocol). */
  readonly service: string;
  readonly operation: string;
  readonly input: Record<string, unknown>;
}

/** JSON body for JSON-protocol services, XML text for EC2. */
export type Responder = (input: Record<string, unknown>) => unknown;

/** x-amz-target prefixes of the JSON-protocol services the functions call. */
const TARGET_SERVICE: Record<string, string> = {
  AmazonSQS: 'sqs',
  DynamoDB_20120810: 'dynamodb',
  AmazonSSM: 'ssm',
  AWSEvents: 'events',
};

export interface LoopbackAws {
  readonly endpoint: string;
  readonly calls: RecordedCall[];
  close(): Promise<void>;
}

/**
 * A throwaway AWS endpoint on 127.0.0.1 for one test: answers the operations it is given (keyed
 * `service:Operation`), records every call, and answers anything else with the service's own error shape
 * (so an unexpected call fails the invocation loudly instead of hanging). It emulates no AWS behaviour:
 * no signatures checked, no state kept.
 */
export async function startLoopbackAws(responders: Record<string, Responder>): Promise<LoopbackAws> {
  const calls: RecordedCall[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => answer(request, Buffer.concat(chunks).toString('utf8'), response, responders, calls));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function answer(request: IncomingMessage, body: string, response: ServerResponse, responders: Record<string, Responder>, calls: RecordedCall[]): void {
  const target = request.headers['x-amz-target'];
  if (typeof target === 'string') {
    const [prefix = '', operation = ''] = target.split('.');
    const service = TARGET_SERVICE[prefix] ?? prefix;
    const input = body === '' ? {} : (JSON.parse(body) as Record<string, unknown>);
    calls.push({ service, operation, input });
    const responder = responders[`${service}:${operation}`];
    const type = request.headers['content-type'] ?? 'application/x-amz-json-1.0';
    if (responder === undefined) {
      response.writeHead(400, { 'content-type': type });
      response.end(JSON.stringify({ __type: 'UnknownOperationException', message: `loopback: no answer for ${service}:${operation}` }));
      return;
    }
    response.writeHead(200, { 'content-type': type });
    response.end(JSON.stringify(responder(input)));
    return;
  }
  const form = Object.fromEntries(new URLSearchParams(body));
  const operation = form.Action ?? '';
  calls.push({ service: 'ec2', operation, input: form });
  const responder = responders[`ec2:${operation}`];
  if (responder === undefined) {
    response.writeHead(400, { 'content-type': 'text/xml' });
    response.end(`<Response><Errors><Error><Code>InvalidAction</Code><Message>loopback: no answer for ec2:${operation}</Message></Error></Errors><RequestID>00000000-0000-4000-8000-000000000000</RequestID></Response>`);
    return;
  }
  response.writeHead(200, { 'content-type': 'text/xml' });
  response.end(String(responder(form)));
}
