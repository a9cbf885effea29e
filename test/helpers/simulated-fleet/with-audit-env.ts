// Imported first (for its effect): the audit's environment is in place before any commons module reads it.
import { setAuditEnv } from './audit-env';

setAuditEnv();
