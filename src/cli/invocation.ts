/**
 * How the person ran lpsync, so that every command lpsync prints for them to type works as
 * printed: `npx lpsync …` inside the checkout (npx sets npm_lifecycle_event=npx; npm scripts set
 * npm_package_name), plain `lpsync …` when it is on PATH (npm install -g, npm link). Sample files
 * are named relative to the checkout when run from its root, by their installed path otherwise.
 */
import { join, relative, resolve, sep } from 'node:path';
import { packageRoot } from './version.js';

/** `npx lpsync` when npm started this process in the checkout, `lpsync` otherwise. */
export function programName(env: NodeJS.ProcessEnv): string {
  return env.npm_lifecycle_event === 'npx' || env.npm_package_name === 'lpsync' ? 'npx lpsync' : 'lpsync';
}

/** A file of the shipped samples as it can be typed from `cwd`: `samples/customers.xlsx` in the checkout's root. */
export function samplePath(name: string, cwd: string, root: string | null = packageRoot()): string {
  const file = root ? join(root, 'samples', name) : join('samples', name);
  const relativePath = relative(cwd, resolve(file));
  const shown =
    relativePath.startsWith('..') || resolve(relativePath) === relativePath
      ? resolve(file)
      : relativePath.split(sep).join('/');
  // Quoted when the shell would split or expand it (a home folder with a space).
  return /[\s'"$`\\]/.test(shown) ? `'${shown.replace(/'/g, "'\\''")}'` : shown;
}

/** Both, for the hints of the input options (`inputSourceFrom`). */
export function invocation(
  env: NodeJS.ProcessEnv,
  cwd: string,
): { program: string; sample: (name: string) => string } {
  return { program: programName(env), sample: (name) => samplePath(name, cwd) };
}
