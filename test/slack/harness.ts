/**
 * The real Bolt app, wired to embedded stores in a temp dir (seeded from the demo catalog) and to the fake Slack
 * API on loopback, in HTTP mode (signed requests) or Socket Mode (through the fake's WebSocket server).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteGraphStore } from '../../src/adapters/embedded/sqlite-graph-store';
import { SqliteSearchIndex } from '../../src/adapters/embedded/sqlite-search-index';
import { SqliteAlertStore } from '../../src/adapters/embedded/sqlite-alert-store';
import { answer as realAnswer } from '../../src/answering/answer';
import { importCatalog, readCatalogFile } from '../../src/catalog/import';
import type { AnswerFn, EditPolicy } from '../../src/core/deps';
import { MemoryEventDeduper, MemoryThreadContextStore, MemoryUserStateStore } from '../../src/adapters/memory/memory-chat-state';
import type { EventDeduper } from '../../src/ports/event-deduper';
import type { ThreadContextStore } from '../../src/ports/thread-context-store';
import type { UserStateStore } from '../../src/ports/user-state-store';
import { silentLogger, type Logger } from '../../src/log/logger';
import { createSlackApp, type SlackApp } from '../../src/slack/app';
import type { SlackDeps } from '../../src/slack/deps';
import { renderAnswerForSlack } from './render-answer';
import { FakeSlack, type FakeSlackOptions, type RecordedCall } from '../../tools/fake-slack/server';
import * as P from '../../tools/fake-slack/payloads';

export const SECRET = 'test-signing-secret-0123456789abcdef';
export const DEMO_NOW = new Date('2026-11-24T09:00:00Z');
export const DEMO_CATALOG = join(__dirname, '../../data/demo-catalog.json');
export const SESSIONS = 'hive://gold.game_log/sessions';
export const LATENCY = 'hive://gold.game_log/network_latency_by_country';
/** Slack ids of demo users (data/demo-catalog.json): jiwoo.kim owns sessions; minsu.lee does not. */
export const JIWOO = 'U0DEMO0001';
export const MINSU = 'U0DEMO0002';
export const STRANGER = 'U0STRANGER';

export interface HarnessOptions {
  socket?: boolean;
  policy?: EditPolicy;
  fake?: FakeSlackOptions;
  dedupe?: EventDeduper;
  userState?: UserStateStore;
  threads?: ThreadContextStore;
  answer?: AnswerFn;
  /** Runs `/data` requests elsewhere (the bot's answering threads); default: on the app's thread. */
  dataCommand?: SlackDeps['dataCommand'];
  log?: Logger;
  submitDeadlineMs?: number;
  renderAnswer?: SlackDeps['renderAnswer'];
  misses?: SlackDeps['misses'];
  recordAskers?: boolean;
  admins?: string[];
  unfurlDomains?: string[];
  lineagePictures?: boolean;
  /** Draws lineage pictures elsewhere (the bot's answering threads); default: on the app's thread. */
  drawLineage?: SlackDeps['drawLineage'];
  /** `NANSEN_LANGUAGE`. */
  defaultLang?: 'en' | 'ko';
}

/** Where a click happens: by default an ephemeral message in C0GENERAL1 with a fresh response_url. */
export interface ClickOptions {
  user?: string;
  responseUrl?: string;
  view?: Record<string, unknown>;
  selectedOption?: { text: string; value: string };
  /** The message with the button: its channel, whether it is ephemeral, its ts and thread. */
  channel?: string;
  ephemeral?: boolean;
  messageTs?: string;
  threadTs?: string;
}

