import type { CommandModule } from 'yargs';

// Placeholder until its issue lands: registered so that --help lists the whole tool.
export const demoCommand: CommandModule = {
  command: 'demo',
  describe: 'not built yet',
  handler: () => {
    console.error('lpsync demo: not built yet');
    process.exitCode = 2;
  },
};
