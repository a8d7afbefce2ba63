import { platformDateTime } from '@cpe/shared/platform-zone';

/** Times are stored in UTC and shown in the platform's time zone (platform-time.ts) as YYYY-MM-DD HH:mm:ss. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return platformDateTime(d);
}
/** Only same-site paths are followed after login (no //evil.example or javascript:). */
export function safeRedirect(target: string | null | undefined, fallback: string): string {
  if (!target?.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) return fallback;
  return target;
}
