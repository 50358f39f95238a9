/** Schema-change alerts: subscriptions, classification, the Block Kit message, planning, delivery, digests. */
export * from './classify';
export * from './context';
export * from './deliver';
export * from './digest';
export * from './message';
export * from './patterns';
export * from './plan';
export * from './rate-limit';
export * from './recent';
export * from './slack';
export * from './store';
export * from './subscriptions';
export * from './types';
export { SqliteAlertStore } from './sqlite-alert-store';
export { RedisAlertStore } from './redis-alert-store';
