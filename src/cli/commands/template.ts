import type { CommandModule } from 'yargs';

// Placeholder until its issue lands: registered so that --help lists the whole tool.
export const templateCommand: CommandModule = {
  command: 'template',
  describe: 'not built yet',
  handler: () => {
    console.error('lpsync template: not built yet');
    process.exitCode = 2;
  },
};
