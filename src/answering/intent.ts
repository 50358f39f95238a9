/**
 * What a message asks, read from cue phrases in English and Korean. Cues are matched on the message with its
 * table mentions replaced by `§t` (so `revenue_monthly` never reads as "monthly") and ordinary typos corrected.
 * This is the assistant's grammar, kept here; the data vocabulary (what words mean) lives in `data/vocabulary`.
 */

export type Granularity = 'minutely' | 'hourly' | 'daily' | 'weekly' | 'monthly';

export interface Cues {
  help: boolean;
  /** Out of scope: a secret, a "why" (root cause), or the value of a metric ("what was revenue yesterday"). */
  outOfScope?: 'credentials' | 'access' | 'why' | 'value';
  /** Asks for something the catalog does not keep (row counts, sizes). */
  noData?: 'row_count' | 'size';
  dashboards: boolean;
  lineage?: 'upstream' | 'downstream';
  /**
   * The lineage cue only names a kind of table ("원천 테이블", "the source table"): it says which table is meant,
   * while another cue says what is asked about it ("원천 테이블 업데이트 언제?" asks when it was updated).
   */
  lineageNoun?: boolean;
  frequentUsers: boolean;
  owners: boolean;
  cadence?: { strong: boolean; asked?: Granularity };
  lastUpdated: boolean;
  columns?: 'meaning' | 'which';
  /** Wording of a search: "which table", "is there", "어떤 테이블", "어디". */
  find: boolean;
  /** Refers back to a table: "it", "that table", "그 테이블". */
  anaphora: boolean;
}

/** The mention placeholder in masked text. */
export const MENTION = '§t';

const any = (text: string, patterns: RegExp[]): boolean => patterns.some((p) => p.test(text));

const HELP = [/^\s*(help|\?|usage|도움말|도움|사용법|명령어|헬프)\s*[?!.]*\s*$/, /\bwhat can you do\b/, /\bhow (do|can) i use (you|this|nansen)\b/, /뭘 할 수 있/, /무엇을 할 수 있/, /사용 ?방법/];

