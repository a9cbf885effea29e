import { PACKAGING_TIMEOUT_MS, packagedService } from './packaged-service';
import { type CloudFormationTemplate, resource } from './template';

let template: CloudFormationTemplate;
beforeAll(async () => {
  ({ template } = await packagedService());
}, PACKAGING_TIMEOUT_MS);

const queue = (id: string) => resource(template, id, 'AWS::SQS::Queue').Properties;
const remediate = () => resource(template, 'RemediateLambdaFunction', 'AWS::Lambda::Function').Properties;

describe('the remediation queue (packaged template)', () => {
  it('is FIFO without content-based deduplication: the intake sets the group (instance) and the deduplication id (eventID)', () => {
    expect(queue('RemediationQueue')).toMatchObject({
      QueueName: 'eni-pbr-test-remediation.fifo',
      FifoQueue: true,
      ContentBasedDeduplication: false,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
  });

  it('delays every job by the settle delay (the queue\'s: FIFO takes no per-message delay)', () => {
    expect(queue('RemediationQueue').DelaySeconds).toBe(30);
  });

  it('hides a received job for at least six times the remediate timeout', () => {
    expect(queue('RemediationQueue').VisibilityTimeout).toBeGreaterThanOrEqual(6 * (remediate().Timeout as number));
  });

  it('sends a job that failed maxReceiveCount times to a FIFO dead-letter queue kept 14 days', () => {
    expect(queue('RemediationQueue').RedrivePolicy).toEqual({
      deadLetterTargetArn: { 'Fn::GetAtt': ['RemediationDeadLetterQueue', 'Arn'] },
      maxReceiveCount: 5,
    });
    expect(queue('RemediationDeadLetterQueue')).toMatchObject({ FifoQueue: true, MessageRetentionPeriod: 1_209_600 });
    expect(queue('RemediationDeadLetterQueue').MessageRetentionPeriod).toBeGreaterThanOrEqual(queue('RemediationQueue').MessageRetentionPeriod as number);
  });

  it('feeds remediate one job per invocation, reporting partial failures, with bounded concurrency', () => {
    const mapping = resource(template, 'RemediateEventSourceMappingSQSRemediationQueue', 'AWS::Lambda::EventSourceMapping').Properties;
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': ['RemediationQueue', 'Arn'] },
      FunctionName: { 'Fn::GetAtt': ['RemediateLambdaFunction', 'Arn'] },
      BatchSize: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });

  it('gives remediate a timeout that covers the agent wait and two commands', () => {
    const { Variables } = remediate().Environment as { Variables: Record<string, string> };
    const needed = Number(Variables.ENI_PBR_AGENT_WAIT_SECONDS) + 2 * Number(Variables.ENI_PBR_COMMAND_TIMEOUT_SECONDS);
    expect(remediate().Timeout).toBeGreaterThan(needed);
    expect(remediate().Timeout).toBeLessThanOrEqual(900);
  });

  it('keeps intake\'s events that failed every retry in a standard queue (a Lambda destination)', () => {
    const config = resource(template, 'IntakeLambdaEvConf', 'AWS::Lambda::EventInvokeConfig').Properties;
    expect(config).toMatchObject({
      MaximumRetryAttempts: 2,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['IntakeFailedEventsQueue', 'Arn'] } } },
    });
    expect(queue('IntakeFailedEventsQueue').FifoQueue).toBeUndefined();
  });
});

describe.each([
  ['attachments', 'AttachmentsTable', 'attachmentId'],
  ['pending-removals', 'PendingRemovalsTable', 'instanceId'],
])('the %s table (packaged template)', (_name, logicalId, key) => {
  it(`is on-demand, encrypted, keyed by ${key}, its items expiring on expiresAt`, () => {
    expect(resource(template, logicalId, 'AWS::DynamoDB::Table').Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [{ AttributeName: key, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: key, AttributeType: 'S' }],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      SSESpecification: { SSEEnabled: true },
    });
  });
});
