import type { TableRecord } from '../../src/domain/model';

/** A table whose description says "SKUs": analysed as sk + us before analysis revision 2, as sku since. */
export const SKUS_TABLE: TableRecord = {
  key: 'hive://gold.shop/product_catalog',
  database: 'hive',
  cluster: 'gold',
  schema: 'shop',
  name: 'product_catalog',
  description: 'Every product with its SKUs and list prices.',
  columns: [{ name: 'product_id', type: 'bigint', position: 0 }],
};
