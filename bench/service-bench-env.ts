// Imported first by the service bench: the test settings, then Powertools as deployed (INFO logs, EMF on).
import '../test/helpers/service-env';

Object.assign(process.env, { POWERTOOLS_LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'INFO', POWERTOOLS_METRICS_DISABLED: process.env.BENCH_METRICS ?? 'false' });
