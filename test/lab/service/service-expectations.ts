import { accessKeyOf } from '../../../scripts/lab/service/deploy-template';
import type { EndpointCall } from '../../../scripts/lab/aws-endpoint/aws-endpoint';
import type { InvocationRecord } from '../../../scripts/lab/lambda-harness/lambda-environment';

/** CONTRACT.md, "AWS API calls per function": what IAM grants each role. The endpoint checks no IAM, so the test does. */
const GRANTED: Readonly<Record<string, readonly string[]>> = {
  intake: ['ec2:DescribeNetworkInterfaces', 'sqs:SendMessage', 'dynamodb:GetItem', 'dynamodb:PutItem'],
  remediate: [
    'ssm:DescribeInstanceInformation',
    'ssm:SendCommand',
    'ssm:GetCommandInvocation',
    'ssm:CancelCommand',
    'ec2:DescribeNetworkInterfaces',
    'ec2:DescribeSubnets',
    'ec2:DescribeInstances',
    'ec2:ModifyNetworkInterfaceAttribute',
    'events:PutEvents',
    'dynamodb:PutItem',
    'dynamodb:GetItem', // the pending-removals table (iam-scoping.test.ts: that table only)
    'dynamodb:DeleteItem',
  ],
};

export function expectContractCalls(calls: readonly EndpointCall[]): void {
  for (const [fn, granted] of Object.entries(GRANTED)) {
    const made = calls.filter((call) => call.caller === accessKeyOf(fn)).map((call) => `${call.service}:${call.operation}`);
    expect({ fn, notGranted: made.filter((call) => !granted.includes(call)) }).toEqual({ fn, notGranted: [] });
  }
}

/** Every line a function wrote is a Powertools JSON entry (or Metrics' one plain notice): no crash text. */
export function expectPowertoolsOutput(invocation: InvocationRecord): void {
  const plain = invocation.lines.filter((line) => !line.startsWith('No application metrics')).filter((line) => {
    try {
      return typeof JSON.parse(line) !== 'object';
    } catch {
      return true;
    }
  });
  expect({ fn: invocation.functionKey, plain }).toEqual({ fn: invocation.functionKey, plain: [] });
}
