import pino, { Logger } from 'pino';

/**
 * Structured JSON logs. Personal data must never reach them: fields that could carry it are
 * redacted wherever they appear, as a second line of defence behind not logging them at all.
 */
export function createLogger(level: string, toStderr = false): Logger {
  return pino(
    {
    level,
    base: { service: 'loket' },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'requester',
        '*.requester',
        'nik',
        '*.nik',
        'phone',
        '*.phone',
        'email',
        '*.email',
        'address',
        '*.address',
        'variables',
        '*.variables',
      ],
      censor: '[redacted]',
    },
    },
    pino.destination(toStderr ? 2 : 1),
  );
}
