/**
 * A call profiler for benchmarks: wraps an object so every method call is timed (wall time from call to settle),
 * summed per `<name>.<method>`. Calls that overlap are each counted in full, so the sum of the parts can exceed
 * the wall time when a caller runs them side by side.
 */
export interface CallProfile {
  /** Wraps `target`: its methods are timed under `name`. */
  wrap<T extends object>(target: T, name: string): T;
  /** Milliseconds since `reset` when the first call of `name.method` began, or undefined. */
  firstCallAt(key: string): number | undefined;
  /** Totals per `name.method`, largest first, rounded to milliseconds. */
  totals(): Array<{ call: string; calls: number; ms: number }>;
  reset(): void;
}

export function callProfile(): CallProfile {
  const sums = new Map<string, { calls: number; ms: number; first: number }>();
  let origin = performance.now();
  const record = (key: string, started: number): void => {
    const s = sums.get(key) ?? { calls: 0, ms: 0, first: started - origin };
    s.calls++;
    s.ms += performance.now() - started;
    sums.set(key, s);
  };
  return {
    wrap<T extends object>(target: T, name: string): T {
      return new Proxy(target, {
        get(obj, prop, receiver) {
          const value = Reflect.get(obj, prop, receiver) as unknown;
          if (typeof value !== 'function' || typeof prop !== 'string') return value;
          return (...args: unknown[]) => {
            const started = performance.now();
            const out = (value as (...a: unknown[]) => unknown).apply(obj, args);
            if (out instanceof Promise) return out.finally(() => record(`${name}.${prop}`, started));
            record(`${name}.${prop}`, started);
            return out;
          };
        },
      });
    },
    firstCallAt: (key) => sums.get(key)?.first,
    totals: () => [...sums].map(([call, s]) => ({ call, calls: s.calls, ms: Math.round(s.ms) })).sort((a, b) => b.ms - a.ms),
    reset() {
      sums.clear();
      origin = performance.now();
    },
  };
}
