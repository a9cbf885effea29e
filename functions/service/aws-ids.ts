import { z } from 'zod';

/**
 * EC2 ids as EC2 issues them: a prefix and 8 (older resources) or 17 lowercase hex digits. Anything
 * else (upper case, padding, a path, an ARN) is refused before it reaches a log line, a key or an API.
 */
const idOf = (prefix: string) => z.string().regex(new RegExp(`^${prefix}-([0-9a-f]{8}|[0-9a-f]{17})$`), `not a well-formed ${prefix}- id (8 or 17 lowercase hex digits)`);

export const InstanceIdSchema = idOf('i');
export const EniIdSchema = idOf('eni');
export const AttachmentIdSchema = idOf('eni-attach');
export const SubnetIdSchema = idOf('subnet');
