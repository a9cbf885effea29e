/**
 * A local AWS endpoint for eni-pbr's end-to-end runs: http://127.0.0.1:<random port>, loopback only,
 * speaking the wire protocols the SDK v3 clients use, so the production adapters run unchanged with
 * AWS_ENDPOINT_URL pointing here:
 *   EC2 query/XML   Describe{NetworkInterfaces,Subnets,Instances}, Attach/DetachNetworkInterface,
 *                   Assign/UnassignPrivateIpAddresses, ModifyNetworkInterfaceAttribute (SourceDestCheck),
 *                   Create/DeleteTags (instances' tags only)
 *   SSM JSON 1.1    SendCommand (runs the document in the instance's namespace), GetCommandInvocation,
 *                   ListCommandInvocations, CancelCommand, DescribeInstanceInformation
 *   SQS JSON 1.0    FIFO queues: Send/Receive/DeleteMessage, ChangeMessageVisibility, GetQueueAttributes
 *   EventBridge 1.1 PutEvents (recorded, offered to listeners); successful EC2 mutations emit the
 *                   CloudTrail "AWS API Call via CloudTrail" event on the default bus
 *   DynamoDB 1.0    GetItem, PutItem, DeleteItem
 * What it does NOT emulate: IAM (every call is allowed: least privilege is asserted on the template
 * instead), SigV4 signatures (any credentials pass), real delivery delays (CloudTrail → EventBridge takes
 * seconds to minutes on AWS, here it is immediate; SSM delivery is immediate for Online agents),
 * throttling by rate (only on demand: `faults`), EC2's asynchronous attaching/detaching states, tags
 * of resources other than instances, SSM
 * Targets, S3/CloudWatch command output, SQS standard queues, message-attribute MD5s, DynamoDB TTL
 * deletion, regions and accounts other than ap-northeast-1 / 123456789012.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AwsError } from './aws-error';
import { DynamoDbService } from './dynamodb/dynamodb-service';
import { ec2Actions } from './ec2/ec2-service';
import { Ec2State, type Ec2HostSide, type Ec2Seed } from './ec2/ec2-state';
import { cloudTrailDetail } from './events/cloudtrail-event';
import { EventBus } from './events/event-bus';
import { FaultInjector } from './fault-injector';
import { ManagedInstances } from './ssm/managed-instances';
import { SsmDocuments } from './ssm/ssm-documents';
import { SsmService, type SsmOptions } from './ssm/ssm-service';
import { SqsService } from './sqs/sqs-service';
import { isEc2Operation, writeEc2Error, writeEc2Response } from './wire/ec2-xml';
import { parseEc2Query } from './wire/ec2-query';
import { parseJsonBody, writeJson, writeJsonError, type JsonService } from './wire/json-wire';
import { stopOnExit } from './stop-on-exit';

const MAX_BODY_BYTES = 2 * 1024 * 1024; // SSM's 64 KB quota and SQS's 256 KB bodies fit many times over

export interface AwsEndpointOptions {
  readonly ec2: Ec2Seed;
  readonly hostSide?: Ec2HostSide;
  readonly onEc2Change?: (state: Ec2State) => void;
  readonly ssm?: SsmOptions;
}

/** One served call: what the lab and the tests read to say which function called what. */
export interface EndpointCall {
  /** the access key id the request was signed with (unchecked): tells which function called */
  readonly caller: string;
  readonly service: string;
  readonly operation: string;
  readonly error?: string;
}

export interface AwsEndpoint {
  readonly url: string;
  readonly ec2: Ec2State;
  readonly ssm: SsmService;
  readonly documents: SsmDocuments;
  readonly instances: ManagedInstances;
  readonly sqs: SqsService;
  readonly events: EventBus;
  readonly dynamodb: DynamoDbService;
  readonly faults: FaultInjector;
  readonly calls: EndpointCall[];
  stop(): Promise<void>;
}

export async function startAwsEndpoint(options: AwsEndpointOptions): Promise<AwsEndpoint> {
  let url = '';
  const ec2 = new Ec2State(options.ec2, options.hostSide, options.onEc2Change);
  const documents = new SsmDocuments();
  const instances = new ManagedInstances();
  const ssm = new SsmService(documents, instances, options.ssm);
  const sqs = new SqsService(() => url);
  const events = new EventBus();
  const dynamodb = new DynamoDbService();
  const faults = new FaultInjector();
  const calls: EndpointCall[] = [];
  const jsonServices = new Map<string, JsonService>([ssm, sqs, events, dynamodb].map((service) => [service.targetPrefix, service]));
  const actions = ec2Actions(ec2);

  const serveEc2 = async (caller: string, body: string, res: ServerResponse, requestId: string): Promise<void> => {
    const input = parseEc2Query(body);
    const action = typeof input.Action === 'string' ? input.Action : '';
    try {
      faults.check(`ec2:${action}`);
      const handler = actions[action];
      if (handler === undefined || !isEc2Operation(action)) throw new AwsError('InvalidAction', `The action ${action} is not valid for this web service.`);
      const { output, call } = await handler(input);
      if (call !== undefined) events.emit('aws.ec2', 'AWS API Call via CloudTrail', cloudTrailDetail({ eventName: action, ...call }, requestId));
      calls.push({ caller, service: 'ec2', operation: action });
      res.writeHead(200, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(writeEc2Response(action, requestId, output));
    } catch (error) {
      const aws = error instanceof AwsError ? error : new AwsError('InternalError', String(error), 500);
      calls.push({ caller, service: 'ec2', operation: action, error: aws.code });
      res.writeHead(aws.status, { 'content-type': 'text/xml;charset=UTF-8' });
      res.end(writeEc2Error(requestId, aws.code, aws.message));
    }
  };

  const serveJson = async (caller: string, service: JsonService, operation: string, body: string, res: ServerResponse, requestId: string): Promise<void> => {
    const name = service.targetPrefix.replace(/^Amazon|^AWS|_\d+$/g, '').toLowerCase();
    try {
      faults.check(`${name}:${operation}`);
      const output = await service.handle(operation, parseJsonBody(body));
      calls.push({ caller, service: name, operation });
      writeJson(res, service, requestId, output);
    } catch (error) {
      const aws = error instanceof AwsError ? error : new AwsError('InternalFailure', String(error), 500);
      calls.push({ caller, service: name, operation, error: aws.code });
      writeJsonError(res, service, requestId, aws);
    }
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const requestId = randomUUID();
      const target = req.headers['x-amz-target'];
      const [prefix = '', operation = ''] = typeof target === 'string' ? target.split('.') : [];
      const service = jsonServices.get(prefix);
      const caller = /Credential=([^/,\s]+)/.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const served = service !== undefined ? serveJson(caller, service, operation, body, res, requestId) : serveEc2(caller, body, res, requestId);
      served.catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  });
  // A forgotten endpoint never holds a process open; the exit and signal hooks close it on every path.
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stop = stopOnExit(async () => {
    sqs.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { url, ec2, ssm, documents, instances, sqs, events, dynamodb, faults, calls, stop };
}
