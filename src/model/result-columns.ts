/** The columns lpsync adds after the input's own in its results workbook, in order. */
export const RESULT_COLUMNS = [
  'Action',
  'Status',
  'Customer GUID',
  'Site GUID',
  'Deployment State',
  'Messages',
  'Error',
  'Attempts',
  'Duration (ms)',
] as const;

export type ResultColumn = (typeof RESULT_COLUMNS)[number];
