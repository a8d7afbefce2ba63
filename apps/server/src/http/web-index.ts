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

const SITE_SCRIPT = /<script type="application\/json" id="cpe-site">[^<]*<\/script>/;

/**
 * index.html with the site's branding (what /api/site answers) as a JSON script the web apps read before their first
 * render (apps/web/src/features/identity/api.ts): the header, the footer and the demo banner are drawn in the first
 * paint instead of moving the page down when a request answers (a layout shift on every page). `<` and the two
 * JavaScript line separators are escaped, so no configured text can close the script element.
 */
export function withSite(html: string, site: object): string {
  const json = JSON.stringify(site).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  const script = `<script type="application/json" id="cpe-site">${json}</script>`;
  return SITE_SCRIPT.test(html)
    ? html.replace(SITE_SCRIPT, () => script)
    : html.replace(/<\/head>/i, () => `  ${script}\n  </head>`);
}
