import type { ServiceLogger } from '../service/ports';
import { logger } from './powertools';

/** The Powertools logger behind the service's logging port (its signature takes no `undefined` fields). */
export const serviceLogger: ServiceLogger = {
  debug: (message, fields) => logger.debug(message, fields ?? {}),
  info: (message, fields) => logger.info(message, fields ?? {}),
  warn: (message, fields) => logger.warn(message, fields ?? {}),
  error: (message, fields) => logger.error(message, fields ?? {}),
};
