// Imported FIRST by service tests: Powertools reads its settings when its modules load.
export const TEST_ACCOUNT = '123456789012';
export const TEST_REGION = 'us-east-1';
export const TEST_QUEUE_URL = `https://sqs.${TEST_REGION}.amazonaws.com/${TEST_ACCOUNT}/eni-pbr-test-remediation.fifo`;

Object.assign(process.env, {
  AWS_REGION: TEST_REGION,
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
  ENI_PBR_QUEUE_URL: TEST_QUEUE_URL,
  ENI_PBR_ATTACHMENTS_TABLE: 'eni-pbr-test-attachments',
  ENI_PBR_PENDING_REMOVALS_TABLE: 'eni-pbr-test-pending-removals',
  ENI_PBR_DOCUMENT_NAME: 'eni-pbr-test-agent',
  ENI_PBR_DOCUMENT_VERSION: '3',
  ENI_PBR_COMMAND_LOG_GROUP: '/eni-pbr/test/commands',
  ENI_PBR_EVENT_BUS_NAME: 'default',
  ENI_PBR_MODE: 'fix',
  ENI_PBR_MANAGED_TAG_MODE: 'opt-out',
  ENI_PBR_DISABLE_SOURCE_DEST_CHECK: 'false',
  ENI_PBR_AGENT_WAIT_SECONDS: '0',
  ENI_PBR_COMMAND_TIMEOUT_SECONDS: '30',
});

/** A Lambda context for this account and region (the intake checks events against it). */
export const testContext = {
  functionName: 'eni-pbr-test-intake',
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:${TEST_REGION}:${TEST_ACCOUNT}:function:eni-pbr-test-intake`,
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/eni-pbr-test-intake',
  logStreamName: '2026/12/03/[$LATEST]abcdef',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 60_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};
