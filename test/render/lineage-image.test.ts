import { lineageDot } from '../../src/render/lineage-dot';
import { renderLineagePng } from '../../src/render/lineage-image';
import { star } from './lineage-fixtures';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the PNG's IHDR chunk: what a viewer will show, not what the renderer claims. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('renderLineagePng', () => {
  it('renders a PNG of the lineage graph', async () => {
    const img = await renderLineagePng(lineageDot(star(2, 2, '게임.세션 로그')).dot);
    expect(img.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(pngSize(img.png)).toEqual({ width: img.width, height: img.height });
    expect(img.width).toBeGreaterThan(200);
    expect(img.height).toBeGreaterThan(50);
  });

  it('scales a large graph down to the pixel bounds', async () => {
    const big = lineageDot(star(20, 19)).dot; // 40 nodes, a tall column each side
    const img = await renderLineagePng(big, { maxWidth: 800, maxHeight: 600 });
    const { width, height } = pngSize(img.png);
    expect(width).toBeLessThanOrEqual(800);
    expect(height).toBeLessThanOrEqual(600);
    // scaled, not cropped: the aspect of the layout is kept
    const natural = await renderLineagePng(big, { zoom: 1, maxWidth: 1e6, maxHeight: 1e6 });
    expect(Math.abs(width / height - natural.width / natural.height)).toBeLessThan(0.05);
    expect(natural.height).toBeGreaterThan(600);
  });

  it('stays within the default bounds', async () => {
    const { width, height } = pngSize((await renderLineagePng(lineageDot(star(200, 200)).dot)).png);
    expect(width).toBeLessThanOrEqual(1600);
    expect(height).toBeLessThanOrEqual(1600);
  });

  it('still draws the picture when no CJK font is found, and says so', async () => {
    const dot = lineageDot(star(1, 1, '게임.세션')).dot;
    const without = await renderLineagePng(dot, { cjkFontFiles: ['/nonexistent/NotoSansCJK-Regular.ttc'] });
    expect(without.cjkFont).toBe(false);
    expect(without.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(without.width).toBeGreaterThan(100);
  });

  it('refuses DOT that does not parse', async () => {
    await expect(renderLineagePng('digraph { a -> ')).rejects.toThrow(/graphviz/);
  });
});
