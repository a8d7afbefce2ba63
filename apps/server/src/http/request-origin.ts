import type { FastifyRequest } from 'fastify';

/** What a host header may look like: a name, an IPv4 address or a bracketed IPv6 address, and a port. */
const HOST_RE = /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

/**
 * The public URL a browser's request came in on, when that is one of the configured ones (PUBLIC_URL may list
 * several); otherwise the first, canonical one. Every address a browser is sent back to from a provider (a payment
 * cashier's return, 微信网页授权, a 第三方登录 callback) is built on it, because the person's cookies — the session
 * above all — belong to the host they opened the portal at: sent back to another name (an IP address instead of
 * the domain, `localhost` instead of `127.0.0.1`) they would arrive signed out although the payment went through.
 *
 * "Came in on" is the Host header (X-Forwarded-Host behind a proxy, only when TRUST_PROXY lets Fastify believe it:
 * `req.host`), not Origin or Referer. Host is what the browser connected to and so exactly the host its cookies were
 * sent for; it is on every request, also on the top-level navigations (/api/wechat/oauth, /api/sso/…/start) that
 * carry no Origin, and a referrer policy cannot strip it. Host is set by the client, so it only *selects* among the
 * configured origins and is never copied into a URL: a hostile Host (or X-Forwarded-Host from an untrusted peer)
 * gets the canonical address, so no redirect can point at a host the operator did not list.
 *
 * The host decides; the scheme comes from the configured URL, since behind a TLS proxy without TRUST_PROXY the
 * request itself looks like http. Only when one host is listed with both schemes does the request's decide.
 */
export function publicOrigin(req: Pick<FastifyRequest, 'host' | 'protocol'>, publicUrls: readonly string[]): string {
  const canonical = publicUrls[0];
  if (!canonical) throw new Error('publicOrigin: no public URL configured');
  const host = req.host;
  if (!host || !HOST_RE.test(host)) return canonical;
  const matching = publicUrls.filter((url) => sameHost(url, host));
  return matching.find((url) => url.startsWith(`${req.protocol}:`)) ?? matching[0] ?? canonical;
}

/** The Host header names this origin's host: compared as URLs, so `example.com:443` is `https://example.com`. */
function sameHost(origin: string, host: string): boolean {
  const configured = new URL(origin);
  try {
    return new URL(`${configured.protocol}//${host}`).host === configured.host;
  } catch {
    return false;
  }
}