const CREDENTIALS = [/\bpass ?words?\b/, /\bpasswd\b/, /\bcredentials?\b/, /\bsecret key\b/, /\bapi ?keys?\b/, /\baccess ?keys?\b/, /\btokens?\b/, /비밀번호/, /비번/, /패스워드/, /접속 ?정보/, /계정 ?정보/, /인증 ?키/];
const ACCESS = [
  /\b(grant|give|add) (me|us|my team)( \w+)? (access|permissions?|read access|rights)\b/, /\b(can|could|may) (i|we) (get|have|be given) (access|permissions?)\b/,
  /\b(request|requesting|get) (access|permissions?) (to|for|on)\b/, /\baccess request\b/,
  /권한 ?(좀 )?(주세요|줘요|줄 수|부여|신청|요청|받을 수|얻을 수)/, /(접근|열람|조회) ?권한/,
];
const WHY = [/\bwhy (did|does|do|is|was|are|were|has|have|would|'s|is there|are there)\b/, /왜/, /원인이/, /이유가/, /떨어진 이유/];
const VALUE = [
  /\b(what|how much|how many)\b.*\b(yesterday|today|tonight|last (night|week|month|year|quarter)|this (week|month|year|quarter)|on (mon|tues|wednes|thurs|fri|satur|sun)day)\b/,
  /\bwhat (was|were|is|are) (the |our )?(total|sum|overall|actual|exact)\b/,
  /\bwhat('s| is| are| was| were) (the |our )?(current|today'?s|this (week|month|quarter|year)'?s?) \w+(?!.*(§t|\b(tables?|columns?|dashboards?|datasets?|data|updated?|loaded|refreshed)\b))/,
  /(어제|오늘|지난 ?주|이번 ?주|지난 ?달|이번 ?달|작년|올해).*(얼마|몇 ?(명|개|건|원)|총)/,
  /(얼마였|얼마예요|얼마에요|몇 명이었|몇 명이에요|몇 명인가요|총 매출이)/,
];
const ROW_COUNT = [/\brows?\b.*\b(count|many|number)\b/, /\b(how many|number of|count of) (rows|records|lines)\b/, /\brow ?counts?\b/, /\browcount\b/, /(row|로우|행|레코드|줄)\s*(수|개수|갯수)/, /몇 ?(행|줄|개의 행|로우)/, /데이터 ?(건수|양)/];
const SIZE = [/\b(how (big|large)|disk size|table size|storage size|size of)\b/, /((?<!사)용량|크기|사이즈)/];

const DASHBOARDS = [/\bdash ?boards?\b/, /\bdashbaords?\b/, /대시 ?보드/, /대쉬 ?보드/];
/** Dashboards asked for, not merely the reason for asking ("the dashboard looks stale, when did X last load?"). */
const DASHBOARDS_ASKED = [
  /\b(which|what|any|list|show|find)( \w+)? dash ?boards?\b/, /\bdash ?boards? (on|use|uses|using|for|built|that|with|of|read|reading|about)\b/, /\bdash ?boards?\s*[?]/,
  /(어떤|무슨|어느) ?대시 ?보드/, /대시 ?보드(가|는|들)? ?(뭐|뭔|있|어디|알려|목록)/, /대시 ?보드(에서|로)? ?(쓰|사용|참조|읽)/,
];

const FREQUENT = [
  /\bwho\b[^?.!]*\b(uses?|using|used|reads?|reading|queries|query|queried|querying|looks? at|accesses|accessed|consumes?)\b[^?.!]*\b(most|mostly|often|frequently|a lot|heavily|regularly)\b/,
  /\bwho\b[^?.!]*\b(most|mostly|often|frequently|heavily|regularly)\b[^?.!]*\b(uses?|reads?|queries|query|looks? at|accesses|consumes?)\b/,
  /\b(heaviest|heavy|top|frequent|main|power|biggest|primary|most active|most frequent|regular)\s+(users?|readers?|consumers?|queriers?|viewers?)\b/,
  /\bmost (frequent|active|common) (users?|readers?)\b/,
  /\bwho else (uses?|reads?|queries)\b/,
  /\b(users?|readers?) of §t\b.*\b(most|top)\b/,
  /(자주|많이|제일|가장|주로|젤|최다)\s*(쓰|사용|보|조회|이용|읽|쿼리|활용|접근)/,
  /(헤비 ?유저|주 ?사용자|주요 ?사용자|자주 쓰는|많이 쓰는|많이 보는|많이 조회)/, /(주로|자주|많이|제일|가장) ?누가/, /누가 ?(주로|자주|많이|제일|가장)/,
  /(사용자|유저|조회자) ?(top|순위|랭킹)/, /\btop \d+ (users?|readers?)\b/,
];

const OWNERS = [
  /\bowners?\b/, /\bown(s|ed)?\b/, /\bownership\b/, /\bmaintain(s|er|ers|ed|ing)?\b/, /\bresponsible\b/, /\bsteward\b/,
  /\bwho (should|do|can|could) (i|we) (ask|contact|talk|ping|reach|bug)\b/, /\bwho to (ask|contact|talk)\b/, /\bwhom?\b[^?.!]*\bask\b/,
  /\bwho (made|built|created|wrote|manages?|managed|runs|designed|set up|is in charge)\b/, /\bpoint of contact\b/, /\bcontact (person|for)\b/,
  /담당/, /오너/, /소유자/, /누구 ?(거|것|꺼|소유)/, /관리자/, /관리하/, /관리해/, /관리 ?주체/, /책임자/, /누가 ?(만들|만든|관리|맡)/, /만든 ?사람/, /누구한테/, /누구에게/,
  /(문의|물어).*(누구|어디|드리)/, /(누구|어디).*(문의|물어)/,
];

const UPSTREAM = [
  /\bupstream\b/, /§t (reads?|pulls?|selects?|consumes?) from\b/, /\bsources? (tables?|data|of)\b/, /\bsourced from\b/, /\bparents?(?=\s+(tables?|models?|datasets?|of|for)\b|\s*[?.!,]|\s*$)/, /\binputs?\b/, /\bfeeds? §t\b/, /\bfeeds? into §t\b/,
  /\bwhat (tables )?(goes|go|feeds?) into\b/, /\bwhere does §t (come|get)\b/, /\bwhere does (it|this|that)( table)? (come|get)\b/, /\bwhere is §t (built|made|derived|computed) from\b/, /\bdepends? on what\b/, /\bbased on what\b/,
  /\blineage\b/, /리니지/, /계보/, /어디서.*(가져|오나요|와요|받아|들어)/,
  /원천/, /소스 ?테이블/, /상위 ?테이블/, /업스트림/, /부모 ?테이블/, /어디서 ?(오|와|만들|생성|가져)/, /어디에서 ?(오|와|만들|생성|가져)/, /무엇으로|뭘로|뭐로/,
  /어떤 ?테이블(들)?(로|에서|을 ?가지고|을 ?기반으로|를 ?기반으로) ?(만들|생성|집계|계산)/, /기반 ?테이블/, /출처/, /§t\s*(는|은|이|가)\s.*(로|으로|에서)\s*(만들어|생성)/,
];
const DOWNSTREAM = [
  /\bdownstream\b/, /\bbuilt on( top of)?\b/, /\bdepend(s|ent|ents|ing)? on §t\b/, /\bdependents?\b/, /\bdependencies\b/, /\bchildren\b/, /\bchild tables?\b/,
  /\b(reads?|consumes?|selects?|pulls?|queries|query) from (\w+ ){0,2}§t\b/, /\baffected\b/, /\bimpact(s|ed)?\b/, /\bbreaks?\b/, /\bwhat (uses|reads|consumes) §t\b/, /\bconsumers?\b/, /\b(tables?|what) (reads?|uses?) (from )?§t\b/, /\bfed by §t\b/,
  /다운스트림/, /하위 ?테이블/, /영향/, /§t\s*(으로|로|를|을|에서|를 ?가지고|을 ?가지고|를 ?기반으로|을 ?기반으로)\s*(만들어지|만드는|만들어진|생성되|생성하|파생|집계되)/,
  /§t\s*(를|을)?\s*(쓰는|사용하는|참조하는|읽는) ?(테이블|곳)/, /의존/, /파생 ?테이블/,
];
/** Lineage words that only name a kind of table. */
const LINEAGE_NOUN = /(원천|소스|원본|상위|하위|업스트림|다운스트림) ?테이블|\b(source|upstream|downstream|parent|child|raw) tables?\b/;

/** "built / made / derived from": upstream after the table ("T is built from"), downstream before it ("tables built from T"). */
const FROM_CUE = /\b(built|made|derived|generated|computed|created|produced|come|comes|coming) from\b/;

const CADENCE_STRONG = [
  /\bhow (often|frequently|regularly)\b/, /\bfrequen(cy|tly|t)\b/, /\bcadence\b/, /\bschedule(d|s)?\b/, /\binterval\b/, /\bperiodicity\b/,
  /\bwhen (does|do) [^?]*\b(load|run|update|refresh|land|arrive|sync)/, /\b(at )?what time (does|do|is|will)\b/, /\bhow many times an? (day|hour|week)\b/,
  /얼마마다/, /몇 ?시(에|쯤|경)/, /몇 ?번(씩)? ?(업데이트|갱신|적재)/, /하루에 ?몇/,
  /\bevery (minute|hour|day|week|month|night|morning)\b/, /\bonce an? (minute|hour|day|week|month)\b/, /\b(update|refresh|load)(s|ed)? (rate|period|cycle)\b/, /\brefresh rate\b/,
  /주기/, /얼마나 ?자주/, /얼마 ?만에/, /매 ?(분|시간|시|일|주|월|달)(마다)?\s*(업데이트|갱신|적재|돌|실행|들어|로드|배치|되)/, /(분|시간|하루|일|주|달|월) ?(마다|에 ?한 ?번)/, /스케줄/, /빈도/,
];
const GRANULARITY: Array<[Granularity, RegExp]> = [
  ['minutely', /\b(minutely|every minute|per minute|each minute|real ?time|realtime)\b|매분|분 ?단위|분마다|실시간/],
  ['hourly', /\b(hourly|every hour|per hour|each hour|once an hour)\b|매 ?시간|시간 ?단위|시간마다|매시/],
  ['daily', /\b(daily|every day|per day|each day|once a day|nightly|every night)\b|매일|하루에|일 ?단위|일마다|날마다|데일리/],
  ['weekly', /\b(weekly|every week|per week|each week|once a week)\b|매주|주 ?단위|주마다|위클리/],
  ['monthly', /\b(monthly|every month|per month|each month|once a month)\b|매월|매달|월 ?단위|달마다|먼슬리/],
];
const LOAD_VERB = [/\b(updat\w*|load\w*|refresh\w*|run|runs|ran|land\w*|ingest\w*|arriv\w*|partition\w*|batch\w*|sync\w*|rebuilt|rebuild\w*)\b/, /업데이트|갱신|적재|들어오|들어와|돌아|배치|로드|반영|싱크/];
const IS_IT = [/^\s*(is|does|was|are)\s+(it|this|that)\b/, /^\s*(so|and)\b.*\b(it|it's|its)\b/, /(인가요|인가|이에요|예요|인거죠|인 거죠|죠|나요|거예요|건가요)\s*[?]?\s*$/];

const LAST_UPDATED = [
  /\blast (update[sd]?|load(s|ed)?|refresh(ed)?|run|ran|modified|changed|written|write|landed|ingest(ed|ion)?|partition|sync(ed)?|time)\b/,
  /\bwhen (was|did|were)\b[^?]*\b(updat|load|refresh|land|run|ran|modif|writ|sync|ingest|arriv|last)/, /\bwhen is\b[^?]*\blast\b/,
  /\bfresh(ness)?\b/, /\bstale\b/, /\bstuck\b/, /\bup[ -]to[ -]date\b/, /\blatest (update|load|data|partition|refresh|run)\b/, /\bupdated (at|on)\b/, /\bmost recent (update|load|partition)\b/,
  /\b(any|no) new data\b/, /\bhasn'?t (been )?(updated|loaded)\b/, /\bdelayed\b/, /\blate\b/,
  /마지막/, /최신 ?(적재|업데이트|갱신|데이터|파티션)/, /최근 ?(적재|업데이트|갱신)/, /언제.*(업데이트|적재|갱신|들어|로드)/, /(업데이트|적재|갱신|로드)(된|됐|되었|한)?\s*(시간|시각|날짜|일시|때)/,
  /안 ?들어오/, /안 ?들어와/, /멈췄/, /멈춘/, /밀렸/, /지연(되|됐|돼|중|이에요|인가요|인지|된|이 ?있)/, /늦어/, /늦었/, /늦나/, /늦는/, /늦게/, /언제/,
  /최신(이|인|일|인가|이에요|인가요|이야|이죠|인지|상태)/, /(업데이트|갱신|적재)(가|는)? ?(됐|되었|된)(나요|어요|는지|지)/,
];

const COLUMNS_WORD = [/\bcolumns?\b/, /\bcols?\b/, /\bfields?\b/, /\battributes?\b/, /컬럼/, /칼럼/, /필드/, /(^|\s)열(이|은|는|을)?(\s|$)/, /\bschema\b/, /스키마/];
/** A table described by the columns it has ("the account table with the health fields"): a search, not a column question. */
const TABLE_WITH_COLUMNS = [
  /\b(with|having|has|have|including|includes|contains?|containing)\b[^?.!]*\b(columns?|cols?|fields?|attributes?)\b/,
  /(컬럼|칼럼|필드)(이|까지|도|이랑|과|와|가)?\s*(다\s*)?(있는|포함된|포함한|들어있는|들어간|가진|달린)/,
];
/** "How often do people / users / devs ..." asks about behaviour recorded in data, not a load schedule. */
const PEOPLE_DOING = /\bhow (often|frequently|regularly) (do|does|did|are|is|will|would|can) (people|persons?|users?|customers?|devs?|developers?|engineers?|members?|employees?|reps?|folks|visitors?|players?|buyers?|we|they|you)\b/;
const MEANING = [/\bmean(s|ing|t)?\b/, /\bstand(s)? for\b/, /\bdefin(e|ed|ition)\b/, /\bexplain\b/, /의미/, /뜻/, /정의/, /무슨 값/];

const FIND = [
  /\bwhich (table|dataset|data|dashboard|view|one)s?\b/, /\bwhat (table|dataset|dashboard)s?\b/, /\bis there (a|an|any)\b/, /\bare there (any)?\b/, /\bdo we have\b/, /\bwhere (can|do|should|is|are|would)\b/, /\bwhere'?s\b/,
  /\blooking for\b/, /\bneed (a|the|some)\b/, /\bany (table|dataset|dashboard)s?\b/, /\b(table|dashboard)s? (for|with|that|about|of|on)\b/, /\bsearch\b/, /\bfind\b/,
  /어떤 ?(테이블|데이터|대시보드)/, /어느 ?(테이블|데이터)/, /무슨 ?(테이블|데이터)/, /어디/, /(테이블|데이터|대시보드).*(있나요|있어요|있을까요|있는지|알려|뭐|무엇)/, /찾/,
];
const ANAPHORA = [/\b(it|its|it's|this|that|these|those|same) ?(table|one|dataset)?\b/, /\bthe table\b/, /그 ?(테이블|거|것|데이터)/, /이 ?(테이블|거|것|데이터)/, /저 ?(테이블|거)/, /거기/, /해당 ?(테이블|데이터)?/];

/** Reads the cues of a masked, lower-cased message. */
export function readCues(masked: string): Cues {
  // an aside in brackets explains the ask ("monthly, (by the last ping of the month)"); it does not make it
  const text = masked.toLowerCase().replace(/\([^()]*\)/g, ' ');
  const named = text.includes(MENTION);
  const cues: Cues = {
    help: any(text, HELP),
    dashboards: any(text, DASHBOARDS) && (!any(text, LAST_UPDATED) || any(text, DASHBOARDS_ASKED)),
    frequentUsers: any(text, FREQUENT),
    owners: any(text, OWNERS),
    lastUpdated: any(text, LAST_UPDATED),
    find: any(text, FIND),
    anaphora: any(text, ANAPHORA),
  };
  if (any(text, CREDENTIALS)) cues.outOfScope = 'credentials';
  else if (any(text, ACCESS)) cues.outOfScope = 'access';
  else if (any(text, WHY)) cues.outOfScope = 'why';
  else if (any(text, VALUE)) cues.outOfScope = 'value';
  if (any(text, ROW_COUNT)) cues.noData = 'row_count';
  else if (any(text, SIZE)) cues.noData = 'size';

  const up = any(text, UPSTREAM);
  const down = any(text, DOWNSTREAM);
  // "scores computed from product usage" describes a table's content; lineage needs a table to be about
  const from = named || any(text, ANAPHORA) ? FROM_CUE.exec(text) : null;
  if (from && !(up || down)) {
    const at = text.indexOf(MENTION);
    cues.lineage = at >= 0 && at > from.index ? 'downstream' : 'upstream';
  } else if (down && !up) cues.lineage = 'downstream';
  else if (up && !down) cues.lineage = 'upstream';
  else if (up && down) cues.lineage = /\bdownstream\b|다운스트림|하위|영향|affected|impact/.test(text) ? 'downstream' : 'upstream';
  if (cues.lineage) {
    const withoutNouns = text.replace(new RegExp(LINEAGE_NOUN.source, 'g'), ' ');
    cues.lineageNoun = LINEAGE_NOUN.test(text) && !any(withoutNouns, UPSTREAM) && !any(withoutNouns, DOWNSTREAM) && !FROM_CUE.test(withoutNouns);
  }

  const asked = GRANULARITY.find(([, p]) => p.test(text))?.[0];
  const strong = any(text, CADENCE_STRONG) && !PEOPLE_DOING.test(text);
  if (strong) cues.cadence = { strong: true, ...(asked ? { asked } : {}) };
  else if (asked && (any(text, LOAD_VERB) || any(text, IS_IT))) cues.cadence = { strong: false, asked };

  if (any(text, COLUMNS_WORD) && !(!named && any(text, TABLE_WITH_COLUMNS))) cues.columns = any(text, MEANING) ? 'meaning' : 'which';
  else if (any(text, MEANING)) cues.columns = 'meaning';
  return cues;
}

/** English words the cues are made of: typo correction knows them, so "frequncy" still reads as a cue. */
export const CUE_WORDS = [
  'help', 'usage', 'password', 'credentials', 'secret', 'token', 'dashboard', 'dashboards', 'owner', 'owners', 'owns', 'owned', 'maintains',
  'maintainer', 'maintained', 'responsible', 'contact', 'created', 'built', 'upstream', 'downstream', 'source', 'sources', 'parent', 'parents',
  'depends', 'dependent', 'dependents', 'dependencies', 'affected', 'impact', 'impacted', 'consumers', 'derived', 'generated', 'computed',
  'often', 'frequency', 'frequently', 'cadence', 'schedule', 'scheduled', 'interval', 'every', 'minute', 'hourly', 'daily', 'weekly',
  'monthly', 'minutely', 'realtime', 'updated', 'update', 'updates', 'loaded', 'refresh', 'refreshed', 'landed', 'ingested', 'fresh',
  'freshness', 'stale', 'stuck', 'latest', 'recent', 'delayed', 'column', 'columns', 'field', 'fields', 'attribute', 'meaning', 'means',
  'definition', 'explain', 'which', 'where', 'table', 'tables', 'dataset', 'heaviest', 'frequent', 'queries', 'readers', 'users', 'mostly',
];

/**
 * Words that say what kind of answer is wanted rather than which table: left out when the rest of a message is
 * searched to find the table it describes ("who owns the revenue by country table" searches revenue, country).
 */
export const INTENT_WORDS = [
  'owner', 'owners', 'own', 'owns', 'owned', 'maintain', 'maintains', 'maintainer', 'responsible', 'contact', 'ask', 'made', 'built', 'created',
  'update', 'updated', 'updates', 'last', 'latest', 'load', 'loaded', 'loads', 'refresh', 'refreshed', 'fresh', 'stale', 'stuck', 'when',
  'often', 'frequency', 'frequently', 'cadence', 'schedule', 'hourly', 'daily', 'weekly', 'monthly', 'every', 'column', 'columns', 'col',
  'field', 'fields', 'mean', 'means', 'meaning', 'upstream', 'downstream', 'source', 'come', 'comes', 'from', 'dashboard', 'dashboards',
  'use', 'uses', 'used', 'user', 'users', 'most', 'mostly', 'top', 'heaviest', 'reader', 'readers', 'queries', 'who', 'whom',
  '담당', '담당자', '오너', '관리', '관리자', '누구', '누가', '마지막', '마지막으로', '최신', '업데이트', '적재', '갱신', '언제', '시간', '시각', '주기',
  '자주', '얼마나', '매시간', '매일', '매주', '매달', '매월', '데일리', '위클리', '먼슬리', '컬럼', '칼럼', '컬럼명', '필드', '의미', '뜻', '원천', '만들어', '대시보드', '사용', '많이', '제일', '가장', '사람', '조회',
];
