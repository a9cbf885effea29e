import { randomUUID } from 'node:crypto';
import { auditConfig } from '../commons/config';
import { logger } from '../commons/powertools';
import { withPowertools } from '../commons/with-powertools';
import { auditFleet } from '../service/audit/audit-fleet';
import { systemClock, type AuditClock } from '../service/audit/audit-ports';
import type { AuditReport } from '../service/audit/audit-report';
import { InvalidAuditRequestError, parseAuditRequest } from '../service/audit/audit-request';
import { auditResultDetails } from '../service/audit/audit-result-events';
import { auditWiring } from './audit-wiring';
import { recordAudit, returnable } from './record-audit';

/**
 * `audit`: a console test event, an `ENI PBR Audit Requested` custom event or the schedule's input →
 * the fleet's report (logged, as metrics, on the bus, and returned). A bad request throws before any call.
 * The clock is bound here, not passed as a third argument: middy passes its own third argument ({ signal }).
 */
export function auditWith(clock: AuditClock) {
  return (event: unknown): Promise<AuditReport> => audit(event, clock);
}

/** The raw handler (tests), on the system clock. */
export const auditHandler = auditWith(systemClock);

async function audit(event: unknown, clock: AuditClock): Promise<AuditReport> {
  const config = auditConfig();
  let request;
  try {
    request = parseAuditRequest(event);
    if (request.mode === 'fix' && config.ENI_PBR_MODE === 'check') {
      throw new InvalidAuditRequestError('mode fix refused: this deployment runs with ENI_PBR_MODE=check (it applies nothing); nothing was sent');
    }
  } catch (error) {
    if (error instanceof InvalidAuditRequestError) logger.error('audit request refused', { error: error.message });
    throw error;
  }
  const wiring = auditWiring(config);
  const auditId = randomUUID();
  logger.appendKeys({ auditId });
  const report = await auditFleet(request, { ...wiring, clock, auditId, logger: auditLogger }, wiring.settings);
  const unpublished = await wiring.publisher.publishAll(auditResultDetails(report));
  recordAudit(report, unpublished);
  return returnable(report);
}

// Powertools' Logger takes its fields as a second argument that may not be undefined.
const auditLogger = {
  debug: (message: string, fields?: Record<string, unknown>) => logger.debug(message, fields ?? {}),
  info: (message: string, fields?: Record<string, unknown>) => logger.info(message, fields ?? {}),
  warn: (message: string, fields?: Record<string, unknown>) => logger.warn(message, fields ?? {}),
};

export const handler = withPowertools(auditHandler);
