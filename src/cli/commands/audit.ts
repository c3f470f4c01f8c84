import type { CommandModule } from 'yargs';
import type { ExportArgs, VerifyArgs } from '../audit-commands.js';
import { stateOption } from './history.js';

const load = () => import('../audit-commands.js');

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
  handler: async (argv) => {
    const { printOutcome, verify } = await load();
    printOutcome(verify(argv));
  },
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
  handler: async (argv) => {
    const { printOutcome, exportTrail } = await load();
    printOutcome(exportTrail(argv));
  },
};

/** `lpsync audit verify|export`. */
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
