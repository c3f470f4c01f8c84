/** The choices of --notify-format and --notify-on (light: the CLI's help reads them). */
export const NOTIFY_FORMATS = ['json', 'teams', 'slack'] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];
export const NOTIFY_ON = ['failure', 'change', 'always'] as const;
export type NotifyOn = (typeof NOTIFY_ON)[number];
