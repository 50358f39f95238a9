import type { Answer } from '../../answering/types';
import { composeFind } from './find';
import { composeGreeting, composeHelp } from './help';
import { composePerson } from './person';
import { t, tableName, type ComposeContext } from './parts';
import { composeCadence, composeFrequentUsers, composeLastUpdated, composeOwners } from './table-facts';
import { composeColumns, composeDashboards, composeDescribe, composeLineage } from './table-structure';
import type { ComposeOptions, Composition, Item, Style } from './types';
import { composeUnknown } from './unknown';
import { josa } from '../../text/korean-particles';

/** Composes an answer for display. Pure: everything it shows comes from the answer and its `refs`. */
export function compose(a: Answer, s: Style, options: ComposeOptions = {}): Composition {
  const lang = a.lang;
  const max = options.maxItems ?? 10;
  const maxDesc = options.maxDescription ?? 240;
  const refs = a.refs;
  const footer: string[] = [];
  if (a.resolution?.corrected && a.resolution.typed && 'table' in a) {
    footer.push(t(lang, { en: `I took “${s.escape(a.resolution.typed)}” to mean ${s.bold(s.escape(tableName(a.table, refs)))}.`, ko: `${josa(`“${s.escape(a.resolution.typed)}”`, '을/를')} ${josa(s.bold(s.escape(tableName(a.table, refs))), '으로/로')} 이해했습니다.` }));
  }
  if (a.resolution?.from === 'search' && 'table' in a) {
    footer.push(t(lang, { en: `No table was named, so I used the best match for your words: ${s.bold(s.escape(tableName(a.table, refs)))}.`, ko: `테이블 이름이 없어 질문에 가장 잘 맞는 ${s.bold(s.escape(tableName(a.table, refs)))} 기준으로 답했습니다.` }));
  }
  if (a.resolution?.alternatives?.length) {
    footer.push(t(lang, { en: `Other tables with the same name: ${a.resolution.alternatives.map((k) => s.code(k)).join(', ')}`, ko: `같은 이름의 다른 테이블: ${a.resolution.alternatives.map((k) => s.code(k)).join(', ')}` }));
  }
  const done = (title: string, items: Item[] = [], notes: string[] = [], intro: string[] = []): Composition => ({ title, intro, items, notes, footer });
  const c: ComposeContext = { s, lang, max, maxDesc, refs, footer, done };
  switch (a.kind) {
    case 'find':
      return composeFind(a, c);
    case 'last_updated':
      return composeLastUpdated(a, c);
    case 'cadence':
      return composeCadence(a, c);
    case 'owners':
      return composeOwners(a, c);
    case 'frequent_users':
      return composeFrequentUsers(a, c);
    case 'columns':
      return composeColumns(a, c);
    case 'lineage':
      return composeLineage(a, c);
    case 'dashboards':
      return composeDashboards(a, c);
    case 'describe':
      return composeDescribe(a, c);
    case 'help':
      return composeHelp(a, c);
    case 'greeting':
      return composeGreeting(a, c);
    case 'person':
      return composePerson(a, c);
    case 'unknown':
      return composeUnknown(a, c);
    default: {
      const never: never = a;
      return never;
    }
  }
}

