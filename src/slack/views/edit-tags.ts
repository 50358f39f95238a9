import type { App } from '@slack/bolt';
import { INPUT, VIEW } from '../../render/blocks-actions';
import type { SlackDeps } from '../deps';
import { inputValue, onEditSubmission } from './submit';

/** The "Edit tags" dialog submitted. */
export function register(app: App, deps: SlackDeps): void {
  onEditSubmission(app, deps, VIEW.editTags, (view) => ({
    change: { kind: 'tags', text: inputValue(view, INPUT.tags, INPUT.value) },
    mainBlock: INPUT.tags,
    blockOf: () => INPUT.tags,
  }));
}
