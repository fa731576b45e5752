// Mocha root setup: quiet logs (errors only) unless TABSYNTH_LOG_LEVEL asks for more.
import { configureLogging, type LogLevel } from '../src/util/logger.ts';

configureLogging({ level: (process.env.TABSYNTH_LOG_LEVEL as LogLevel | undefined) ?? 'error' });

export const mochaHooks = {};
