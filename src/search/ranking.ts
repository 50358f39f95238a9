import type { IsoTime } from '../domain/model';
import type { SearchDocument, SearchHit } from '../ports/search-index';

/** A text match as an engine returns it, with the document's priors. */
export type ScoredCandidate = Pick<SearchDocument, 'key' | 'kind' | 'popularity' | 'badges' | 'deprecated' | 'lastUpdatedAt' | 'cadenceHours'> & {
  textScore: number;
};

/** How many candidates an adapter fetches from its engine before the priors reorder them. */
export function candidatePoolSize(limit: number): number {
  return Math.max(100, limit * 5);
}

const HOUR_MS = 3_600_000;

/** Multiplier for how stale a document is: 1 when fresh, lower when its last load is long overdue. */
export function freshnessFactor(doc: Pick<ScoredCandidate, 'lastUpdatedAt' | 'cadenceHours'>, nowMs: number): number {
  if (!doc.lastUpdatedAt) return 1;
  const ageHours = (nowMs - Date.parse(doc.lastUpdatedAt)) / HOUR_MS;
  const allowed = Math.max(doc.cadenceHours ? doc.cadenceHours * 3 : 0, 24 * 30);
  return ageHours > allowed ? 0.85 : 1;
}

/** The prior multiplier of one document: popularity breaks ties, certification lifts, deprecation sinks. */
export function priorFactor(doc: ScoredCandidate, nowMs: number): number {
  let factor = 1 + 0.04 * Math.log10(1 + Math.max(0, doc.popularity));
  if (doc.badges.includes('certified')) factor *= 1.1;
  if (doc.deprecated) factor *= 0.5;
  return factor * freshnessFactor(doc, nowMs);
}

/**
 * Applies the ranking priors to engine candidates and returns the best `limit`, highest score first.
 * Every `SearchIndex` adapter calls this, so ranking does not depend on the engine beyond text scores.
 */
export function applyRankingPriors(candidates: ScoredCandidate[], limit: number, now?: IsoTime): SearchHit[] {
  const nowMs = now ? Date.parse(now) : Date.now();
  return candidates
    .map((c) => ({ key: c.key, kind: c.kind, textScore: c.textScore, score: c.textScore * priorFactor(c, nowMs) }))
    .sort((a, b) => b.score - a.score || a.key.localeCompare(b.key))
    .slice(0, limit);
}
