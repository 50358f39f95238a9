import type { App } from '@slack/bolt';
import { EDIT_LIMITS } from '../../core/edits';
import { INPUT, VIEW } from '../../render/blocks-actions';
import type { SlackDeps } from '../deps';
import { inputValue, onEditSubmission, selectedValues } from './submit';

/**
 * The "Edit owners" dialog submitted: the people picked (Slack user ids) and the owners without Slack that were kept.
 * A dialog opened before the picker existed sends the old text box, which is still read as typed text.
 */
export function register(app: App, deps: SlackDeps): void {
  onEditSubmission(app, deps, VIEW.editOwners, (view) => {
    const typed = view.state.values[INPUT.owners]?.[INPUT.value] !== undefined;
    return {
      change: typed
        ? { kind: 'owners', text: inputValue(view, INPUT.owners, INPUT.value) }
        // One more than the limit, so that too many picks are refused rather than cut silently.
        : { kind: 'owner_picks', slackUsers: selectedValues(view, INPUT.owners, INPUT.users, EDIT_LIMITS.maxOwners + 1), keep: selectedValues(view, INPUT.ownersKeep, INPUT.keep, EDIT_LIMITS.maxOwners + 1) },
      mainBlock: INPUT.owners,
      blockOf: () => INPUT.owners,
    };
  });
}
