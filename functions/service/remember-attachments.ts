import type { AttachmentMapPort, AttachmentRef, ServiceLogger } from './ports';

/**
 * Teaches the attachment map, best effort: the map only helps a later Detach find its instance (and the
 * audit covers what it misses), so a DynamoDB failure here must never cost the remediation itself.
 */
export async function rememberAttachments(refs: readonly AttachmentRef[], deps: { readonly attachments: AttachmentMapPort; readonly logger: ServiceLogger }): Promise<void> {
  try {
    for (const { attachmentId, instanceId, eniId } of refs) await deps.attachments.remember({ attachmentId, instanceId, eniId });
  } catch (error) {
    deps.logger.warn('attachment map not updated', { error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
  }
}
