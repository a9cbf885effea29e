import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { EventBridgeResultPublisher, PublishFailedError } from '../../../functions/adapters/eventbridge/result-publisher';

const events = mockClient(EventBridgeClient);
const publisher = () => new EventBridgeResultPublisher(new EventBridgeClient({}), 'ops-bus');

beforeEach(() => events.reset());

describe('EventBridgeResultPublisher', () => {
  it('puts one event from source eni-pbr on the configured bus', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });

    await publisher().publish({ instanceId: 'i-0e1ab00000000a1b2', outcome: 'remediated' });

    expect(events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [{ Source: 'eni-pbr', DetailType: 'ENI PBR Remediation Result', EventBusName: 'ops-bus', Detail: '{"instanceId":"i-0e1ab00000000a1b2","outcome":"remediated"}' }],
    });
  });

  it('raises PublishFailedError when the entry failed inside a 200 response', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'ThrottlingException', ErrorMessage: 'Rate exceeded' }] });

    await expect(publisher().publish({})).rejects.toThrow(new PublishFailedError('PutEvents rejected the result: ThrottlingException: Rate exceeded'));
  });
});
