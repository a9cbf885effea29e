import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EC2Client } from '@aws-sdk/client-ec2';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { tracer } from './powertools';

/**
 * SDK clients, built once per container (module scope) and traced. `adaptive` retry adds client-side
 * rate limiting on throttling errors, so a burst of ENI events does not turn into a burst of
 * RequestLimitExceeded/ThrottlingException retries against one account's EC2 and SSM API quotas.
 */
const retry = { retryMode: 'adaptive', maxAttempts: 5 } as const;

// Marked pure so a bundler drops the clients a function does not use (and their SDK packages, which
// declare no side effects): intake bundles no SSM or EventBridge client. Built once where used.

export const ec2Client = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new EC2Client(retry));
export const ssmClient = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new SSMClient(retry));
export const sqsClient = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new SQSClient(retry));
export const eventBridgeClient = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new EventBridgeClient(retry));
export const dynamoDbClient = /* @__PURE__ */ tracer.captureAWSv3Client(/* @__PURE__ */ new DynamoDBClient(retry));
