import type { Command } from 'commander';
import { backupCommand } from './backup-command.js';
import { catalogCommand } from './catalog/catalog-command.js';
import { cleanupCommand } from './cleanup-command.js';
import { cloudCommand } from './cloud/cloud-command.js';
import type { CommandModule } from './command-module.js';
import { completionCommand } from './completion-command.js';
import { dedupCommand } from './dedup/dedup-command.js';
import { healthCommand } from './health-command.js';
import { listCommand } from './list-command.js';
import { metricsCommand } from './metrics/metrics-command.js';
import { notifyCommand } from './notify/notify-command.js';
import { preflightCommand } from './preflight-command.js';
import { restoreCommand } from './restore-command.js';
import { retentionSimulatorCommand } from './retention-simulator-command.js';
import { statusCommand } from './status-command.js';
import { verifyBackupCommand } from './verify-backup-command.js';
import { versionCommand } from './version-command.js';

/** Every command of the CLI, in the order help lists them. Add a new command here (and only commands that work). */
export const COMMANDS: readonly CommandModule[] = [
  backupCommand,
  restoreCommand,
  verifyBackupCommand,
  preflightCommand,
  listCommand,
  statusCommand,
  healthCommand,
  catalogCommand,
  metricsCommand,
  cloudCommand,
  dedupCommand,
  cleanupCommand,
  notifyCommand,
  retentionSimulatorCommand,
  versionCommand,
  completionCommand,
];

export function registerCommands(program: Command): void {
  for (const module of COMMANDS) module.register(program);
}
