import type { WebClient } from '@slack/web-api';
import { drawLineage } from '../render/lineage-drawing';
import type { SlackDeps } from './deps';
import { t, type Lang } from '../text/catalogue';

/** Where the picture goes: a channel (or DM), in a thread when `threadTs` is set. */
export interface PictureTarget {
  channel: string;
  threadTs?: string;
}

/**
 * Whether the picture went out; when not, Slack's error code (`missing_scope`, `not_in_channel`…), `nothing_to_draw`
 * or the failure, and the list of names (mrkdwn) when the graph was read, to post in words instead.
 */
export type PictureOutcome = { posted: true; fileId?: string } | { posted: false; reason: string; list?: string };

/** Slack's reason for a failed Web API call, with the scope it needed when that was the trouble. */
function slackReason(err: unknown): { reason: string; needed?: string } {
  const data = (err as { data?: { error?: unknown; needed?: unknown } } | undefined)?.data;
  if (data && typeof data.error === 'string') return { reason: data.error, ...(typeof data.needed === 'string' ? { needed: data.needed } : {}) };
  return { reason: err instanceof Error ? err.message : String(err) };
}

/**
 * Draws a table's lineage (`drawLineage`: 2 hops up and down, its dashboards, deprecated and stale nodes marked) and
 * uploads it with `files.uploadV2` (`files.getUploadURLExternal`, the bytes, `files.completeUploadExternal`), the
 * list of names as its comment, in `lang` (the picture's own labels stay English). The drawing runs in
 * `deps.drawLineage` when set (the bot's answering threads, off the acknowledging thread). Never throws: a picture
 * that could not be drawn or posted is logged with Slack's reason, and the caller's text answer stands on its own.
 */
export async function postLineagePicture(client: WebClient, target: PictureTarget, tableKey: string, deps: Pick<SlackDeps, 'graph' | 'now' | 'timeZone' | 'log' | 'drawLineage'>, lang: Lang = 'en'): Promise<PictureOutcome> {
  const where = { channel: target.channel, ...(target.threadTs ? { threadTs: target.threadTs } : {}), table: tableKey };
  let stage = 'draw';
  let list: string | undefined;
  try {
    const started = performance.now();
    const drawing = await (deps.drawLineage ?? ((key: string, l: Lang) => drawLineage(key, deps, l)))(tableKey, lang);
    if (!drawing) {
      deps.log.info({ ...where }, 'no lineage to draw');
      return { posted: false, reason: 'nothing_to_draw' };
    }
    list = drawing.list;
    if (!drawing.image) throw new Error(drawing.failure ?? 'the lineage picture was not drawn');
    const image = drawing.image;
    if (!image.cjkFont && drawing.cjkLabels) {
      deps.log.warn({ ...where }, 'no CJK font installed (fonts-noto-cjk): Korean names are missing from the lineage picture');
    }
    const rendered = Math.round(performance.now() - started);
    stage = 'upload';
    const name = drawing.subject.replace(/[^\p{L}\p{N}._-]+/gu, '_').slice(0, 80);
    const file = { file: image.png, filename: `lineage-${name}.png`, title: t(lang, 'lineage.title', { subject: drawing.subject }), alt_text: drawing.altText, initial_comment: list };
    const result = await client.filesUploadV2(target.threadTs ? { ...file, channel_id: target.channel, thread_ts: target.threadTs } : { ...file, channel_id: target.channel });
    const fileId = (result as { files?: Array<{ files?: Array<{ id?: string }> }> }).files?.[0]?.files?.[0]?.id;
    deps.log.info({ ...where, nodes: drawing.nodes, omitted: drawing.omitted, width: image.width, height: image.height, bytes: image.png.length, renderMs: rendered }, 'lineage picture posted');
    return { posted: true, ...(fileId ? { fileId } : {}) };
  } catch (err) {
    const { reason, needed } = slackReason(err);
    const hint = reason === 'missing_scope' ? 'add the files:write scope and reinstall the app' : reason === 'not_in_channel' || reason === 'invalid_channel' ? 'invite Nansen to the channel' : undefined;
    deps.log.warn({ ...where, stage, reason, ...(needed ? { needed } : {}), ...(hint ? { hint } : {}), ...(stage === 'draw' ? { err } : {}) }, 'lineage picture not posted');
    return { posted: false, reason, ...(list ? { list } : {}) };
  }
}
