import type { OperationOptions } from '@dbbackup/archive';
import type { CommandContext } from '../cli/command-context.js';
import { createEngineProgressRenderer } from '../progress/engine-progress-line.js';
import { connectionOptions, engineLogger } from './engine-options.js';

/**
 * What every engine operation is given, from the command's context: the connection, --jobs, the engine logger and
 * the progress line (labelled `label`: 'backup', 'restore', 'verify-restore'). The caller stops the progress line
 * (context.progress.stop()) when the operation ends. Restores pass the archive's `engineName` (see connectionOptions).
 */
export function operationOptions(
  context: CommandContext,
  label: string,
  engineName?: string,
): Required<Pick<OperationOptions, 'connection' | 'jobs' | 'logger' | 'onProgress'>> {
  const render = createEngineProgressRenderer(label);
  return {
    connection: connectionOptions(context.config, context.sources, engineName),
    jobs: context.config.jobs,
    logger: engineLogger(context.logger),
    onProgress: (progress) => context.progress.update(render(progress)),
  };
}
