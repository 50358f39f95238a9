import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Connection settings of the servers scripts/services.sh started, when it has run; empty otherwise. */
export function serviceEnv(): Record<string, string> {
  const file = join(process.env.NANSEN_SERVICES_DIR ?? '/tmp/nansen-services', 'env.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}
