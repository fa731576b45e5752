// One winston logger for the whole process, with a child per module. Logs go to stderr so
// that stdout stays free for command output (`--json`, tables).
import winston from 'winston';

/** How log lines are written: aligned text for people, one JSON object per line for tools. */
export type LogFormat = 'text' | 'json';

/** Severity levels, most severe first (winston's npm levels). */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';

/** A module's logger: `log.info('message', { field: value })`. */
export type Logger = winston.Logger;

const root = winston.createLogger({
  level: process.env.TABSYNTH_LOG_LEVEL ?? 'info',
  transports: [makeTransport('text')],
});

/**
 * Returns the logger of one module; its lines carry `module` as a field.
 * @param module short module name, e.g. 'transform' or 'train'
 */
export function getLogger(module: string): Logger {
  return root.child({ module });
}

/**
 * Sets the format and level of every logger, existing children included.
 * @param options.format 'text' (default) or 'json'
 * @param options.level default: $TABSYNTH_LOG_LEVEL, else 'info'
 */
export function configureLogging(options: { format?: LogFormat; level?: LogLevel }): void {
  root.clear();
  root.add(makeTransport(options.format ?? 'text'));
  root.level = options.level ?? process.env.TABSYNTH_LOG_LEVEL ?? 'info';
}

function makeTransport(format: LogFormat): winston.transport {
  const stderrLevels = ['error', 'warn', 'info', 'debug', 'verbose', 'silly'];
  if (format === 'json') {
    return new winston.transports.Console({
      stderrLevels,
      format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
    });
  }
  return new winston.transports.Console({
    stderrLevels,
    format: winston.format.printf((info) => {
      const { level, message, module, timestamp, ...fields } = info;
      void timestamp;
      const prefix = level === 'info' ? '' : `${String(level).toUpperCase()} `;
      const where = module ? `[${String(module)}] ` : '';
      const extra = Object.keys(fields).length > 0 ? ` ${formatFields(fields)}` : '';
      return `${prefix}${where}${String(message)}${extra}`;
    }),
  });
}

// Text logs show fields as key=value after the message; nested values as JSON.
function formatFields(fields: Record<string | symbol, unknown>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key}=${typeof value === 'object' ? JSON.stringify(value) : value}`)
    .join(' ');
}
