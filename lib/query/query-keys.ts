/**
 * TanStack Query keys, built in one place so a mutation invalidates exactly what it changed.
 * Pages render their first paint on the server; these keys name what the browser refetches.
 */
export const queryKeys = {
  cluster: (clusterId: string) => ["clusters", clusterId] as const,
  rotation: (clusterId: string) => [...queryKeys.cluster(clusterId), "rotation"] as const,
};
