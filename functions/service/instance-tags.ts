/**
 * Per-instance choices read from EC2 tags. A tag value eni-pbr does not understand is never guessed
 * at: for `managed` the instance is left alone (said in the log), for the source/dest override the
 * deployment's setting applies.
 */
export const MANAGED_TAG = 'eni-pbr:managed';
export const SOURCE_DEST_TAG = 'eni-pbr:disable-source-dest-check';

export type ManagedTagMode = 'opt-out' | 'opt-in';

/** optedOut: the tags say plainly "not managed" (a value eni-pbr does not understand says nothing). */
export type ManagedDecision = { readonly managed: true } | { readonly managed: false; readonly reason: string; readonly optedOut: boolean };

export function managedDecision(tags: Readonly<Record<string, string>>, mode: ManagedTagMode): ManagedDecision {
  const value = tags[MANAGED_TAG];
  if (value !== undefined && value !== 'true' && value !== 'false') return { managed: false, reason: `tag ${MANAGED_TAG} is neither true nor false`, optedOut: false };
  if (mode === 'opt-in') return value === 'true' ? { managed: true } : { managed: false, reason: `opt-in mode and tag ${MANAGED_TAG} is not true`, optedOut: true };
  return value === 'false' ? { managed: false, reason: `tag ${MANAGED_TAG}=false`, optedOut: true } : { managed: true };
}

export type SourceDestDecision = { readonly disable: boolean; readonly note?: string };

/**
 * The tag can turn the option off for one instance. It cannot turn it on where the deployment has it
 * off: the function then has no ec2:ModifyNetworkInterfaceAttribute permission at all (least privilege).
 */
export function sourceDestDecision(tags: Readonly<Record<string, string>>, deployed: boolean): SourceDestDecision {
  const value = tags[SOURCE_DEST_TAG];
  if (value === undefined) return { disable: deployed };
  if (value !== 'true' && value !== 'false') return { disable: deployed, note: `tag ${SOURCE_DEST_TAG} is neither true nor false; deployment setting used` };
  if (value === 'true' && !deployed) return { disable: false, note: `tag ${SOURCE_DEST_TAG}=true ignored: the option is not deployed` };
  return { disable: value === 'true' };
}
