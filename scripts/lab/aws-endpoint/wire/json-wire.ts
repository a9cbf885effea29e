import type { ServerResponse } from 'node:http';
import { AwsError } from '../aws-error';

/** The AWS JSON protocols (1.0: SQS, DynamoDB; 1.1: SSM, EventBridge): `X-Amz-Target: <Prefix>.<Operation>`, a JSON body. */
export interface JsonService {
  /** the target prefix: `AmazonSSM`, `AmazonSQS`, `AWSEvents`, `DynamoDB_20120810` */
  readonly targetPrefix: string;
  readonly contentType: 'application/x-amz-json-1.0' | 'application/x-amz-json-1.1';
  /** the smithy namespace its error types carry in `__type` (SQS, DynamoDB), or '' for the bare name (SSM, EventBridge) */
  readonly errorNamespace: string;
  /** SQS's query compatibility: the SDK reads the query-era code from `x-amzn-query-error` */
  readonly queryErrorCodes?: Readonly<Record<string, string>>;
  handle(operation: string, input: Record<string, unknown>): Promise<unknown>;
}

/** Parses the body as the service would: anything but a JSON object is a serialization error. */
export function parseJsonBody(body: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = body === '' ? {} : JSON.parse(body);
  } catch {
    throw new AwsError('SerializationException', 'the request body is not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new AwsError('SerializationException', 'the request body is not a JSON object');
  return parsed as Record<string, unknown>;
}

export function writeJson(res: ServerResponse, service: JsonService, requestId: string, output: unknown): void {
  res.writeHead(200, { 'content-type': service.contentType, 'x-amzn-requestid': requestId });
  res.end(JSON.stringify(output ?? {}));
}

/** The error shape the SDK's JSON protocols parse: `__type` (and the `x-amzn-ErrorType` header), `message`. */
export function writeJsonError(res: ServerResponse, service: JsonService, requestId: string, error: AwsError): void {
  const type = service.errorNamespace === '' ? error.code : `${service.errorNamespace}#${error.code}`;
  const headers: Record<string, string> = { 'content-type': service.contentType, 'x-amzn-requestid': requestId, 'x-amzn-errortype': type };
  const queryCode = service.queryErrorCodes?.[error.code];
  if (queryCode !== undefined || service.queryErrorCodes !== undefined) headers['x-amzn-query-error'] = `${queryCode ?? error.code};${error.status >= 500 ? 'Receiver' : 'Sender'}`;
  res.writeHead(error.status, headers);
  res.end(JSON.stringify({ __type: type, message: error.message }));
}
