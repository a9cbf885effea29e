import type { InstancePort, InterfaceSummary, ServiceLogger } from './ports';

export interface SourceDestResult {
  /** ENIs whose check was turned off now (fix mode) */
  readonly disabled: readonly string[];
  /** ENIs whose check is on and would be turned off (check mode: nothing sent) */
  readonly wouldDisable: readonly string[];
}

export const NO_SOURCE_DEST_CHANGE: SourceDestResult = { disabled: [], wouldDisable: [] };

/**
 * SourceDestCheck=false on the secondary ENIs only (the article's alternative for forwarded traffic):
 * the primary keeps EC2's protection, and an ENI already off is left alone (idempotent).
 */
export async function disableSecondarySourceDestCheck(
  interfaces: readonly InterfaceSummary[],
  apply: boolean,
  deps: { readonly instances: Pick<InstancePort, 'disableSourceDestCheck'>; readonly logger: ServiceLogger },
): Promise<SourceDestResult> {
  const targets = interfaces.filter((eni) => (eni.deviceIndex !== 0 || eni.networkCardIndex !== 0) && eni.sourceDestCheck).map((eni) => eni.eniId);
  if (!apply) {
    if (targets.length > 0) deps.logger.info('source/dest check would be disabled', { eniIds: targets });
    return { disabled: [], wouldDisable: targets };
  }
  for (const eniId of targets) {
    await deps.instances.disableSourceDestCheck(eniId);
    deps.logger.info('source/dest check disabled', { eniId, before: true, after: false });
  }
  return { disabled: targets, wouldDisable: [] };
}
