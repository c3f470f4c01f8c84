/** src/web's public face: the console `lpsync serve` starts. Nothing but the serve command imports it. */
export { startConsole, type ConsoleOptions, type RunningConsole } from './console.js';

/** Whether an address is this machine's own (127.0.0.0/8, ::1, localhost): the only ones served without accounts. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
