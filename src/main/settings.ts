import type { Config } from '../config/config';
import type { EditPolicy } from '../core/deps';
import { loadVocabulary, type Vocabulary } from '../text/vocabulary';

/** Who may edit, from `NANSEN_EDIT_POLICY` and `NANSEN_ADMINS`. */
export function editPolicyFromConfig(config: Pick<Config, 'NANSEN_EDIT_POLICY' | 'NANSEN_ADMINS'>): EditPolicy {
  if (config.NANSEN_EDIT_POLICY === 'everyone') return { mode: 'everyone' };
  const admins = new Set(config.NANSEN_ADMINS.split(/[\s,]+/).map((s) => s.trim()).filter(Boolean));
  return { mode: 'owners', admins };
}

/** The bundled vocabulary plus the files and folders of `NANSEN_VOCABULARY` (`:`-separated). */
export function vocabularyFromConfig(config: Pick<Config, 'NANSEN_VOCABULARY'>): Vocabulary {
  return loadVocabulary(config.NANSEN_VOCABULARY.split(':').filter(Boolean));
}
