import type { Cues } from './intent';

/** What a question asks about one table. */
export type Attribute = 'last_updated' | 'cadence' | 'owners' | 'frequent_users' | 'columns' | 'lineage' | 'dashboards';

/**
 * What a message asks, once read: by the cue grammar (`intent.ts`), and with an embeddings server also by its
 * meaning (`classify.ts`), which settles what the grammar cannot: a cue word inside a search ("how often do people
 * pick Firefox") or cues of two kinds at once ("dashboard looks stale, when did X last load?").
 */
export type Intent =
  | { kind: 'help' }
  /** "hi", "thanks", "안녕하세요": a short greeting and what one can ask. */
  | { kind: 'greeting' }
  /** A secret, access, a root cause or a metric's value: not what a catalog knows. */
  | { kind: 'out_of_scope'; asked: 'credentials' | 'access' | 'why' | 'value' }
  /** Row counts and sizes: the catalog does not keep them. */
  | { kind: 'no_data'; asked: 'row_count' | 'size' }
  /** Which table (or dashboard) holds something. */
  | { kind: 'find'; target: 'table' | 'dashboard' }
  /** Something about one table: named, referred back to, or described. */
  | { kind: 'attribute'; attribute: Attribute }
  /** The tables a named person owns or uses most. */
  | { kind: 'person'; relation: 'owns' | 'uses' }
  /** A table named with nothing asked about it: its card, in words. */
  | { kind: 'describe' };

/** The attribute cues of a message, strongest claim first: the grammar's order when nothing else decides. */
export function attributeCandidates(cues: Cues): Attribute[] {
  const out: Attribute[] = [];
  if (cues.dashboards) out.push('dashboards');
  if (cues.lineage && !cues.lineageNoun) out.push('lineage');
  if (cues.frequentUsers) out.push('frequent_users');
  if (cues.owners) out.push('owners');
  if (cues.cadence?.strong) out.push('cadence');
  if (cues.lastUpdated) out.push('last_updated');
  if (cues.cadence && !cues.cadence.strong) out.push('cadence');
  if (cues.columns) out.push('columns');
  // "원천 테이블" alone still asks for the lineage; beside another cue it only says which table
  if (cues.lineage && cues.lineageNoun) out.push('lineage');
  return out;
}

const GREETING = /^\s*(hi|hello|hey|yo|hiya|good (morning|afternoon|evening)|thanks|thank you|thank u|thx|ty|cheers|great|ok(ay)?|cool|안녕|안녕하세요|안녕하십니까|반가워요|반갑습니다|감사합니다|감사해요|고마워요|고맙습니다|땡큐|좋아요|알겠습니다)(\s+(nansen|there|a lot|so much|all|everyone|again))*\s*[!.~?ㅎㅋ^]*\s*$/i;

/** Whether a message is only a greeting or thanks. */
export function isGreeting(text: string): boolean {
  return GREETING.test(text);
}
