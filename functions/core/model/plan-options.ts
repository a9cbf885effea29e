/** What the operator chooses; the defaults live in ../defaults.ts. */
export interface PlanOptions {
  readonly tableRange: { readonly min: number; readonly max: number };
  readonly priorityRange: { readonly min: number; readonly max: number };
  readonly managePrimary: boolean;
  readonly connmark: 'auto' | 'always' | 'never'; // auto: when the host NATs or forwards
  readonly markMask: number;
  readonly overrideForeign: boolean; // add eni-pbr's own rules ahead of contradicting foreign ones
  readonly addMissingAddresses: boolean;
}
