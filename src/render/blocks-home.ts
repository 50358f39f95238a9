import type { HomeData } from '../core/home';
import { ACTION, actionId, encodeValue } from './blocks-actions';
import type { Block, HomeView } from './blocks-common';
import { actions, button, context, divider, fitView, header, person, section, timeAgo, BLOCK_LIMITS } from './blocks-common';
import { fieldName } from './blocks-history';
import { resultBlock } from './blocks-search';
import { escapeMrkdwn } from '../text/mrkdwn';
import type { Miss } from '../ports/miss-log';
import { messagesFor, t, type Lang } from '../text/catalogue';

const CHANGE_KINDS = ['table_added', 'table_removed', 'column_added', 'column_removed', 'column_type_changed', 'column_nullability_changed', 'description_changed'] as const;

function changeText(kind: string, lang: Lang): string {
  return (CHANGE_KINDS as readonly string[]).includes(kind) ? t(lang, `change.${kind as (typeof CHANGE_KINDS)[number]}`) : kind;
}

/** The App Home tab: popular tables, the person's bookmarks, recent schema changes and edits, tags to browse. */
export function homeView(data: HomeData, options: { now: Date; lang?: Lang }): HomeView {
  const lang = options.lang ?? 'en';
  const m = messagesFor(lang);
  const ago = (iso: string): string => timeAgo(iso, options.now, lang);
  const blocks: Block[] = [header(m('home.header')), section(m('home.intro')), divider(), section(m('home.popular'))];
  let n = 0;
  if (data.popular.length) data.popular.forEach((item) => blocks.push(resultBlock(item, n++, options.now, lang)));
  else blocks.push(context([m('home.empty')]));
  blocks.push(divider(), section(m('home.bookmarks')));
  if (data.bookmarks.length) data.bookmarks.forEach((item) => blocks.push(resultBlock(item, n++, options.now, lang)));
  else blocks.push(context([m('home.noBookmarks')]));
  if (data.subscriptions) blocks.push(context([m('home.subscriptions', { n: data.subscriptions })]));
  blocks.push(divider(), section(m('home.schemaChanges')));
  blocks.push(
    context(
      data.schemaChanges.length
        ? data.schemaChanges.map((c) => `\`${escapeMrkdwn(c.title)}\` ${changeText(c.kind, lang)}${c.column ? ` \`${escapeMrkdwn(c.column)}\`` : ''} · ${ago(c.at)}`)
        : [m('home.noSchemaChanges')],
    ),
  );
  blocks.push(section(m('home.edits')));
  blocks.push(context(data.edits.length ? data.edits.map((e) => m('home.edit', { who: person(e.actorRef), field: fieldName(e.field, lang), table: `\`${escapeMrkdwn(e.title)}\``, ago: ago(e.at) })) : [m('home.noEdits')]));
  if (data.tags.length) {
    blocks.push(divider(), section(m('home.tags')));
    blocks.push(...actions(data.tags.slice(0, BLOCK_LIMITS.actionsElements).map((t, i) => button(`#${t.tag} (${t.count})`, actionId(ACTION.browseTag, i), encodeValue('tag', { t: t.tag }))), 'nansen.home.tags'));
  }
  if (data.misses) blocks.push(divider(), ...missedBlocks(data.misses, options.now, lang));
  return { type: 'home', callback_id: 'nansen.home', blocks: fitView(blocks, BLOCK_LIMITS.viewBlocks, undefined, lang) };
}

const MISS_LABEL: Record<Miss['kind'], 'misses.unknown' | 'misses.guess' | 'misses.notWhatIMeant'> = { unknown: 'misses.unknown', guess: 'misses.guess', not_what_i_meant: 'misses.notWhatIMeant' };

/** App Home's admin section: the newest questions Nansen missed, with what it offered (and who asked, when recorded). */
export function missedBlocks(misses: Miss[], now: Date, lang: Lang = 'en'): Block[] {
  const m = messagesFor(lang);
  const head = section(m('misses.head'));
  if (!misses.length) return [head, context([m('misses.none')])];
  const lines = misses.map((x) => {
    const q = x.text.length > 120 ? `${x.text.slice(0, 119)}…` : x.text;
    const offered = x.offered.length ? m('misses.offered', { tables: x.offered.slice(0, 3).map((k) => `\`${escapeMrkdwn(k.replace(/^[a-z]+:\/\//, ''))}\``).join(', ') }) : '';
    return `• “${escapeMrkdwn(q)}” · ${m(MISS_LABEL[x.kind])}${x.reason ? ` (${escapeMrkdwn(x.reason)})` : ''}${offered}${x.asker ? ` · <@${escapeMrkdwn(x.asker)}>` : ''} · ${x.lang} · ${timeAgo(x.at, now, lang)}`;
  });
  let text = '';
  for (const l of lines) {
    if (text.length + l.length + 1 > BLOCK_LIMITS.sectionText) break;
    text += (text ? '\n' : '') + l;
  }
  return [head, section(text)];
}
