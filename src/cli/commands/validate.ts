import type { CommandModule } from 'yargs';

// Placeholder until its issue lands: registered so that --help lists the whole tool.
export const validateCommand: CommandModule = {
  command: 'validate',
  describe: 'not built yet',
  handler: () => {
    console.error('lpsync validate: not built yet');
    process.exitCode = 2;
  },
};
