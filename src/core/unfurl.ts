import { parseTableKey } from '../domain/keys';
import type { CoreDeps } from './deps';
import { tableCard, type TableCard } from './table-card';

/** What a shared link points at, when Nansen knows it. */
export type UnfurlTarget = { kind: 'table'; card: TableCard } | { kind: 'unknown' };

/**
 * The table key a link names: the key itself (`hive://gold.game_log/sessions`), or Nansen's own table link
 * `https://<unfurl domain>/tables/<url-encoded key>`. Undefined for anything else. Pure.
 */
export function tableKeyOfLink(url: string, domains: readonly string[]): string | undefined {
  const raw = url.replace(/^<|>$/g, '').split('|')[0]!;
  if (!/^https?:\/\//i.test(raw)) return parseTableKey(raw) ? raw : undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return undefined;
  }
  if (!/^https?:$/.test(parsed.protocol) || !domains.includes(parsed.hostname.toLowerCase())) return undefined;
  const m = /^\/tables\/(.+)$/.exec(parsed.pathname);
  if (!m) return undefined;
  let key: string;
  try {
    key = decodeURIComponent(m[1]!);
  } catch {
    return undefined;
  }
  return parseTableKey(key) ? key : undefined;
}

/** Nansen's own link to a table's card, on the first unfurl domain. */
export function tableLink(key: string, domains: readonly string[]): string | undefined {
  return domains[0] ? `https://${domains[0]}/tables/${encodeURIComponent(key)}` : undefined;
}

/** Loads what a link points at; `unknown` when it names no table the catalog holds. */
export async function resolveUnfurl(url: string, domains: readonly string[], deps: Pick<CoreDeps, 'graph' | 'now' | 'timeZone'>): Promise<UnfurlTarget> {
  const key = tableKeyOfLink(url, domains);
  if (!key || !(await deps.graph.getTable(key))) return { kind: 'unknown' };
  return { kind: 'table', card: await tableCard(key, deps) };
}
