import { commandAction } from '../cli/command-action.js';
import { addExamples } from '../cli/help-examples.js';
import { renderKeyValues } from '../output/render-table.js';
import { CLI_VERSION } from '../version.js';
import type { CommandModule } from './command-module.js';

export interface VersionInfo {
  version: string;
  node: string;
  platform: NodeJS.Platform;
  arch: string;
}

export const versionCommand: CommandModule = {
  register(parent) {
    const command = parent.command('version').description('print the dbbackup version, Node.js version and platform');
    addExamples(command, [
      { description: 'show the versions', command: 'dbbackup version' },
      { description: 'the same as one JSON document, for scripts', command: 'dbbackup version --format json' },
    ]);
    return command.action(
      commandAction(({ output }) => {
        const info: VersionInfo = {
          version: CLI_VERSION,
          node: process.versions.node,
          platform: process.platform,
          arch: process.arch,
        };
        output.result(
          info,
          (data) =>
            `dbbackup ${data.version}\n` +
            renderKeyValues([
              ['node', data.node],
              ['platform', `${data.platform} ${data.arch}`],
            ]),
        );
      }),
    );
  },
};
