import { writeTemplates } from '../input/template.js';
import { EXIT } from '../model/errors.js';

export interface TemplateArgs {
  out: string;
}

/** `lpsync template`, loaded only when the command runs. */
export async function handleTemplate(argv: TemplateArgs): Promise<void> {
  try {
    for (const path of await writeTemplates(argv.out)) console.log(`wrote ${path}`);
  } catch (error) {
    console.error(`lpsync template: cannot write into ${argv.out}: ${(error as Error).message}`);
    process.exitCode = EXIT.fatal;
  }
}
