/**
 * One instance per process, kept on globalThis: Next.js may load a module once per bundle (route
 * handlers, server actions, pages), and a cache — or its invalidation — must reach all of them.
 */
export function processSingleton<T>(name: string, create: () => T): T {
  const store = globalThis as typeof globalThis & { __clusterTlsSingletons?: Map<string, unknown> };
  store.__clusterTlsSingletons ??= new Map();
  if (!store.__clusterTlsSingletons.has(name)) store.__clusterTlsSingletons.set(name, create());
  return store.__clusterTlsSingletons.get(name) as T;
}
