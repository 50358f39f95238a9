/** Schema-change alerts: subscriptions, classification, the Block Kit message, planning, delivery, digests. */
export * from './classify';
export * from './context';
export * from './deliver';
export * from './digest';
export * from './message';
export * from './patterns';
export * from './plan';
export * from '../ports/channel-rate-limiter';
export * from './recent';
export * from '../adapters/slack/web-client-poster';
export * from '../ports/alert-store';
export * from './subscriptions';
export * from './types';
export { SqliteAlertStore } from '../adapters/embedded/sqlite-alert-store';
export { RedisAlertStore } from '../adapters/redis/redis-alert-store';
