import { z } from 'zod';
import { ZMeResponse } from './identity.js';

/**
 * 扫码登录: the desktop asks for a ticket and shows its scan code as a QR; the person's phone, already signed in,
 * opens it, sees where the request comes from and confirms or cancels; the desktop's next poll is signed in.
 * Two secrets: the poll token stays in the desktop page, the scan code is in the QR (anyone who sees the QR
 * can at most ask the phone's owner to confirm, never collect the session).
 */
export const QR_LOGIN_TTL_SECONDS = 120;
/** The desktop polls this often; the issue asks the result to be seen within 2 s. */
export const QR_LOGIN_POLL_MS = 1500;

export const QR_LOGIN_STATUSES = ['pending', 'scanned', 'confirmed', 'cancelled', 'expired'] as const;
export type TQrLoginStatus = (typeof QR_LOGIN_STATUSES)[number];

export const ZQrLoginTicket = z.object({
  pollToken: z.string(),
  /** Path (with the scan code in the fragment, which browsers never send to a server) the QR points at. */
  scanPath: z.string(),
  expiresAt: z.string(),
});

const zTicketToken = (what: string) =>
  z
    .string({ error: `${what}无效` })
    .min(10, `${what}无效`)
    .max(120, `${what}无效`);

export const ZQrLoginPollRequest = z.object({ pollToken: zTicketToken('二维码') });
export const ZQrLoginPollResponse = z.object({
  status: z.enum(QR_LOGIN_STATUSES),
  expiresAt: z.string(),
  /** Present once, on the poll that signed this browser in. */
  me: ZMeResponse.optional(),
});

export const ZQrLoginScanRequest = z.object({ code: zTicketToken('二维码') });
export const ZQrLoginScanResponse = z.object({
  /** The desktop that asked: browser and system read from its user agent, its address and when it asked. */
  browser: z.string(),
  ip: z.string(),
  place: z.string(),
  requestedAt: z.string(),
  expiresAt: z.string(),
});
