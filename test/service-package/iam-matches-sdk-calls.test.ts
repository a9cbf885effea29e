import { PACKAGING_TIMEOUT_MS, packagedService } from './packaged-service';
import { sdkCallsIn, sdkCallsOfBundle } from '../../scripts/serverless/sdk-calls';
import { actionsOf, type CloudFormationTemplate, roleStatements } from './template';

let template: CloudFormationTemplate;
beforeAll(async () => {
  ({ template } = await packagedService());
}, PACKAGING_TIMEOUT_MS);

/** What Lambda itself does with the role, by statement Sid: the only grants that are not SDK calls. */
const PLATFORM_GRANTS: Record<string, string[]> = {
  FunctionLogs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Tracing: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  FailedEventsDestination: ['sqs:SendMessage'],
  ConsumeJobs: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
};

/**
 * Commands a bundle contains but the function never sends: an adapter shared by both functions imports
 * them for its other method (Ec2Interfaces.describeSubnets serves remediate). Least privilege wins: they
 * are not granted. Each entry must stay true — once the adapter is split, the call leaves the bundle and
 * this test asks for the entry to go. (remediate's dynamodb:GetItem, once DynamoDbAttachmentMap.lookup's
 * alone, is granted since it reads the pending-removals table — on that table only: iam-scoping.test.ts.)
 */
const BUNDLED_NOT_CALLED: Record<string, string[]> = {
  intake: ['ec2:DescribeSubnets'],
};

const sdkGrants = (roleId: string): string[] =>
  [...new Set(roleStatements(template, roleId)
    .filter(({ statement }) => statement.Sid?.startsWith('Sdk'))
    .flatMap(({ statement }) => actionsOf(statement)))].sort();

describe('sdkCallsIn', () => {
  it('reads commands, paginators and waiters, and skips type imports', () => {
    const source = [
      "import { DescribeSubnetsCommand, paginateDescribeNetworkInterfaces, type Filter } from '@aws-sdk/client-ec2';",
      "import { waitUntilCommandExecuted, SendCommandCommand as Send } from '@aws-sdk/client-ssm';",
      "import type { PutEventsCommand } from '@aws-sdk/client-eventbridge';",
    ].join('\n');
    expect(sdkCallsIn(source)).toEqual(['ec2:DescribeSubnets', 'ec2:DescribeNetworkInterfaces', 'ssm:GetCommandInvocation', 'ssm:SendCommand']);
  });
});

describe.each([
  ['intake', 'IntakeRole'],
  ['remediate', 'RemediateRole'],
  ['audit', 'AuditRole'],
])('the %s role (packaged template)', (fn, roleId) => {
  it('grants exactly the AWS calls the function\'s bundled code imports (but those it never sends), no more, no less', async () => {
    const bundled = await sdkCallsOfBundle(`functions/${fn}/handler.ts`);
    const notCalled = BUNDLED_NOT_CALLED[fn] ?? [];
    expect(bundled).toEqual(expect.arrayContaining(notCalled));
    const calls = bundled.filter((call) => !notCalled.includes(call));
    expect(calls.length).toBeGreaterThan(0);
    expect(sdkGrants(roleId)).toEqual(calls);
  });

  it('grants nothing else but what Lambda needs to run it', () => {
    for (const { statement } of roleStatements(template, roleId)) {
      if (statement.Sid?.startsWith('Sdk')) continue;
      expect(PLATFORM_GRANTS).toHaveProperty([statement.Sid ?? '(no Sid)']);
      expect(actionsOf(statement).sort()).toEqual([...(PLATFORM_GRANTS[statement.Sid ?? ''] ?? [])].sort());
    }
  });
});
