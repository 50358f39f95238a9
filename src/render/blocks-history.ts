import type { HistoryEntry, TableHistory } from '../core/edits';
import type { EditField, EditValue } from '../domain/model';
import { ACTION, actionId, encodeValue } from './blocks-actions';
import type { Block, Rendered } from './blocks-common';
import { button, context, header, person, section, slackTime, timeAgo } from './blocks-common';
import { escapeMrkdwn, truncate } from '../text/mrkdwn';
import { messagesFor, type Lang } from '../text/catalogue';

export function fieldName(f: EditField, lang: Lang = 'en'): string {
  const m = messagesFor(lang);
  switch (f.kind) {
    case 'description':
      return m('field.description');
    case 'column_description':
      return m('field.columnDescription', { column: `\`${escapeMrkdwn(f.column)}\`` });
    case 'tags':
      return m('field.tags');
    case 'owners':
      return m('field.owners');
    case 'deprecated':
      return m('field.deprecated');
  }
}

export function valueText(v: EditValue, max = 280, lang: Lang = 'en'): string {
  const m = messagesFor(lang);
  if (v === null) return m('value.none');
  if (typeof v === 'boolean') return v ? m('value.yes') : m('value.no');
  if (Array.isArray(v)) return v.length ? v.map((x) => `\`${escapeMrkdwn(x)}\``).join(' ') : m('value.none');
  return `“${escapeMrkdwn(truncate(v, max))}”`;
}

function entryText(e: HistoryEntry, now: Date, timeZone: string, lang: Lang): string {
  const m = messagesFor(lang);
  const params = { who: person(e.actorRef), field: fieldName(e.field, lang), ago: timeAgo(e.at, now, lang), at: slackTime(e.at, timeZone), status: e.revertedBy ? m('history.revertedMark') : '' };
  const what = e.revertOf ? m('history.reverted', params) : m('history.changed', params);
  return `${what}\n${m('history.was', { value: valueText(e.oldValue, 280, lang) })}\n${m('history.now', { value: valueText(e.newValue, 280, lang) })}`;
}

/** A table's edit log, newest first, each edit with a Revert button. */
export function historyBlocks(h: TableHistory, options: { now: Date; timeZone: string; lang?: Lang }): Rendered {
  const lang = options.lang ?? 'en';
  const m = messagesFor(lang);
  if (!h.entries.length) {
    const text = m('history.none', { title: escapeMrkdwn(h.title) });
    return { text: escapeMrkdwn(m('history.noneFallback', { title: h.title })), blocks: [section(text)] };
  }
  const blocks: Block[] = [header(m('history.header', { title: h.title }))];
  h.entries.forEach((e, i) => blocks.push(section(entryText(e, options.now, options.timeZone, lang), button(m('history.revert'), actionId(ACTION.revert, i), encodeValue('revert', { id: e.id, key: h.key, v: h.version })))));
  blocks.push(context([m('history.footer')]));
  return { text: escapeMrkdwn(m('history.fallback', { title: h.title, n: h.entries.length })), blocks };
}
