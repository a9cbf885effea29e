import { randomUUID } from 'node:crypto';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { SSMClient } from '@aws-sdk/client-ssm';
import { Ec2Fleet } from '../adapters/ec2/ec2-fleet';
import { CommandOutputLogs } from '../adapters/logs/command-output-logs';
import { AGENT_DOCUMENT_BYTES } from '../adapters/ssm/document-bytes';
import { SsmFleetCommand } from '../adapters/ssm/ssm-fleet-command';
import { SqsJobBatches } from '../adapters/sqs/sqs-job-batches';
import { auditSettings } from '../audit/audit-wiring';
import { auditFleet } from '../service/audit/audit-fleet';
import { systemClock, type AuditClock } from '../service/audit/audit-ports';
import { parseAuditRequest } from '../service/audit/audit-request';
import type { AuditCommand } from './audit-arguments';
import { auditExitCode } from './audit-exit-code';
import { auditProgress } from './audit-progress';
import type { CliIo } from './cli-io';
import type { ExitCode } from './exit-codes';
import { renderAudit } from './render-audit';
import { stderrLogger } from './stderr-logger';

/**
 * `eni-pbr audit`: the function's use case with the operator's own credentials (the SDK's default chain,
 * or --profile) — the same requests, batches and report. No queue of its own: --fix enqueues on the
 * deployed stack's queue (--queue-url), so a fix from the CLI takes the path an event's fix takes.
 */
export async function runAudit(command: AuditCommand, io: CliIo, clock: AuditClock = systemClock, terminal = process.stderr.isTTY === true): Promise<ExitCode> {
  const request = parseAuditRequest(command.request);
  const config = { region: command.region, ...(command.profile === undefined ? {} : { profile: command.profile }), retryMode: 'adaptive', maxAttempts: 5 };
  const progress = auditProgress(terminal && !command.verbose);
  try {
    const report = await auditFleet(
      request,
      {
        ec2: new Ec2Fleet(new EC2Client(config)),
        ssm: new SsmFleetCommand(new SSMClient(config), { documentName: command.documentName, documentVersion: '$DEFAULT', logGroup: command.logGroup, documentBytes: AGENT_DOCUMENT_BYTES }),
        output: new CommandOutputLogs(new CloudWatchLogsClient(config), command.logGroup),
        ...(command.queueUrl === undefined ? {} : { queue: new SqsJobBatches(new SQSClient(config), command.queueUrl) }),
        clock,
        auditId: randomUUID(),
        logger: stderrLogger(command.verbose, io.stderr),
        onProgress: progress.update,
      },
      auditSettings({ ENI_PBR_MANAGED_TAG_MODE: command.managedTagMode, ENI_PBR_MANAGE_PRIMARY: false, ENI_PBR_CONNMARK: 'auto', ENI_PBR_COMMAND_TIMEOUT_SECONDS: 150 }),
    );
    progress.stop();
    io.stdout(command.json ? `${JSON.stringify(report, null, 2)}\n` : renderAudit(report));
    return auditExitCode(report);
  } finally {
    progress.stop();
  }
}
