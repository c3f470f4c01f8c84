/** `lpsync audit verify|export`: the tamper-evident audit trail checked, or exported for a third party. */
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { EXIT } from '../../model/errors.js';
import * as run from '../../run/index.js';
import { verifyText } from '../audit-view.js';
import { programName } from '../invocation.js';
import { faultOutcome, printOutcome, type CommandOutcome } from '../outcome.js';
import { stateOption } from './history.js';

export interface VerifyArgs {
  state: string;
  head?: string | undefined;
  format: 'text' | 'json';
  [key: string]: unknown;
}

export interface ExportArgs {
  state: string;
  out: string;
  [key: string]: unknown;
}

const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify',
  describe: 'Check the audit chain and every table against it; names the first broken entry',
  builder: (yargs) =>
    yargs
      .options({
        state: stateOption,
        head: {
          type: 'string',
          describe: 'A head hash kept elsewhere (from audit export or a report): must be in the chain',
        },
        format: { choices: ['text', 'json'] as const, default: 'text' as const, describe: 'Text or JSON' },
      })
      .example('$0 audit verify', 'exit 0 intact, 1 not')
      .example('$0 audit verify --head 3f1c…', 'and the chain still holds the head you kept')
      .epilog('Reads the state store only: no lock, nothing written.'),
  handler: async (argv) => printOutcome(await verify(argv)),
};

const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe: 'Write the audit chain as JSON lines that sha256sum and jq can verify (see README, Audit)',
  builder: (yargs) =>
    yargs
      .options({
        state: stateOption,
        out: { type: 'string', demandOption: true, describe: 'The JSON lines file to write' },
      })
      .example('$0 audit export --out trail.jsonl', 'prints the head hash to keep elsewhere'),
  handler: async (argv) => printOutcome(await exportTrail(argv)),
};

export const auditCommand: CommandModule = {
  command: 'audit <command>',
  describe: 'Check the tamper-evident audit trail (verify) or export it for a third party (export)',
  builder: (yargs) =>
    yargs
      .command(verifyCommand as CommandModule)
      .command(exportCommand as CommandModule)
      .demandCommand(1, 'Name one: audit verify, audit export'),
  handler: () => undefined,
};

/** `lpsync audit verify`: exit 0 intact, 1 not (naming the first broken entry). Reads only. */
export async function verify(args: VerifyArgs): Promise<CommandOutcome> {
  try {
    const head = args.head === undefined ? undefined : String(args.head).trim().toLowerCase();
    const verdict = await run.auditVerify({ statePath: args.state, ...(head === undefined ? {} : { head }) });
    return {
      exitCode: verdict.ok ? EXIT.ok : EXIT.rowsFailed,
      stdout: args.format === 'json' ? JSON.stringify(verdict, null, 2) : verifyText(verdict, args.state),
      stderr: '',
    };
  } catch (error) {
    return faultOutcome(error);
  }
}

/** `lpsync audit export --out trail.jsonl`: the chain as JSON lines; prints the head hash to keep. */
export async function exportTrail(args: ExportArgs): Promise<CommandOutcome> {
  try {
    const r = await run.auditExport({ statePath: args.state, out: resolve(args.out) });
    const program = programName(process.env);
    const lines = [
      `Exported ${r.entries} audit entries${r.first !== null && r.head ? ` (${r.first}–${r.head.seq})` : ''} to ${args.out}`,
      `Head: ${r.head?.hash ?? 'none (empty chain)'}`,
      `Keep the head hash somewhere else (a ticket, an e-mail): \`${program} audit verify --head HASH\` and the procedure in the README check against it.`,
    ];
    if (!r.verdict.ok)
      lines.push(
        `Warning: the store fails its own check: ${r.verdict.problems[0]?.message ?? ''} (${program} audit verify)`,
      );
    return { exitCode: r.verdict.ok ? EXIT.ok : EXIT.rowsFailed, stdout: lines.join('\n'), stderr: '' };
  } catch (error) {
    return faultOutcome(error);
  }
}
