import type { HomeData } from '../core/home';
import { ACTION, actionId, encodeValue } from './blocks-actions';
import type { Block, HomeView } from './blocks-common';
import { actions, button, context, divider, fitView, header, person, section, timeAgo, BLOCK_LIMITS } from './blocks-common';
import { fieldName } from './blocks-history';
import { resultBlock } from './blocks-search';
import { escapeMrkdwn } from '../text/mrkdwn';
import type { Miss } from '../ports/miss-log';

const CHANGE_TEXT: Record<string, string> = {
  table_added: 'new table',
  table_removed: 'table removed',
  column_added: 'column added',
  column_removed: 'column removed',
  column_type_changed: 'column type changed',
  column_nullability_changed: 'column nullability changed',
  description_changed: 'source description changed',
};

/** The App Home tab: popular tables, the person's bookmarks, recent schema changes and edits, tags to browse. */
export function homeView(data: HomeData, options: { now: Date }): HomeView {
  const blocks: Block[] = [
    header('Nansen: find and understand data'),
    section('Ask me in any channel with `@Nansen which table has latency by country?`, in a DM, or search with `/data <words>`. `/data <table>` opens a table card.'),
    divider(),
    section('*Popular tables*'),
  ];
  let n = 0;
  if (data.popular.length) data.popular.forEach((item) => blocks.push(resultBlock(item, n++, options.now)));
  else blocks.push(context(['_The catalog is empty so far._']));
  blocks.push(divider(), section('*Your bookmarks*'));
  if (data.bookmarks.length) data.bookmarks.forEach((item) => blocks.push(resultBlock(item, n++, options.now)));
  else blocks.push(context(['_No bookmarks yet: use :bookmark: Bookmark on a table card._']));
  if (data.subscriptions) blocks.push(context([`You get alerts for ${data.subscriptions} table${data.subscriptions === 1 ? '' : 's'}.`]));
  blocks.push(divider(), section('*Recent schema changes*'));
  blocks.push(
    context(
      data.schemaChanges.length
        ? data.schemaChanges.map((c) => `\`${escapeMrkdwn(c.title)}\` ${CHANGE_TEXT[c.kind] ?? c.kind}${c.column ? ` \`${escapeMrkdwn(c.column)}\`` : ''} · ${timeAgo(c.at, options.now)}`)
        : ['_None observed yet._'],
    ),
  );
  blocks.push(section('*Recent edits*'));
  blocks.push(context(data.edits.length ? data.edits.map((e) => `${person(e.actorRef)} edited the ${fieldName(e.field)} of \`${escapeMrkdwn(e.title)}\` · ${timeAgo(e.at, options.now)}`) : ['_No edits yet._']));
  if (data.tags.length) {
    blocks.push(divider(), section('*Browse by tag*'));
    blocks.push(...actions(data.tags.slice(0, BLOCK_LIMITS.actionsElements).map((t, i) => button(`#${t.tag} (${t.count})`, actionId(ACTION.browseTag, i), encodeValue('tag', { t: t.tag }))), 'nansen.home.tags'));
  }
  if (data.misses) blocks.push(divider(), ...missedBlocks(data.misses, options.now));
  return { type: 'home', callback_id: 'nansen.home', blocks: fitView(blocks, BLOCK_LIMITS.viewBlocks) };
}

const MISS_LABEL: Record<Miss['kind'], string> = { unknown: "didn't know", guess: 'guessed', not_what_i_meant: 'not what they meant' };

/** App Home's admin section: the newest questions Nansen missed, with what it offered (and who asked, when recorded). */
export function missedBlocks(misses: Miss[], now: Date): Block[] {
  const head = section('*Missed questions* (admins only): what people asked that the catalog did not answer. All of them: `npm run nansen -- misses`.');
  if (!misses.length) return [head, context(['_None recorded yet._'])];
  const lines = misses.map((m) => {
    const q = m.text.length > 120 ? `${m.text.slice(0, 119)}…` : m.text;
    const offered = m.offered.length ? ` · offered ${m.offered.slice(0, 3).map((k) => `\`${escapeMrkdwn(k.replace(/^[a-z]+:\/\//, ''))}\``).join(', ')}` : '';
    return `• “${escapeMrkdwn(q)}” · ${MISS_LABEL[m.kind]}${m.reason ? ` (${escapeMrkdwn(m.reason)})` : ''}${offered}${m.asker ? ` · <@${escapeMrkdwn(m.asker)}>` : ''} · ${m.lang} · ${timeAgo(m.at, now)}`;
  });
  let text = '';
  for (const l of lines) {
    if (text.length + l.length + 1 > BLOCK_LIMITS.sectionText) break;
    text += (text ? '\n' : '') + l;
  }
  return [head, section(text)];
}
