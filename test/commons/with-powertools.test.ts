import { testContext } from '../helpers/service-env';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { metrics } from '../../functions/commons/powertools';
import { handler } from '../../functions/intake/handler';
import { attachDetail, cloudTrailEvent } from '../intake/cloudtrail-events';

const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBClient);

describe('withPowertools', () => {
  it('runs the raw handler inside the middlewares and flushes the metrics after it', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    dynamo.on(PutItemCommand).resolves({});
    const publish = jest.spyOn(metrics, 'publishStoredMetrics');

    const summary = await handler(cloudTrailEvent(attachDetail()), testContext);

    expect(summary).toEqual({ accepted: true, jobs: 1 });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageCommand, 1);
    expect(publish).toHaveBeenCalled();
  });

  it('fails the first invocation with the name of a missing setting', async () => {
    const saved = process.env.ENI_PBR_QUEUE_URL;
    delete process.env.ENI_PBR_QUEUE_URL;
    try {
      let fresh: typeof handler | undefined;
      jest.isolateModules(() => {
        fresh = jest.requireActual<{ handler: typeof handler }>('../../functions/intake/handler').handler;
      });
      await expect(fresh?.(cloudTrailEvent(attachDetail()), testContext)).rejects.toThrow('setting ENI_PBR_QUEUE_URL is missing');
    } finally {
      process.env.ENI_PBR_QUEUE_URL = saved;
    }
  });
});
