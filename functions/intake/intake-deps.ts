import { DynamoDbAttachmentMap } from '../adapters/attachments/dynamodb-attachment-map';
import { Ec2Interfaces } from '../adapters/ec2/ec2-interfaces';
import { SqsJobQueue } from '../adapters/sqs/sqs-job-queue';
import { dynamoDbClient, ec2Client, sqsClient } from '../commons/clients';
import { intakeConfig } from '../commons/config';
import { serviceLogger } from '../commons/service-logger';
import type { IntakeDeps } from '../service/intake-event';

let deps: (IntakeDeps & { readonly region: string }) | undefined;

/** The intake's adapters over the module-scope clients, built at the first invocation (config read once). */
export function intakeDeps(): IntakeDeps & { readonly region: string } {
  if (deps === undefined) {
    const config = intakeConfig();
    return (deps = {
      region: config.AWS_REGION,
      interfaces: new Ec2Interfaces(ec2Client),
      attachments: new DynamoDbAttachmentMap(dynamoDbClient, config.ENI_PBR_ATTACHMENTS_TABLE),
      queue: new SqsJobQueue(sqsClient, config.ENI_PBR_QUEUE_URL),
      logger: serviceLogger,
    });
  }
  return deps;
}
