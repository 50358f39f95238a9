/**
 * The table card's SQL name, overflow menu, edit conflicts and saved-edit confirmations, per language: a view of
 * the shared message catalogue (src/text/catalogue.ts), where the English and Korean text lives.
 */
import { LANGS, t, type Lang } from '../../text/catalogue';

function messages(lang: Lang) {
  return {
    sqlName: t(lang, 'card.sqlName'),
    menuPlaceholder: t(lang, 'card.menuPlaceholder'),
    menu: { description: t(lang, 'card.menu.description'), columns: t(lang, 'card.menu.columns'), tags: t(lang, 'card.menu.tags'), owners: t(lang, 'card.menu.owners'), history: t(lang, 'card.menu.history') },
    conflictByOthers: (names: string, table: string) => t(lang, 'card.conflictByOthers', { names, table }),
    conflictBySelf: (table: string) => t(lang, 'card.conflictBySelf', { table }),
    conflictUnknown: (table: string) => t(lang, 'card.conflictUnknown', { table }),
    savedElsewhere: t(lang, 'card.savedElsewhere'),
  };
}

export type CardMessages = ReturnType<typeof messages>;

export const cardMessages = Object.fromEntries(LANGS.map((l) => [l, messages(l)])) as Record<Lang, CardMessages>;
