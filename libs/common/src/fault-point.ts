import type { IncomingHttpHeaders } from 'node:http';

/** The header a test sends to name the point at which its request's process is to die. */
export const FAULT_POINT_HEADER = 'x-fault-point';

/**
 * Kills this process with SIGKILL, as a crash or the OOM killer would, when fault injection is
 * enabled (FAULT_INJECTION, never in production) and the request names this point: a
 * process-level test can then show what a death at exactly this point leaves behind.
 */
export function faultPoint(enabled: boolean, headers: IncomingHttpHeaders, name: string): void {
  if (enabled && headers[FAULT_POINT_HEADER] === name) process.kill(process.pid, 'SIGKILL');
}
