import type { App } from '@slack/bolt';
import { INPUT, VIEW } from '../../render/blocks-actions';
import type { SlackDeps } from '../deps';
import { inputValue, onEditSubmission } from './submit';

/** The "Edit owners" dialog submitted. */
export function register(app: App, deps: SlackDeps): void {
  onEditSubmission(app, deps, VIEW.editOwners, (view) => ({
    change: { kind: 'owners', text: inputValue(view, INPUT.owners, INPUT.value) },
    mainBlock: INPUT.owners,
    blockOf: () => INPUT.owners,
  }));
}
