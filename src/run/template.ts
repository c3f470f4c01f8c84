/** `template`: the blank workbook and CSV templates, generated from the field catalogue. */
import { writeTemplates } from '../input/template.js';

export interface TemplateOptions {
  /** The folder to write into (made when missing). */
  out: string;
}

/** Writes the templates; returns the files written. A folder that cannot be written throws the file system's error. */
export async function writeTemplate(options: TemplateOptions): Promise<{ written: string[] }> {
  return { written: await writeTemplates(options.out) };
}
