import type { CommandModule } from 'yargs';
import type { DemoArgs } from '../demo-command.js';

/** `lpsync demo` (what `npm start` runs): the sample workbook applied twice to an in-process simulator. */
export const demoCommand: CommandModule<object, DemoArgs> = {
  command: 'demo',
  describe: 'Apply the sample workbook to a simulated Live Platform, twice (the second run is all unchanged)',
  builder: (yargs) =>
    yargs
      .options({
        file: { type: 'string', describe: 'Workbook to apply (default: samples/customers.xlsx)' },
        state: {
          type: 'string',
          describe: 'State store to use (default: a temporary folder, removed afterwards)',
        },
        'reports-dir': { type: 'string', default: 'reports', describe: 'Where the results workbooks go' },
        once: { type: 'boolean', default: false, describe: 'Apply only once' },
        verbose: { type: 'boolean', default: false, describe: 'Debug logging' },
      })
      .example(
        '$0 demo',
        'apply samples/customers.xlsx twice to a simulated Live Platform (what npm start runs)',
      )
      .example('$0 demo --once', 'apply it once')
      .example('$0 demo --file samples/invalid.xlsx', 'see what lpsync says about a workbook with mistakes')
      .example(
        '$0 demo --state /tmp/lpsync-demo.db --reports-dir /tmp/lpsync-reports',
        'keep the state store and reports elsewhere',
      )
      .epilog(
        'Nothing leaves this machine: the simulator listens on a free 127.0.0.1 port and stops with the demo. Exit codes as for apply.',
      ),
  handler: async (argv) => (await import('../demo-command.js')).handleDemo(argv),
};
