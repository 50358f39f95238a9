/**
 * Assembles src/search/simd-scan.wat with wabt and prints the module as base64, for the constant in
 * src/search/simd-scan.ts: `npx tsx tools/assemble-simd-scan.ts`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import wabtInit from 'wabt';

/** The binary module src/search/simd-scan.wat assembles to. */
export async function assembleSimdScan(): Promise<Buffer> {
  const wabt = await wabtInit();
  const text = readFileSync(join(__dirname, '..', 'src', 'search', 'simd-scan.wat'), 'utf8');
  const module = wabt.parseWat('simd-scan.wat', text, { simd: true });
  try {
    module.validate();
    return Buffer.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

if (require.main === module) {
  void assembleSimdScan().then((bytes) => process.stdout.write(`${bytes.toString('base64')}\n`));
}
