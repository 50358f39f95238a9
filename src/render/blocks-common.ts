/**
 * Small Block Kit builders shared by the message, modal and Home renderers, each keeping inside Slack's limits
 * (section text 3000 characters, header 150, button text 75, value 2000, 10 context elements, 50 blocks a
 * message and 100 a view): text that would break a limit is shortened visibly (…), never rejected by Slack.
 */
import type { types } from '@slack/bolt';
import type { PersonRef } from '../core/people';
import { escapeMrkdwn, truncate } from '../text/mrkdwn';
import { t, type Lang } from '../text/catalogue';

export type Block = types.KnownBlock;
export type Button = types.Button;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;

/** A message: blocks plus the plain text Slack shows in notifications and to screen readers. */
export interface Rendered {
  text: string;
  blocks: Block[];
}

export const BLOCK_LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  sectionFields: 10,
  headerText: 150,
  buttonText: 75,
  buttonValue: 2000,
  contextElements: 10,
  actionsElements: 25,
  viewTitle: 24,
  privateMetadata: 3000,
} as const;

export function section(text: string, accessory?: Button, blockId?: string): Block {
  return {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(text || ' ', BLOCK_LIMITS.sectionText) },
    ...(accessory ? { accessory } : {}),
    ...(blockId ? { block_id: blockId } : {}),
  };
}

export function fields(items: string[]): Block {
  return { type: 'section', fields: items.slice(0, BLOCK_LIMITS.sectionFields).map((t) => ({ type: 'mrkdwn' as const, text: truncate(t || ' ', BLOCK_LIMITS.fieldText) })) };
}

export function header(text: string): Block {
  return { type: 'header', text: { type: 'plain_text', text: truncate(text, BLOCK_LIMITS.headerText), emoji: true } };
}

export function context(texts: string[]): Block {
  const els = texts.filter(Boolean).slice(0, BLOCK_LIMITS.contextElements);
  return { type: 'context', elements: (els.length ? els : [' ']).map((t) => ({ type: 'mrkdwn' as const, text: truncate(t, BLOCK_LIMITS.sectionText) })) };
}

export function divider(): Block {
  return { type: 'divider' };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, BLOCK_LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value: value.length > BLOCK_LIMITS.buttonValue ? value.slice(0, BLOCK_LIMITS.buttonValue) : value,
    ...(style ? { style } : {}),
  };
}

/** Buttons in rows of at most 25 (one actions block each). */
export function actions(buttons: Button[], blockId?: string): Block[] {
  const out: Block[] = [];
  for (let i = 0; i < buttons.length; i += BLOCK_LIMITS.actionsElements) {
    const id = blockId ? (i ? `${blockId}.${i / BLOCK_LIMITS.actionsElements}` : blockId) : undefined;
    out.push({ type: 'actions', elements: buttons.slice(i, i + BLOCK_LIMITS.actionsElements), ...(id ? { block_id: id } : {}) });
  }
  return out;
}

/** A person as Slack shows them: a mention when the Slack id is known (Slack renders the name), else the name. */
export function person(p: PersonRef): string {
  return p.slackId ? `<@${p.slackId}>` : escapeMrkdwn(p.name ?? p.id);
}

export function people(ps: PersonRef[], max = 8, lang: Lang = 'en'): string {
  if (!ps.length) return t(lang, 'list.none');
  const shown = ps.slice(0, max).map(person).join(', ');
  return ps.length > max ? t(lang, 'list.andMore', { shown, n: ps.length - max }) : shown;
}

/** "3 hours ago", "2 days ago", "in 5 minutes"; "3시간 전". */
export function timeAgo(iso: string, now: Date, lang: Lang = 'en'): string {
  const diff = now.getTime() - Date.parse(iso);
  const abs = Math.abs(diff);
  if (abs < 60_000) return t(lang, diff >= 0 ? 'time.justNow' : 'time.inAMoment');
  const amount =
    abs < 3_600_000
      ? t(lang, 'time.minutes', { n: Math.round(abs / 60_000) })
      : abs < 48 * 3_600_000
        ? t(lang, 'time.hours', { n: Math.round(abs / 3_600_000) })
        : abs < 60 * 86_400_000
          ? t(lang, 'time.days', { n: Math.round(abs / 86_400_000) })
          : t(lang, 'time.months', { n: Math.round(abs / (30 * 86_400_000)) });
  return t(lang, diff >= 0 ? 'time.ago' : 'time.in', { amount });
}

