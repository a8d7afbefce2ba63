/**
 * Libraries most requests never need, loaded by the first call that does instead of at start: importing them all
 * up front made every restart about a second slower (issue 22 §1, restart to ready ≤ 1.5 s). Their types stay
 * static imports (`import type`, erased at compile); their values come from these loaders, awaited inside the
 * async code that uses them. The costs noted are what each added to a start, measured on a development machine.
 *
 * Modules of ours that are built around such a library from top to bottom (the PDF and Word renderers, the PDF
 * signer, the CA certificate parser, the X.509 issuer) are loaded whole on first use by their callers instead, which
 * say so where they do; db/client.ts loads only the database driver in use.
 */

/** Memoises a loader; a failed load is not kept, so the next call tries again. */
export function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    });
    return loading;
  };
}

/** exceljs (~310 ms): Excel exports, templates and error files. */
export const loadExcelJs = once(() => import('exceljs').then((m) => m.default));

/** alipay-sdk (~260 ms): only when 支付宝 is configured, and only once a payment is made or checked. */
export const loadAlipaySdk = once(() => import('alipay-sdk').then((m) => m.AlipaySdk));

/** oidc-provider (~300 ms): the 统一认证中心's provider, built at the first /oidc request. */
export const loadOidcProvider = once(() => import('oidc-provider'));

/** sharp (~120 ms, a native addon): uploaded images, captchas, demo documents. */
export const loadSharp = once(() => import('sharp').then((m) => m.default));

/** nodemailer (~70 ms): SMTP mail, at the first message sent. */
export const loadNodemailer = once(() => import('nodemailer').then((m) => m.default));

/** file-type (~60 ms): what an upload really is, by its first bytes. */
export const loadFileType = once(() => import('file-type'));

/** @node-rs/argon2 (~45 ms, a native addon): hashing and checking passwords. */
export const loadArgon2 = once(() => import('@node-rs/argon2'));

/** openid-client (~40 ms): signing in through an OpenID Connect provider. */
export const loadOpenidClient = once(() => import('openid-client'));
