import { availableParallelism, homedir } from 'node:os';
import type { HostFacts } from './settings.js';

export function currentHostFacts(): HostFacts {
  return { homeDirectory: homedir(), cpuCount: availableParallelism() };
}
