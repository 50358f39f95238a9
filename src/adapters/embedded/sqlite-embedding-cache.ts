import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { EmbedOptions, Embedder, EmbeddingModel, EmbeddingRole } from '../../ports/embedder';
import { vectorFromBytes, vectorToBytes } from '../../search/vectors';
import { openSqlite } from './sqlite';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS embedding_cache (id TEXT PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS embedding_models (name TEXT PRIMARY KEY, dimensions INTEGER NOT NULL) WITHOUT ROWID;
`;

/**
 * An `Embedder` that remembers every vector it was given, in a SQLite file, keyed by model, request, role and
 * text: the evaluation and the benchmarks build fresh stores every run, and a 400-table catalog takes the model
 * minutes on two cores. A text seen before costs no call; the model's dimension is remembered too, so a fully cached
 * run needs no server at all. `request` names everything else that shapes a vector (the server, how a role reaches
 * the model: prefixes or `input_type`): a passage embedded without its role is another vector, and must not be
 * served to a run that sends it.
 */
export class CachedEmbedder implements Embedder {
  private readonly db: Database.Database;
  private known: EmbeddingModel | undefined;

  constructor(
    private readonly inner: Embedder,
    private readonly modelName: string,
    path: string,
    private readonly request = '',
  ) {
    this.db = openSqlite(path, SCHEMA);
    const row = this.db.prepare('SELECT dimensions FROM embedding_models WHERE name = ?').get(modelName) as { dimensions: number } | undefined;
    if (row) this.known = { name: modelName, dimensions: row.dimensions };
  }

  model(): EmbeddingModel | undefined {
    return this.known ?? this.inner.model();
  }

  async probe(options: { timeoutMs?: number } = {}): Promise<EmbeddingModel> {
    if (this.known) return this.known;
    return this.remember(await this.inner.probe(options));
  }

  private remember(model: EmbeddingModel): EmbeddingModel {
    this.db.prepare('INSERT OR REPLACE INTO embedding_models (name, dimensions) VALUES (?, ?)').run(model.name, model.dimensions);
    this.known = model;
    return model;
  }

  private id(text: string, role: EmbeddingRole): string {
    return createHash('sha1').update(`${this.modelName}\n${this.request}\n${role}\n${text}`).digest('base64');
  }

  async embed(texts: string[], role: EmbeddingRole, options: EmbedOptions = {}): Promise<Float32Array[]> {
    const get = this.db.prepare('SELECT vector FROM embedding_cache WHERE id = ?');
    const out: Array<Float32Array | undefined> = texts.map((t) => {
      const row = get.get(this.id(t, role)) as { vector: Buffer } | undefined;
      return row ? vectorFromBytes(row.vector) : undefined;
    });
    const missing = [...new Set(texts.filter((_, i) => !out[i]))];
    if (missing.length) {
      const vectors = await this.inner.embed(missing, role, options);
      const put = this.db.prepare('INSERT OR REPLACE INTO embedding_cache (id, vector) VALUES (?, ?)');
      const byText = new Map(missing.map((t, i) => [t, vectors[i]!]));
      this.db.transaction(() => {
        for (const [t, v] of byText) put.run(this.id(t, role), vectorToBytes(v));
      })();
      texts.forEach((t, i) => (out[i] ??= byText.get(t)));
      const model = this.inner.model();
      if (model && !this.known) this.remember(model);
    }
    return out as Float32Array[];
  }

  close(): void {
    this.db.close();
  }
}
