import { JobFailedError } from './job-errors';
import type { ResultPublisherPort } from './ports';
import { remediateJob, type JobResult, type RemediateJobDeps } from './remediate-job';
import type { RemediateSettings } from './remediate-settings';
import type { RemediationJob } from './remediation-job';
import { failureDetail, successDetail } from './result-detail';

export interface ProcessedJob {
  readonly result: JobResult;
  readonly durationMs: number;
}

/**
 * remediateJob, timed, with its outcome published either way. A failure is published and rethrown; a
 * publish that fails after a failure is logged, never allowed to hide the failure itself.
 */
export async function processJob(job: RemediationJob, deps: RemediateJobDeps & { readonly results: ResultPublisherPort }, settings: RemediateSettings): Promise<ProcessedJob> {
  const started = deps.clock.now();
  let result: JobResult;
  try {
    result = await remediateJob(job, deps, settings);
  } catch (error) {
    if (!(error instanceof JobFailedError)) throw error;
    try {
      await deps.results.publish(failureDetail(job, settings.mode, error, deps.clock.now() - started));
    } catch (publishError) {
      deps.logger.warn('failure result not published', { error: publishError instanceof Error ? publishError.message : String(publishError) });
    }
    throw error;
  }
  const durationMs = deps.clock.now() - started;
  await deps.results.publish(successDetail(job, settings.mode, result, durationMs));
  return { result, durationMs };
}
