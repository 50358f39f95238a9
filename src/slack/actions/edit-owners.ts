import type { App } from '@slack/bolt';
import { ACTION } from '../../render/blocks-actions';
import { editOwnersModal } from '../../render/blocks-modals';
import type { SlackDeps } from '../deps';
import { onEditButton } from './open-editor';

/** "Edit owners" on a table card: opens the dialog. */
export function register(app: App, deps: SlackDeps): void {
  onEditButton(app, deps, ACTION.editOwners, editOwnersModal);
}
