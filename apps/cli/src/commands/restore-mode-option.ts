import { Option } from 'commander';

export const RESTORE_MODES = ['safe', 'balanced', 'turbo'] as const;

/** --restore-mode, shared by restore single and restore cluster. */
export function restoreModeOption(): Option {
  return new Option(
    '--restore-mode <mode>',
    'safe: fully logged; balanced: asynchronous commit; turbo: also UNLOGGED loads (always ends durable)',
  )
    .choices(RESTORE_MODES)
    .default('safe');
}
