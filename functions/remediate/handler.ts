import { SqsFifoPartialProcessorAsync, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { METRIC, logger, metrics } from '../commons/powertools';
import { traced } from '../commons/traced';
import { withPowertools } from '../commons/with-powertools';
import { JobFailedError, messageOf } from '../service/job-errors';
import { processJob } from '../service/process-job';
import { parseJobBody } from './parse-job-body';
import { recordFailure, recordOutcome } from './record-metrics';
import { remediation } from './remediate-deps';

const processor = new SqsFifoPartialProcessorAsync();

/**
 * The FIFO queue's batch, one job per record. A retryable failure fails its record (and, with
 * skipGroupOnError, only the rest of that instance's group) so SQS redelivers it and, after
 * maxReceiveCount, moves it to the DLQ. A permanent failure is logged and counted, and the record
 * succeeds: retrying it could only repeat it.
 */
export async function remediate(event: SQSEvent, context: Context): Promise<SQSBatchResponse> {
  remediation(); // a bad setting fails the invocation here, not every record
  return processPartialResponse(event, remediateRecord, processor, { context, skipGroupOnError: true, throwOnFullBatchFailure: false });
}

async function remediateRecord(record: SQSRecord): Promise<void> {
  const parsed = parseJobBody(record.body);
  if (!parsed.success) {
    logger.error('job rejected', { messageId: record.messageId, reason: parsed.reason });
    metrics.addMetric(METRIC.jobsRejected, MetricUnit.Count, 1);
    return;
  }
  const job = parsed.job;
  const { deps, settings } = remediation();
  logger.setCorrelationId(job.eventId);
  logger.appendKeys({ instanceId: job.instanceId, eniId: job.eniId });
  metrics.addMetric(METRIC.instancesChecked, MetricUnit.Count, 1);
  try {
    const { result, durationMs } = await traced('## remediate job', { instanceId: job.instanceId, trigger: job.trigger }, () => processJob(job, deps, settings));
    recordOutcome(result.outcome, durationMs);
    logger.info('job done', { outcome: result.outcome, reason: result.reason, durationMs: Math.round(durationMs) });
  } catch (error) {
    if (error instanceof JobFailedError) recordFailure(error);
    if (error instanceof JobFailedError && !error.retryable) {
      logger.error('job failed, not retried', { error: messageOf(error.cause) });
      return;
    }
    logger.warn('job failed, will retry', { error: error instanceof JobFailedError ? messageOf(error.cause) : messageOf(error) });
    throw error;
  } finally {
    logger.removeKeys(['instanceId', 'eniId']);
  }
}

export const handler = withPowertools(remediate);
