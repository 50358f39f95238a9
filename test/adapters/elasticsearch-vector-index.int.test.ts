import { randomUUID } from 'node:crypto';
import { Client } from '@elastic/elasticsearch';
import { serviceEnv } from '../../bench/service-env';
import { ElasticsearchVectorIndex } from '../../src/adapters/elasticsearch/elasticsearch-vector-index';
import { describeVectorIndexContract } from '../contract/vector-index.contract';

const NODE = process.env.ELASTICSEARCH_URL ?? serviceEnv().ELASTICSEARCH_URL ?? 'http://127.0.0.1:9209';
const admin = new Client({ node: NODE });
const prefixes = new Map<object, string>();

afterAll(async () => {
  await admin.close();
});

describeVectorIndexContract('elasticsearch (dense_vector, kNN)', {
  async create() {
    const prefix = `v-${randomUUID().slice(0, 8)}`;
    const index = new ElasticsearchVectorIndex({ node: NODE, indexPrefix: prefix });
    await index.init();
    prefixes.set(index, prefix);
    return index;
  },
  async dispose(index) {
    await index.close();
    const prefix = prefixes.get(index)!;
    const names = Object.keys(await admin.indices.get({ index: `${prefix}-*`, expand_wildcards: 'all', allow_no_indices: true }));
    if (names.length) await admin.indices.delete({ index: names, ignore_unavailable: true });
  },
});
