/** The audit function's environment as serverless.yml sets it, for tests and the bench (set before importing the handler). */
export const AUDIT_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', // never used: every client is mocked
  AWS_SECRET_ACCESS_KEY: 'example',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  POWERTOOLS_TRACE_ENABLED: 'false',
  POWERTOOLS_METRICS_NAMESPACE: 'EniPbr',
  ENI_PBR_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/111122223333/eni-pbr-test-remediation.fifo',
  ENI_PBR_DOCUMENT_NAME: 'eni-pbr-test-agent',
  ENI_PBR_DOCUMENT_VERSION: '$DEFAULT',
  ENI_PBR_COMMAND_LOG_GROUP: '/eni-pbr/test/agent-output',
  ENI_PBR_EVENT_BUS_NAME: 'default',
  ENI_PBR_MODE: 'fix',
  ENI_PBR_MANAGED_TAG_MODE: 'opt-out',
  ENI_PBR_MANAGE_PRIMARY: 'false',
  ENI_PBR_CONNMARK: 'auto',
  ENI_PBR_COMMAND_TIMEOUT_SECONDS: '150',
} as const;

export function setAuditEnv(overrides: Partial<Record<keyof typeof AUDIT_ENV, string>> = {}): void {
  Object.assign(process.env, AUDIT_ENV, overrides);
}
