import { hasHangul } from '../text/analyze';
import type { Lang } from './types';

/** The most of a message that is read: a question never needs more, and a pasted log must not slow answers down. */
export const MAX_MESSAGE_CHARS = 2000;

/**
 * Removes what Slack adds around a question: user and channel mentions (`<@U0DATABOT>`, `<#C123|general>`),
 * special mentions (`<!here>`), links (`<https://…|label>` keeps the label), a leading `@bot` handle, emoji
 * codes (`:tada:`) and pictographs; decodes Slack's HTML escapes; collapses white space. Text only: nothing here
 * is ever interpreted as query syntax.
 */
export function cleanMessage(text: string | undefined): string {
  if (!text) return '';
  let s = text.length > MAX_MESSAGE_CHARS * 2 ? text.slice(0, MAX_MESSAGE_CHARS * 2) : text;
  s = s.normalize('NFKC');
  s = s.replace(/<[@#!][^>]*>/g, ' ');
  s = s.replace(/<((?:https?|mailto):[^>|]*)\|([^>]*)>/g, '$2');
  s = s.replace(/<((?:https?|mailto):[^>]*)>/g, ' ');
  s = s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  s = s.replace(/(^|\s)@[\w.-]+/g, '$1');
  s = s.replace(/:[a-z0-9_+-]+:/gi, ' ');
  s = s.replace(/\p{Extended_Pictographic}|[\u{1F3FB}-\u{1F3FF}]|\u{FE0F}|\u{200D}/gu, ' ');
  s = s.replace(/\s+/g, ' ').trim();
  return s.length > MAX_MESSAGE_CHARS ? s.slice(0, MAX_MESSAGE_CHARS) : s;
}

/** Korean when the message holds Hangul; English otherwise (the fallback for messages with no words). */
export function detectLang(text: string, fallback: Lang = 'en'): Lang {
  if (hasHangul(text)) return 'ko';
  return /\p{L}/u.test(text) ? 'en' : fallback;
}
