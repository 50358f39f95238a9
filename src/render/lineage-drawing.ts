/**
 * A table's lineage picture with what goes beside it, ready to upload: the graph read, laid out and rasterised in
 * one call, so the bot can run all of it in an answering thread (its CPU stays off the acknowledging thread).
 */
import { lineageGraph } from '../core/lineage-graph';
import type { CoreDeps } from '../core/deps';
import type { Lang } from '../text/catalogue';
import { lineageDot } from './lineage-dot';
import { renderLineagePng, type LineageImage } from './lineage-image';
import { lineageAltText, lineageListText } from './lineage-list';

/**
 * A drawn lineage. `image` is missing when Graphviz or the rasteriser failed (`failure` says why): the list of
 * names still stands, to post in words.
 */
export interface LineageDrawing {
  /** Nodes in the graph read (the picture may show fewer, `omitted` left out). */
  nodes: number;
  omitted: number;
  /** The subject's label, for the file's name and title. */
  subject: string;
  /** The names as mrkdwn (the picture's comment), in the reply language. */
  list: string;
  altText: string;
  /** Whether some label has Hangul or other CJK text (drawn only with a CJK font installed). */
  cjkLabels: boolean;
  image?: LineageImage;
  failure?: string;
}

const CJK = /[\u1100-\u11ff\u2e80-\u9fff\uac00-\ud7ff]/;

/**
 * Draws `tableKey`'s lineage (2 hops up and down, its dashboards, deprecated and stale nodes marked). Undefined when
 * there is nothing to draw (no lineage); throws `UserError('unknown_table')` for an unknown table.
 */
export async function drawLineage(tableKey: string, deps: Pick<CoreDeps, 'graph' | 'now' | 'timeZone'>, lang: Lang = 'en'): Promise<LineageDrawing | undefined> {
  const graph = await lineageGraph(tableKey, deps);
  if (graph.nodes.length < 2) return undefined;
  const { dot, omitted } = lineageDot(graph);
  const drawing: LineageDrawing = {
    nodes: graph.nodes.length,
    omitted,
    subject: graph.nodes[0]?.label ?? tableKey,
    list: lineageListText(graph, omitted, lang),
    altText: lineageAltText(graph, lang),
    cjkLabels: graph.nodes.some((n) => CJK.test(n.label)),
  };
  try {
    return { ...drawing, image: await renderLineagePng(dot) };
  } catch (err) {
    return { ...drawing, failure: err instanceof Error ? err.message : String(err) };
  }
}
