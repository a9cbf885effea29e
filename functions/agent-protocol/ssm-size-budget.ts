/**
 * SSM's one size quota for a command: "The content of the document must not exceed 64KB. This quota also
 * includes the content specified for input parameters at runtime" (CreateDocument API reference). A
 * SendCommand past it fails with MaxDocumentSizeExceeded on a real account while every local test passes,
 * so the sender checks it before any AWS call.
 */
export const SSM_DOCUMENT_QUOTA_BYTES = 65_536;

/** The agent document's share of the quota: the build refuses a larger ssm/eni-pbr-agent.json. */
export const AGENT_DOCUMENT_MAX_BYTES = 32 * 1024;

/** The longest Mode value the document allows ("inspect"). */
export const MODE_PARAMETER_MAX_BYTES = 'inspect'.length;

/**
 * What the quota leaves the Plan parameter, in whole 1,000-character blocks (the unit its allowedPattern
 * counts in): 65,536 - 32,768 - 7 → 32,000 characters of base64, ~24 KB of gzip.
 */
export const PLAN_PARAMETER_MAX_CHARS =
  Math.floor((SSM_DOCUMENT_QUOTA_BYTES - AGENT_DOCUMENT_MAX_BYTES - MODE_PARAMETER_MAX_BYTES) / 1000) * 1000;

export class CommandTooLargeError extends Error {
  constructor(
    readonly documentBytes: number,
    readonly parameterBytes: number,
  ) {
    super(
      `command too large for SSM: document ${documentBytes} bytes + parameters ${parameterBytes} bytes = ` +
        `${documentBytes + parameterBytes} bytes, above SSM's ${SSM_DOCUMENT_QUOTA_BYTES}-byte quota`,
    );
    this.name = 'CommandTooLargeError';
  }
}

/** Bytes the runtime parameters add to the quota: their values, UTF-8 encoded. */
export function parameterBytesOf(parameters: Readonly<Record<string, string>>): number {
  return Object.values(parameters).reduce((sum, value) => sum + Buffer.byteLength(value, 'utf8'), 0);
}

/** Throws CommandTooLargeError when the document plus the parameters would pass SSM's quota. */
export function assertCommandFitsQuota(documentBytes: number, parameters: Readonly<Record<string, string>>): void {
  const parameterBytes = parameterBytesOf(parameters);
  if (documentBytes + parameterBytes > SSM_DOCUMENT_QUOTA_BYTES) throw new CommandTooLargeError(documentBytes, parameterBytes);
}
