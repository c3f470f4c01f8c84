/** Where the state store lives unless `--state` says otherwise. */
export const DEFAULT_STATE_PATH = './.lpsync/state.db';
/** Where the team's accounts live unless `--users` says otherwise (beside the state store). */
export const DEFAULT_USERS_PATH = './.lpsync/users.json';
