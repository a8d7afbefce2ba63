/** A built web app as this process serves it: its folder, and its index.html as sent. */
export interface WebIndex {
  root: string;
  html: string;
}

const ZONE_META = /<meta name="cpe-time-zone" content="[^"]*"\s*\/?>/;

/**
 * index.html with the platform's time zone (PLATFORM_TIME_ZONE) in its `cpe-time-zone` meta, which the web apps read
 * before their first render (apps/web/src/shared/platform-time.ts): configuration reaches the browser without a
 * request, and a build serves any zone. The name is an IANA zone Intl accepted (config.ts), so it needs no escaping
 * beyond what is checked here.
 */
export function withPlatformTimeZone(html: string, zone: string): string {
  if (!/^[A-Za-z0-9_+\-/]+$/.test(zone)) throw new Error(`unexpected time zone name: ${zone}`);
  const meta = `<meta name="cpe-time-zone" content="${zone}" />`;
  return ZONE_META.test(html) ? html.replace(ZONE_META, meta) : html.replace(/<head>/i, `<head>\n    ${meta}`);
}
