import type { App } from '@slack/bolt';
import { INPUT, VIEW } from '../../render/blocks-actions';
import type { SlackDeps } from '../deps';
import { inputValue, onEditSubmission } from './submit';

/** The "Edit description" dialog submitted. */
export function register(app: App, deps: SlackDeps): void {
  onEditSubmission(app, deps, VIEW.editDescription, (view) => ({
    change: { kind: 'description', text: inputValue(view, INPUT.description, INPUT.value) },
    mainBlock: INPUT.description,
    blockOf: () => INPUT.description,
  }));
}
