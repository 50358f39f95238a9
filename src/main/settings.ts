import { join } from 'node:path';
import type { Config } from '../config/config';
import type { EditPolicy } from '../core/deps';
import { loadVocabulary, type Vocabulary } from '../text/vocabulary';

/** Who may edit, from `NANSEN_EDIT_POLICY` and `NANSEN_ADMINS`. */
export function editPolicyFromConfig(config: Pick<Config, 'NANSEN_EDIT_POLICY' | 'NANSEN_ADMINS'>): EditPolicy {
  if (config.NANSEN_EDIT_POLICY === 'everyone') return { mode: 'everyone' };
  return { mode: 'owners', admins: adminsFromConfig(config) };
}

/** The Slack user ids of `NANSEN_ADMINS`. */
export function adminsFromConfig(config: Pick<Config, 'NANSEN_ADMINS'>): ReadonlySet<string> {
  return new Set(config.NANSEN_ADMINS.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean));
}

/** Where missed questions are recorded: `misses.sqlite` under NANSEN_DATA_DIR, shared by the bot, the terminal and the CLI. */
export function missesPath(config: Pick<Config, 'NANSEN_DATA_DIR'>): string {
  return join(config.NANSEN_DATA_DIR, 'misses.sqlite');
}

/** The bundled vocabulary plus the files and folders of `NANSEN_VOCABULARY` (`:`-separated). */
export function vocabularyFromConfig(config: Pick<Config, 'NANSEN_VOCABULARY'>): Vocabulary {
  return loadVocabulary(config.NANSEN_VOCABULARY.split(':').filter(Boolean));
}
