import type { CommandModule } from 'yargs';
import { writeTemplates } from '../../input/template.js';

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
      .example('$0 template --out ./blank', 'write the templates into ./blank') as never,
  handler: async (argv) => {
    const written = await writeTemplates(argv.out);
    for (const path of written) console.log(`wrote ${path}`);
  },
};
