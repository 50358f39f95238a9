/** Every user-visible string of link unfurls, per language: a view of the shared message catalogue. */
import { LANGS, t, type Lang } from '../../text/catalogue';

export interface UnfurlMessages {
  noDescription: string;
  deprecated: string;
  owners: (names: string) => string;
  noOwner: string;
  updated: (when: string) => string;
  columns: (n: number) => string;
}

function messages(lang: Lang): UnfurlMessages {
  return {
    noDescription: t(lang, 'unfurl.noDescription'),
    deprecated: t(lang, 'unfurl.deprecated'),
    owners: (names) => t(lang, 'unfurl.owners', { names }),
    noOwner: t(lang, 'unfurl.noOwner'),
    updated: (when) => t(lang, 'unfurl.updated', { when }),
    columns: (n) => t(lang, 'unfurl.columns', { n }),
  };
}

export const unfurlMessages = Object.fromEntries(LANGS.map((l) => [l, messages(l)])) as Record<Lang, UnfurlMessages>;
