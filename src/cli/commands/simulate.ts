import type { CommandModule } from 'yargs';

// Placeholder until its issue lands: registered so that --help lists the whole tool.
export const simulateCommand: CommandModule = {
  command: 'simulate',
  describe: 'not built yet',
  handler: () => {
    console.error('lpsync simulate: not built yet');
    process.exitCode = 2;
  },
};
