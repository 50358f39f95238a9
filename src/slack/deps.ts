import type { WebClient } from '@slack/web-api';
import type { AlertStore } from '../ports/alert-store';
import type { Answer } from '../answering/types';
import type { DataRequest, DataResult } from '../core/data-command';
import type { CoreDeps } from '../core/deps';
import type { AnswerPlace } from '../render/answer-actions';
import type { Rendered } from '../render/blocks-common';
import type { LineageDrawing } from '../render/lineage-drawing';
import type { Lang } from '../text/catalogue';
import type { UserLanguages } from './language';

/** What the Slack listeners need: the core's dependencies and the Slack renderer of answers. */
export interface SlackDeps extends CoreDeps {
  /** Renders an answer; `place` says where it goes (a DM has no channel to share a result to). */
  renderAnswer: (answer: Answer, place?: AnswerPlace) => Rendered;
  /** Runs a `/data` request elsewhere (the bot's answering threads); default: `runDataCommand` here. */
  dataCommand?: (request: DataRequest) => Promise<DataResult>;
  /** Schema-change alert subscriptions and mutes: the same store the worker delivers from. */
  alerts: AlertStore;
  /** How long a view submission waits for its edit before acknowledging anyway (Slack allows 3 s). */
  submitDeadlineMs?: number;
  /** Domains of Nansen's own table links (`NANSEN_UNFURL_DOMAINS`); `https://<domain>/tables/<key>` unfurls as a card. */
  unfurlDomains?: string[];
  /** Whether lineage answers come with a picture (`NANSEN_LINEAGE_PICTURES`; default on, needs `files:write`). */
  lineagePictures?: boolean;
  /** Draws a table's lineage picture elsewhere (the bot's answering threads); default: `drawLineage` here. */
  drawLineage?: (tableKey: string, lang: Lang) => Promise<LineageDrawing | undefined>;
  /** `NANSEN_LANGUAGE`: replies to people whose Slack locale is neither English nor Korean and who have not asked yet. */
  defaultLang?: Lang;
  /** Each person's reply language (Slack locale, last question, `defaultLang`); built by `createSlackApp` when absent. */
  languages?: UserLanguages;
  /** The Web API base URL when it is not Slack's (tests); response_urls are only followed to Slack or to it. */
  apiUrl?: string;
}

/** The language to reply to a person in (see ./language): `NANSEN_LANGUAGE` when there is no resolver. */
export async function replyLang(deps: Pick<SlackDeps, 'languages' | 'defaultLang'>, client: WebClient, user: string | undefined): Promise<Lang> {
  return deps.languages ? deps.languages.of(client, user) : (deps.defaultLang ?? 'en');
}

/** `replyLang` without waiting on Slack: for modals, opened within a trigger's 3 s. */
export function replyLangNow(deps: Pick<SlackDeps, 'languages' | 'defaultLang'>, client: WebClient, user: string | undefined): Lang {
  return deps.languages ? deps.languages.ofNow(client, user) : (deps.defaultLang ?? 'en');
}
