/** Where the state store lives unless `--state` says otherwise. */
export const DEFAULT_STATE_PATH = './.lpsync/state.db';
