import { IFNAME_PATTERN, validateString } from './field-validators';
import { InvalidValueError } from './invalid-value-error';

/**
 * Names the inspect document only reports (issue 14, item 5). The kernel allows far more in a link
 * name than eni-pbr can use (`wg+vpn`, `tun@x`, `$(x)`): such a name is carried as opaque text, never
 * put in a plan, and the host is not failed for it. Only what the kernel itself refuses
 * (net/core/dev.c dev_valid_name: empty, over 15 bytes, `.`, `..`, `/`, `:` or ASCII white space) means
 * the document is not an `ip -j` listing.
 */
const KERNEL_FORBIDDEN = /[/:\t\n\v\f\r ]/;
const IFNAMSIZ_BYTES = 15;
const MAX_TEXT = 64; // bounds the work on a hostile value before its bytes are counted
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const encoder = new TextEncoder();

/** A link name as the kernel allows it, control characters escaped (the name reaches logs and terminals). */
export function readKernelIfname(field: string, value: unknown): string {
  const text = validateString(field, value, MAX_TEXT);
  const bytes = encoder.encode(text).length;
  if (bytes === 0 || bytes > IFNAMSIZ_BYTES || text === '.' || text === '..' || KERNEL_FORBIDDEN.test(text)) {
    throw new InvalidValueError(field, 'not a name the kernel allows', value);
  }
  return escapeControl(text);
}

/** Text only reported (a host name, an address label): bounded, one line, control characters escaped. */
export function readOpaqueText(field: string, value: unknown, maxLength: number): string {
  if (typeof value !== 'string') throw new InvalidValueError(field, 'not a string', value);
  return escapeControl(value.slice(0, maxLength));
}

/** A name the agent can act on (docs/agent-protocol.md): the only names a plan may be built around. */
export function isUsableIfname(name: string): boolean {
  return IFNAME_PATTERN.test(name);
}

function escapeControl(text: string): string {
  return text.replace(CONTROL, (character) => `\\x${character.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
