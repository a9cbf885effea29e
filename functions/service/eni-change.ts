/** An accepted EventBridge event, reduced to what the intake acts on (the schemas in functions/intake build it). */
export type EniChange =
  | { readonly kind: 'attached'; readonly instanceId: string; readonly eniId: string; readonly attachmentId: string }
  | { readonly kind: 'detached'; readonly attachmentId: string }
  | { readonly kind: 'addresses-changed'; readonly trigger: AddressTrigger; readonly eniId: string }
  | { readonly kind: 'launched'; readonly instances: readonly LaunchedInstance[] }
  | { readonly kind: 'running'; readonly instanceId: string }
  // CreateTags/DeleteTags touching eni-pbr:managed: each instance is looked at again (opted out: remove)
  | { readonly kind: 'managed-tag-changed'; readonly trigger: TagTrigger; readonly instanceIds: readonly string[] };

export type TagTrigger = 'CreateTags' | 'DeleteTags';

export type AddressTrigger = 'AssignPrivateIpAddresses' | 'UnassignPrivateIpAddresses' | 'AssignIpv6Addresses' | 'UnassignIpv6Addresses';

export interface LaunchedInstance {
  readonly instanceId: string;
  readonly attachments: readonly { readonly eniId: string; readonly attachmentId: string }[];
}

export interface IntakeEvent {
  /** CloudTrail eventID, or the EventBridge event id for a state-change notification */
  readonly eventId: string;
  readonly eventTime: string;
  readonly account: string;
  readonly region: string;
  readonly change: EniChange;
}
