import type { CommandModule } from 'yargs';

// Placeholder until its issue lands: registered so that --help lists the whole tool.
export const planCommand: CommandModule = {
  command: 'plan',
  describe: 'not built yet',
  handler: () => {
    console.error('lpsync plan: not built yet');
    process.exitCode = 2;
  },
};
