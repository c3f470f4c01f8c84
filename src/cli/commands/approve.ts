/**
 * `lpsync approve --plan FILE`: a second person's approval of a saved plan, by its SHA-256, recorded in
 * the state store and its audit trail; refused for the plan's author. `apply --plan FILE --require-approval`
 * then applies it.
 */
import { resolve } from 'node:path';
import type { CommandModule } from 'yargs';
import { EXIT } from '../../model/errors.js';
import * as run from '../../run/index.js';
import type { ApproveResult } from '../../run/index.js';
import { actingUser, identityOptions, type IdentityArgs } from '../identity.js';
import { programName } from '../invocation.js';
import { faultOutcome, printOutcome, type CommandOutcome } from '../outcome.js';

interface ApproveArgs extends IdentityArgs {
  plan: string;
  state: string;
}

export const approveCommand: CommandModule<object, ApproveArgs> = {
  command: 'approve',
  describe: 'Approve a saved plan (by its SHA-256) as a user other than its author',
  builder: (yargs) =>
    yargs
      .options({
        plan: { type: 'string', demandOption: true, describe: 'The plan file plan --out wrote' },
        state: {
          type: 'string',
          default: run.DEFAULT_STATE_PATH,
          describe: 'State store (SQLite) that recorded the plan',
        },
        ...identityOptions,
      })
      .example('$0 approve --plan change-42.plan.json', 'as your OS user')
      .example(
        '$0 approve --plan change-42.plan.json --as bob',
        'as the account bob (its password is asked for)',
      )
      .epilog(
        'The plan must have been made with plan --out and the same --state; its author cannot approve it. With --as, the account must have the role approver.\n\nExit codes: 0 approved (or approved by you before); 2 refused (the author, an unknown or applied plan, a wrong password, a role that may not approve).',
      ) as never,
  handler: async (argv) => printOutcome(await approvePlan(argv, process.env)),
};

/** Who approves, the approval, what it printed. */
export async function approvePlan(args: ApproveArgs, env: NodeJS.ProcessEnv): Promise<CommandOutcome> {
  try {
    const by = await actingUser(args, env);
    const result = await run.approve({
      statePath: args.state,
      planFile: resolve(args.plan),
      by,
      now: () => new Date(),
      program: programName(env),
    });
    return { exitCode: EXIT.ok, stdout: approvedText(result, args.plan, programName(env)), stderr: '' };
  } catch (error) {
    return faultOutcome(error, 'lpsync approve: ');
  }
}

function approvedText(r: ApproveResult, file: string, program: string): string {
  const who = `${r.approval.by}${r.approval.role ? ` (${r.approval.role})` : ''}`;
  return [
    r.recorded
      ? `Approved ${file} (SHA-256 ${r.sha256}) as ${who} at ${r.approval.at}.`
      : `${who} had approved ${file} (SHA-256 ${r.sha256}) at ${r.approval.at}: nothing changed.`,
    `Planned by ${r.plan.by}@${r.plan.host} at ${r.plan.at}; approved by ${r.approvals.map((a) => a.by).join(', ')}.`,
    `To apply it: ${program} apply --plan ${file} <the workbook it was made from> --require-approval`,
  ].join('\n');
}
