import { packagedService } from './packaged-service';
import { sdkCallsIn, sdkCallsOfBundle } from './sdk-calls';
import { actionsOf, type CloudFormationTemplate, roleStatements } from './template';

let template: CloudFormationTemplate;
beforeAll(async () => {
  ({ template } = await packagedService());
});

/** What Lambda itself does with the role, by statement Sid: the only grants that are not SDK calls. */
const PLATFORM_GRANTS: Record<string, string[]> = {
  FunctionLogs: ['logs:CreateLogStream', 'logs:PutLogEvents'],
  Tracing: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'],
  FailedEventsDestination: ['sqs:SendMessage'],
  ConsumeJobs: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
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
])('the %s role (packaged template)', (fn, roleId) => {
  it('grants exactly the AWS calls the function\'s bundled code imports, no more, no less', async () => {
    const calls = await sdkCallsOfBundle(`functions/${fn}/handler.ts`);
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
