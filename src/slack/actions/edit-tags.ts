import type { App } from '@slack/bolt';
import { ACTION } from '../../render/blocks-actions';
import { editTagsModal } from '../../render/blocks-modals';
import type { SlackDeps } from '../deps';
import { onEditButton } from './open-editor';

/** "Edit tags" on a table card: opens the dialog. */
export function register(app: App, deps: SlackDeps): void {
  onEditButton(app, deps, ACTION.editTags, editTagsModal);
}
