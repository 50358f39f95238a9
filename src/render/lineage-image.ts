/**
 * DOT → SVG (Graphviz compiled to WebAssembly, `@viz-js/viz`) → PNG (`@resvg/resvg-js`), bounded in pixels.
 * Labels in Korean need a CJK font among the system fonts (Debian's `fonts-noto-cjk`); without one the picture is
 * still drawn, its Hangul missing, and the result says so.
 */
import { existsSync } from 'node:fs';
import { renderAsync, Resvg } from '@resvg/resvg-js';
import { instance, type Viz } from '@viz-js/viz';

/** Pixel bounds of the picture. */
export interface LineageImageOptions {
  /** Widest picture in pixels (default 1600). */
  maxWidth?: number;
  /** Tallest picture in pixels (default 1600). */
  maxHeight?: number;
  /** Zoom of the SVG when it fits anyway (default 1.5, for sharp text on high-density screens). */
  zoom?: number;
  /** Where to look for a CJK font, first found wins (default: where Debian's `fonts-noto-cjk` and others put it). */
  cjkFontFiles?: string[];
}

/** A rendered picture. */
export interface LineageImage {
  png: Buffer;
  width: number;
  height: number;
  /** Whether a CJK font was found; when not, Hangul and other CJK text is not drawn. */
  cjkFont: boolean;
}

/** Where Debian's and other distributions' CJK fonts are installed. */
const CJK_FONT_FILES = [
  '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/opentype/noto/NotoSansCJKkr-Regular.otf',
  '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc',
  '/usr/share/fonts/truetype/nanum/NanumGothic.ttf',
];

let viz: Promise<Viz> | undefined;
const found = new Map<string, string | undefined>();

function cjkFontFile(candidates: string[]): string | undefined {
  const id = candidates.join('\n');
  if (!found.has(id)) found.set(id, candidates.find((f) => existsSync(f)));
  return found.get(id);
}

/** Graphviz's layout as SVG. Throws when the DOT does not parse. */
export async function dotToSvg(dot: string): Promise<string> {
  viz ??= instance();
  const result = (await viz).render(dot, { format: 'svg' });
  if (result.status !== 'success') throw new Error(`graphviz failed: ${result.errors.map((e) => e.message).join('; ')}`);
  return result.output;
}

/** Renders DOT to a PNG no larger than the bounds (scaled down to fit, never cropped); rasterises off the event loop. */
export async function renderLineagePng(dot: string, options: LineageImageOptions = {}): Promise<LineageImage> {
  const maxWidth = options.maxWidth ?? 1600;
  const maxHeight = options.maxHeight ?? 1600;
  const svg = await dotToSvg(dot);
  const font = cjkFontFile(options.cjkFontFiles ?? CJK_FONT_FILES);
  // a CJK font found by path is loaded even when the system's font configuration does not list it
  const fontOptions = { loadSystemFonts: true, ...(font ? { fontFiles: [font] } : {}) };
  const natural = new Resvg(svg, { font: { loadSystemFonts: false } });
  const zoom = Math.min(options.zoom ?? 1.5, maxWidth / natural.width, maxHeight / natural.height);
  // text shaping and rasterising run on libuv's thread pool, off the event loop that acknowledges Slack's requests
  const rendered = await renderAsync(svg, { font: fontOptions, fitTo: { mode: 'zoom', value: zoom }, background: 'white' });
  return { png: rendered.asPng(), width: rendered.width, height: rendered.height, cjkFont: Boolean(font) };
}