export interface Harness {
  fake: FakeSlack;
  slack: SlackApp;
  deps: SlackDeps;
  /** Bolt's HTTP endpoint (HTTP mode). */
  url: string;
  dir: string;
  /** Sends `/data <text>`; resolves with the HTTP ack and the response_url used. */
  command(text: string, opts?: { user?: string; channel?: string }): Promise<P.SignedResponse & { responseUrl: string }>;
  /** Sends an Events API callback (optionally as a retry). */
  event(envelope: Record<string, unknown>, retry?: { num: number; reason?: string }): Promise<P.SignedResponse>;
  /** Clicks a button. */
  click(actionId: string, value: string, opts?: ClickOptions): Promise<P.SignedResponse & { triggerId: string; responseUrl: string }>;
  /** Uses a message shortcut on a message. */
  shortcut(callbackId: string, message: Parameters<typeof P.messageShortcut>[0]['message'], opts?: { user?: string; channel?: string }): Promise<P.SignedResponse & { triggerId: string; responseUrl: string }>;
  /** Submits a modal with the given values. */
  submit(view: Record<string, unknown>, values: Record<string, Record<string, P.SubmittedValue>>, user?: string): Promise<P.SignedResponse>;
  /** Waits for the n-th (1-based) response_url post to a URL. */
  responses(responseUrl: string, count?: number, timeoutMs?: number): Promise<RecordedCall[]>;
  close(): Promise<void>;
}

/** Finds the first button in blocks whose action id starts with `prefix`. */
export function findButton(blocks: unknown, prefix: string): { action_id: string; value: string } {
  for (const b of (blocks as Array<Record<string, unknown>>) ?? []) {
    const els = [...((b.elements as Array<Record<string, unknown>>) ?? []), ...(b.accessory ? [b.accessory as Record<string, unknown>] : [])];
    for (const e of els) if (typeof e.action_id === 'string' && e.action_id.startsWith(prefix)) return { action_id: e.action_id, value: String(e.value) };
  }
  throw new Error(`no button ${prefix} in blocks`);
}

/** The card's overflow menu option for an action (`description`, `columns`, `tags`, `owners`, `history`). */
export function findMenuOption(blocks: unknown, a: string): { action_id: string; value: string; selectedOption: { text: string; value: string } } {
  for (const b of (blocks as Array<Record<string, unknown>>) ?? []) {
    for (const e of (b.elements as Array<Record<string, unknown>>) ?? []) {
      if (e.type !== 'overflow') continue;
      for (const o of e.options as Array<{ text: { text: string }; value: string }>) {
        if ((JSON.parse(o.value) as { a?: string }).a === a) return { action_id: String(e.action_id), value: o.value, selectedOption: { text: o.text.text, value: o.value } };
      }
    }
  }
  throw new Error(`no menu option ${a} in blocks`);
}

/** All mrkdwn/plain text of blocks, joined: what a person reads. */
export function blocksText(blocks: unknown): string {
  const out: string[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') {
      const o = x as Record<string, unknown>;
      if (typeof o.text === 'string') out.push(o.text);
      for (const v of Object.values(o)) if (typeof v === 'object') walk(v);
    }
  };
  walk(blocks);
  return out.join('\n');
}

