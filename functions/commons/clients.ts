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

export const ec2Client = tracer.captureAWSv3Client(new EC2Client(retry));
export const ssmClient = tracer.captureAWSv3Client(new SSMClient(retry));
export const sqsClient = tracer.captureAWSv3Client(new SQSClient(retry));
export const eventBridgeClient = tracer.captureAWSv3Client(new EventBridgeClient(retry));
export const dynamoDbClient = tracer.captureAWSv3Client(new DynamoDBClient(retry));
