import type { CommandModule } from 'yargs';

// Placeholder until its issue lands: registered so that --help lists the whole tool.
export const reconcileCommand: CommandModule = {
  command: 'reconcile',
  describe: 'not built yet',
  handler: () => {
    console.error('lpsync reconcile: not built yet');
    process.exitCode = 2;
  },
};
