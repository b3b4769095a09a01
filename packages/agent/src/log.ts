/** Log levels, most severe first. */
export type LogLevel = 'error' | 'warn' | 'info' | 'debug';
const LEVELS: LogLevel[] = ['error', 'warn', 'info', 'debug'];

/** Field names whose values never reach a log line, wherever they are nested. */
const SECRET_KEYS = /pin|password|secret|pkcs8|privatekey/i;

/** A copy of `value` with every secret-looking field replaced, so a careless caller cannot log a PIN. */
export function redact(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  // Deeper than anything the agent logs: never passed through (it could hold a PIN the walk did not reach), and a
  // cycle ends here instead of breaking JSON.stringify.
  if (depth > 6) return '[truncated]';
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, SECRET_KEYS.test(k) ? '[redacted]' : redact(v, depth + 1)]));
}

/** Structured logger: one JSON object per line on stderr. */
export interface Logger {
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that writes lines at `level` and more severe to `write`. */
export function createLogger(level: LogLevel = 'info', write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const max = LEVELS.indexOf(level);
  const at =
    (l: LogLevel) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      if (LEVELS.indexOf(l) > max) return;
      write(`${JSON.stringify({ time: new Date().toISOString(), level: l, message, ...(redact(fields) as object) })}\n`);
    };
  return { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
