import type { HistoryEntry, TableHistory } from '../core/edits';
import type { EditField, EditValue } from '../domain/model';
import { ACTION, actionId, encodeValue } from './blocks-actions';
import type { Block, Rendered } from './blocks-common';
import { button, context, header, person, section, slackTime, timeAgo } from './blocks-common';
import { escapeMrkdwn, truncate } from '../text/mrkdwn';

export function fieldName(f: EditField): string {
  switch (f.kind) {
    case 'description':
      return 'description';
    case 'column_description':
      return `description of column \`${escapeMrkdwn(f.column)}\``;
    case 'tags':
      return 'tags';
    case 'owners':
      return 'owners';
    case 'deprecated':
      return 'deprecation';
  }
}

export function valueText(v: EditValue, max = 280): string {
  if (v === null) return '_(none)_';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (Array.isArray(v)) return v.length ? v.map((x) => `\`${escapeMrkdwn(x)}\``).join(' ') : '_(none)_';
  return `“${escapeMrkdwn(truncate(v, max))}”`;
}

function entryText(e: HistoryEntry, now: Date, timeZone: string): string {
  const what = e.revertOf ? `reverted an edit of the ${fieldName(e.field)}` : `changed the ${fieldName(e.field)}`;
  const status = e.revertedBy ? ' _(reverted)_' : '';
  return `${person(e.actorRef)} ${what} ${timeAgo(e.at, now)} (${slackTime(e.at, timeZone)})${status}\n*was* ${valueText(e.oldValue)}\n*now* ${valueText(e.newValue)}`;
}

/** A table's edit log, newest first, each edit with a Revert button. */
export function historyBlocks(h: TableHistory, options: { now: Date; timeZone: string }): Rendered {
  if (!h.entries.length) {
    const text = `No one has edited *${escapeMrkdwn(h.title)}* in Nansen yet. Its card has the edit buttons.`;
    return { text: escapeMrkdwn(`No edits of ${h.title} yet.`), blocks: [section(text)] };
  }
  const blocks: Block[] = [header(`Edit history of ${h.title}`)];
  h.entries.forEach((e, i) => blocks.push(section(entryText(e, options.now, options.timeZone), button('Revert', actionId(ACTION.revert, i), encodeValue('revert', { id: e.id, key: h.key, v: h.version })))));
  blocks.push(context([`Newest first · reverting writes the old value back as a new edit, logged like any other`]));
  return { text: escapeMrkdwn(`Edit history of ${h.title}: ${h.entries.length} edits`), blocks };
}
