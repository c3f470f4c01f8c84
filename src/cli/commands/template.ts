import type { CommandModule } from 'yargs';
import { writeTemplates } from '../../input/template.js';
import { EXIT } from '../../model/errors.js';

export interface TemplateArgs {
  out: string;
}

/** `lpsync template [--out DIR]`: the blank workbook and CSV templates, generated from the field catalogue. */
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
      for (const path of await writeTemplates(argv.out)) console.log(`wrote ${path}`);
    } catch (error) {
      console.error(`lpsync template: cannot write into ${argv.out}: ${(error as Error).message}`);
      process.exitCode = EXIT.fatal;
    }
  },
};