/** A harness on NANSEN_LANGUAGE=ko in which Jiwoo's Slack locale is en-US: one person Slack says reads English. */
export async function startKoreanDefaultHarness(): Promise<Harness> {
  const h = await startHarness({ defaultLang: 'ko' });
  h.fake.setUserLocale(JIWOO, 'en-US');
  return h;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'nansen-slack-'));
  const graph = new SqliteGraphStore({ path: join(dir, 'graph.sqlite'), clock: () => new Date() });
  const search = new SqliteSearchIndex({ path: join(dir, 'search.sqlite') });
  const alerts = new SqliteAlertStore({ path: join(dir, 'alerts.sqlite') });
  await graph.init();
  await search.init();
  await alerts.init();
  await importCatalog(await readCatalogFile(DEMO_CATALOG), { graph, search });
  const fake = await FakeSlack.start({ postMessageRate: false, ...options.fake });
  const deps: SlackDeps = {
    graph,
    search,
    answer: options.answer ?? realAnswer,
    threads: options.threads ?? new MemoryThreadContextStore(),
    dedupe: options.dedupe ?? new MemoryEventDeduper(),
    userState: options.userState ?? new MemoryUserStateStore(),
    policy: options.policy ?? { mode: 'everyone' },
    now: () => DEMO_NOW,
    timeZone: 'Asia/Seoul',
    log: options.log ?? silentLogger(),
    renderAnswer: options.renderAnswer ?? renderAnswerForSlack,
    alerts,
    ...(options.dataCommand ? { dataCommand: options.dataCommand } : {}),
    ...(options.misses ? { misses: options.misses } : {}),
    ...(options.recordAskers ? { recordAskers: true } : {}),
    ...(options.admins ? { admins: new Set(options.admins) } : {}),
    ...(options.unfurlDomains ? { unfurlDomains: options.unfurlDomains } : {}),
    ...(options.lineagePictures !== undefined ? { lineagePictures: options.lineagePictures } : {}),
    ...(options.drawLineage ? { drawLineage: options.drawLineage } : {}),
    ...(options.defaultLang ? { defaultLang: options.defaultLang } : {}),
    ...(options.submitDeadlineMs !== undefined ? { submitDeadlineMs: options.submitDeadlineMs } : {}),
  };
  const slack = createSlackApp(
    {
      botToken: fake.options.botToken,
      apiUrl: fake.apiUrl,
      ...(options.socket ? { appToken: fake.options.appToken } : { signingSecret: SECRET, port: 0, host: '127.0.0.1' }),
    },
    deps,
  );
  const { port } = await slack.start();
  const url = `http://127.0.0.1:${port ?? 0}/slack/events`;
  const h: Harness = {
    fake,
    slack,
    deps,
    url,
    dir,
    async command(text, opts = {}) {
      const responseUrl = fake.responseUrl();
      const r = await P.postCommand(url, SECRET, P.slashCommand({ text, userId: opts.user, channelId: opts.channel, triggerId: fake.issueTriggerId(), responseUrl }));
      return { ...r, responseUrl };
    },
    event(envelope, retry) {
      return P.postEvent(url, SECRET, envelope, retry);
    },
    async click(actionId, value, opts = {}) {
      const triggerId = fake.issueTriggerId();
      const responseUrl = opts.view ? '' : (opts.responseUrl ?? fake.responseUrl());
      const r = await P.postInteraction(url, SECRET, P.blockAction({ actionId, value, userId: opts.user, triggerId, ...(responseUrl ? { responseUrl } : {}), ...(opts.view ? { view: opts.view } : {}), ...(opts.selectedOption ? { selectedOption: opts.selectedOption } : {}), ...(opts.channel ? { channelId: opts.channel } : {}), ...(opts.ephemeral !== undefined ? { ephemeral: opts.ephemeral } : {}), ...(opts.messageTs ? { messageTs: opts.messageTs } : {}), ...(opts.threadTs ? { threadTs: opts.threadTs } : {}) }));
      return { ...r, triggerId, responseUrl };
    },
    async shortcut(callbackId, message, opts = {}) {
      const triggerId = fake.issueTriggerId();
      const responseUrl = fake.responseUrl();
      const r = await P.postInteraction(url, SECRET, P.messageShortcut({ callbackId, triggerId, responseUrl, message, userId: opts.user, channelId: opts.channel }));
      return { ...r, triggerId, responseUrl };
    },
    submit(view, values, user) {
      return P.postInteraction(url, SECRET, P.viewSubmission({ view, values, userId: user, triggerId: fake.issueTriggerId() }));
    },
    async responses(responseUrl, count = 1, timeoutMs = 5000) {
      const id = responseUrl.split('/').pop();
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const got = fake.callsTo('response_url').filter((c) => c.args.url_id === id);
        if (got.length >= count) return got;
        if (Date.now() > deadline) throw new Error(`expected ${count} posts to ${responseUrl}, got ${got.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      await slack.stop().catch(() => undefined);
      await fake.close();
      await graph.close();
      await search.close();
      await alerts.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}
