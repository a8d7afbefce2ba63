/** 1.2M / 35K, as the upload hints write sizes. */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)}M`;
  return `${Math.max(1, Math.round(bytes / 1024))}K`;
}
