import type { CommandModule } from 'yargs';

// Placeholder until its issue lands: registered so that --help lists the whole tool.
export const applyCommand: CommandModule = {
  command: 'apply',
  describe: 'not built yet',
  handler: () => {
    console.error('lpsync apply: not built yet');
    process.exitCode = 2;
  },
};