/** Abbreviations people read more easily than `GMT+9`. */
const ZONE_NAMES: Record<string, string> = { 'Asia/Seoul': 'KST', 'Asia/Tokyo': 'JST', UTC: 'UTC', 'Etc/UTC': 'UTC' };

/** A time in a time zone, `2026-11-24 17:05 KST`-like. */
export function formatTime(iso: string, timeZone: string): string {
  const d = new Date(iso);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' }).formatToParts(d);
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${ZONE_NAMES[timeZone] ?? get('timeZoneName')}`.trim();
}

/**
 * A time Slack shows in each reader's own time zone, with a fallback in the catalog's time zone (the terminal and
 * old clients show the fallback).
 */
export function slackTime(iso: string, timeZone: string): string {
  const epoch = Math.floor(Date.parse(iso) / 1000);
  return `<!date^${epoch}^{date_short_pretty} {time}|${formatTime(iso, timeZone)}>`;
}

export const BADGE_EMOJI: Record<string, string> = { certified: ':white_check_mark:', deprecated: ':warning:', pii: ':lock:', gold: ':large_yellow_circle:' };

export function badgeText(badges: string[], deprecated: boolean): string {
  const all = [...badges, ...(deprecated && !badges.includes('deprecated') ? ['deprecated'] : [])];
  return all.map((b) => `${BADGE_EMOJI[b] ?? ':label:'} ${escapeMrkdwn(b)}`).join('  ');
}

/** Packs lines into as few sections as fit the text limit (a line longer than the limit is shortened). */
export function packLines(lines: string[], max = BLOCK_LIMITS.sectionText): Block[] {
  const out: Block[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncate(raw, max);
    if (current && current.length + 1 + line.length > max) {
      out.push(section(current));
      current = line;
    } else current = current ? `${current}\n${line}` : line;
  }
  if (current) out.push(section(current));
  return out;
}

/**
 * Keeps a list of blocks within a limit: when there are too many, the tail is cut and a context block says so.
 * Renderers build within limits; this is the last guard.
 */
export function fitBlocks(blocks: Block[], max: number, lang: Lang = 'en'): Block[] {
  if (blocks.length <= max) return blocks;
  return [...blocks.slice(0, max - 1), context([t(lang, 'list.tooLong')])];
}

/**
 * Keeps a view's blocks within its block count and Slack's 250 kB view size (with room for the view's other
 * fields): the tail is cut and a context block says so.
 */
export function fitView(blocks: Block[], maxBlocks: number, maxBytes = 240 * 1024, lang: Lang = 'en'): Block[] {
  let out = fitBlocks(blocks, maxBlocks, lang);
  while (out.length > 1 && Buffer.byteLength(JSON.stringify(out)) > maxBytes) {
    out = [...out.slice(0, Math.max(1, Math.floor(out.length * 0.8)) - 1), context([t(lang, 'list.tooLong')])];
  }
  return out;
}

/**
 * Plain text of mrkdwn, for a message's `text` fallback: dates, mentions and links become their labels. Escaped
 * characters stay escaped (`&lt;` is never turned back into `<`), so the result is as safe as its input; whatever is
 * left of `<`/`>` is escaped too.
 */
export function plain(mrkdwn: string): string {
  return escapeMrkdwn(
    mrkdwn
      .replace(/<!date\^[^|>]*\|([^>]*)>/g, '$1')
      .replace(/<@([A-Z0-9]+)(?:\|([^>]*))?>/g, (_, id: string, name?: string) => `@${name ?? id}`)
      .replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)')
      .replace(/<(https?:[^>]+)>/g, '$1')
      .replace(/<![^>]*>/g, ''),
  );
}
