// One-line JSON logs on stdout; quiet in tests unless LOG_LEVEL asks for more.
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Logger = Record<Level, (message: string, fields?: Record<string, unknown>) => void>;

const order: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function createLogger(minimum: Level, write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const at = (level: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (order[level] < order[minimum]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level, message, ...fields }));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
