import * as ec2 from '@aws-sdk/client-ec2';

/**
 * EC2 answers in XML whose element names are the SDK model's `xmlName` traits (`networkInterfaceSet`,
 * `privateIpAddressesSet`, `instanceState`, list members `item`). Rather than hand-write those names,
 * this walks the client's own schema for the operation's output, so an SDK-shaped object (the lab's
 * DescribeNetworkInterfaces JSON) serialises exactly as the client will parse it.
 */
type Traits = { readonly xmlName?: string };
type SchemaRef = number | string | (() => unknown) | readonly unknown[];

const STRUCTURE = 3;
const LIST = 1;
const OPERATION = 9;
const LIST_MODIFIER = 64; // a simple type | 64: a list of that type

function resolve(ref: SchemaRef): unknown {
  return typeof ref === 'function' ? ref() : ref;
}

/** A member is `schema`, or `[schema, traits]` when it carries traits. */
function splitMember(member: unknown): { schema: unknown; traits: Traits } {
  if (Array.isArray(member) && member.length === 2 && (typeof member[1] === 'object' || member[1] === 0) && !Array.isArray(member[1])) {
    return { schema: resolve(member[0] as SchemaRef), traits: (member[1] || {}) as Traits };
  }
  return { schema: resolve(member as SchemaRef), traits: {} };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function scalar(value: unknown): string {
  // Not instanceof: a Date from another realm (structuredClone, jest's sandbox) is still a Date.
  if (Object.prototype.toString.call(value) === '[object Date]') return (value as Date).toISOString();
  return escapeXml(String(value));
}

function writeValue(schema: unknown, value: unknown): string {
  if (Array.isArray(schema) && schema[0] === STRUCTURE) return writeStructure(schema, value as Record<string, unknown>);
  if (Array.isArray(schema) && schema[0] === LIST) {
    const { schema: itemSchema, traits } = splitMember(schema[4]);
    const tag = traits.xmlName ?? 'item';
    return (value as unknown[]).map((item) => `<${tag}>${writeValue(itemSchema, item)}</${tag}>`).join('');
  }
  if (typeof schema === 'number' && (schema & LIST_MODIFIER) !== 0) {
    return (value as unknown[]).map((item) => `<item>${scalar(item)}</item>`).join('');
  }
  return scalar(value);
}

function writeStructure(schema: readonly unknown[], value: Record<string, unknown>): string {
  const names = schema[4] as readonly string[];
  const members = schema[5] as readonly unknown[];
  return names
    .map((name, index) => {
      const field = value[name];
      if (field === undefined || field === null) return '';
      const { schema: memberSchema, traits } = splitMember(members[index]);
      const tag = traits.xmlName ?? name.charAt(0).toLowerCase() + name.slice(1);
      return `<${tag}>${writeValue(memberSchema, field)}</${tag}>`;
    })
    .join('');
}

/** Whether the EC2 client models this action (its schema is exported as `<Action>$`). */
export function isEc2Operation(action: string): boolean {
  const operation = (ec2 as Record<string, unknown>)[`${action}$`];
  return Array.isArray(operation) && operation[0] === OPERATION;
}

/** `<ActionResponse>` with the request id and the output's members; void outputs say `<return>true</return>` as EC2 does. */
export function writeEc2Response(action: string, requestId: string, output: Record<string, unknown>): string {
  const operation = (ec2 as Record<string, unknown>)[`${action}$`] as readonly unknown[];
  const outputSchema = resolve(operation[5] as SchemaRef);
  const body = Array.isArray(outputSchema) && outputSchema[0] === STRUCTURE ? writeStructure(outputSchema, output) : '<return>true</return>';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>${requestId}</requestId>${body}</${action}Response>`;
}

/** EC2's error document (the query protocol's `Response/Errors/Error`). */
export function writeEc2Error(requestId: string, code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;
}
