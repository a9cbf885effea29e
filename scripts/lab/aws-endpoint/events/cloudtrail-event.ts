import { randomUUID } from 'node:crypto';
import type { Ec2ApiCall } from '../ec2/ec2-service';

/**
 * The `detail` CloudTrail records for a successful EC2 call, shaped like the real AttachNetworkInterface
 * sample in aws-facts.md (an IAM user's call from the CLI). EventBridge delivers it on the default bus
 * with detail-type "AWS API Call via CloudTrail", source aws.ec2.
 */
export function cloudTrailDetail(call: Ec2ApiCall, requestId: string): Record<string, unknown> {
  return {
    eventVersion: '1.08',
    userIdentity: { type: 'IAMUser', principalId: 'AIDAEXAMPLEENIPBRLAB', arn: 'arn:aws:iam::123456789012:user/lab', accountId: '123456789012', userName: 'lab' },
    eventTime: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    eventSource: 'ec2.amazonaws.com',
    eventName: call.eventName,
    awsRegion: 'ap-northeast-1',
    sourceIPAddress: '192.0.2.10',
    userAgent: 'aws-cli/2.17.0 md/command#ec2.attach-network-interface',
    requestParameters: call.requestParameters,
    responseElements: { requestId, ...call.responseElements },
    requestID: requestId,
    eventID: randomUUID(),
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: '123456789012',
    eventCategory: 'Management',
  };
}
