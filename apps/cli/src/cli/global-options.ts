import { type Command, Option } from 'commander';
import { GLOBAL_SETTING_KEYS, GLOBAL_SETTINGS } from '../config/settings.js';

/**
 * Declares the global flags on the root program. Commander gets no defaults and no validation: both live in
 * resolveConfig(), which also sees the environment and .dbbackup.conf, so one value is checked one way wherever
 * it came from. `argChoices` is set only for help and shell completion.
 */
export function addGlobalOptions(program: Command): void {
  for (const key of GLOBAL_SETTING_KEYS) {
    const setting = GLOBAL_SETTINGS[key];
    const option = new Option(setting.flags, setting.description);
    if (setting.choices) option.argChoices = [...setting.choices];
    program.addOption(option);
  }
}
