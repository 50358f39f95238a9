import type { App } from '@slack/bolt';
import { t } from '../../text/catalogue';
import { LocalizedUserError } from '../../text/localized-error';
import { INPUT, VIEW } from '../../render/blocks-actions';
import type { SlackDeps } from '../deps';
import { inputValue, onEditSubmission } from './submit';

/** The "Edit column descriptions" dialog submitted: every column box of the dialog, changed or not. */
export function register(app: App, deps: SlackDeps): void {
  onEditSubmission(app, deps, VIEW.editColumns, (view, meta) => {
    const cols = meta.cols ?? [];
    if (!cols.length) throw new LocalizedUserError('bad_payload', (lang) => t(lang, 'error.noColumnsToSave'));
    const descriptions: Record<string, string> = {};
    cols.forEach((c, i) => {
      descriptions[c] = inputValue(view, `${INPUT.columnPrefix}${i}`, INPUT.value);
    });
    return {
      change: { kind: 'column_descriptions', descriptions },
      mainBlock: `${INPUT.columnPrefix}0`,
      blockOf: (field) => {
        const i = field.startsWith('column:') ? cols.indexOf(field.slice('column:'.length)) : -1;
        return i >= 0 ? `${INPUT.columnPrefix}${i}` : undefined;
      },
    };
  });
}
