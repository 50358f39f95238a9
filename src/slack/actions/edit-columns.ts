import type { App } from '@slack/bolt';
import { UserError } from '../../domain/errors';
import { ACTION } from '../../render/blocks-actions';
import { editColumnsModal } from '../../render/blocks-modals';
import type { SlackDeps } from '../deps';
import { t } from '../../text/catalogue';
import { onEditButton } from './open-editor';

/** "Edit column descriptions" on a table card: a dialog for the columns of the card's current page. */
export function register(app: App, deps: SlackDeps): void {
  onEditButton(app, deps, ACTION.editColumns, (card, meta, lang) => {
    if (!card.columns.length) throw new UserError('no_columns', t(lang, 'error.noColumns', { title: card.title }));
    return editColumnsModal(card, meta, meta.cp ?? 0, lang);
  });
}
