/** `lpsync template [--out DIR]`: the blank workbook and CSV templates, generated from the field catalogue. */
import type { CommandModule } from 'yargs';
import { EXIT } from '../../model/errors.js';
import * as run from '../../run/index.js';

export interface TemplateArgs {
  out: string;
}

export const templateCommand: CommandModule<object, TemplateArgs> = {
  command: 'template',
  describe: 'Write the blank workbook (lpsync-template.xlsx) and CSV templates',
  builder: (yargs) =>
    yargs
      .option('out', { type: 'string', default: 'templates', describe: 'Folder to write the templates into' })
      .example('$0 template', 'write templates/lpsync-template.xlsx, customers.csv and sip-connections.csv')
      .example('$0 template --out ./blank', 'write them into ./blank'),
  handler: async (argv) => {
    try {
      const { written } = await run.template({ out: argv.out });
      for (const path of written) console.log(`wrote ${path}`);
    } catch (error) {
      console.error(`lpsync template: cannot write into ${argv.out}: ${(error as Error).message}`);
      process.exitCode = EXIT.fatal;
    }
  },
};
