import fs from 'node:fs';
import path from 'node:path';
import jsQR from 'jsqr';
import { type Browser, type BrowserContextOptions, chromium, type Locator, type Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, inject } from 'vitest';

export const publicUrl = () => inject('publicUrl');
export const staffUrl = () => inject('staffUrl');

let browser: Browser | undefined;

/** Debian's Chromium with the flags this machine needs (no network, no sandbox as root). */
export async function launch(): Promise<Browser> {
  browser ??= await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return browser;
}
afterAll(async () => {
  await browser?.close();
  browser = undefined;
});

/** A PNG of one colour: a stand-in picture or screenshot to upload. */
export const solidPng = (width: number, height: number, background: string): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer();

/** Whether the first <img> at `selector` actually loaded (its route answered with an image to this reader). */
export const imageLoaded = (page: Page, selector: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((img) => (img as HTMLImageElement).naturalWidth > 0);

export const VIEWPORTS = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 375, height: 780 },
  tablet: { width: 768, height: 1024 },
} as const;

/** A page in a fresh context (its own cookies); `device` adds a phone's user agent, touch and so on. */
export async function newPage(
  viewport: { width: number; height: number },
  device: Omit<BrowserContextOptions, 'viewport'> = {},
): Promise<Page> {
  const b = await launch();
  // Reduced motion: the app then opens dialogs without their zoom animation, so a click lands where Playwright aimed.
  const context = await b.newContext({
    viewport,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    reducedMotion: 'reduce',
    ...device,
  });
  return context.newPage();
}

/**
 * Reads what the demo outbox holds for `to` (a phone or a captcha id): the code a person would receive or read. The
 * outbox is the portal's of the platform under test unless another platform's portal is named.
 */
export async function outboxCode(kind: string, to: string, portal = publicUrl()): Promise<string> {
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${portal}/api/dev/outbox?kind=${kind}&to=${encodeURIComponent(to)}`);
    const { items } = (await res.json()) as { items: Array<{ code: string }> };
    if (items[0]) return items[0].code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no ${kind} in the outbox for ${to}`);
}

/** Fills the image captcha next to `root` with its answer. */
export async function solveImageCaptcha(page: Page): Promise<void> {
  const widget = page.locator('[data-testid="image-captcha"]').first();
  await widget.waitFor();
  const id = (await widget.getAttribute('data-captcha-id')) as string;
  await page.getByPlaceholder('请输入图片验证码').fill(await outboxCode('image-captcha', id));
}

/** Drags the slider handle by the puzzle's answer, as a person would line up the piece. */
export async function solveSlider(page: Page, portal = publicUrl()): Promise<void> {
  const root = page
    .locator('[data-captcha-id]')
    .filter({ has: page.locator('[data-testid="slider-handle"]') })
    .first();
  await root.waitFor();
  const id = (await root.getAttribute('data-captcha-id')) as string;
  const x = Number(await outboxCode('slider-captcha', id, portal));
  const handle = page.locator('[data-testid="slider-handle"]').first();
  const box = await handle.boundingBox();
  if (!box) throw new Error('slider handle not visible');
  const startX = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(startX, y);
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(startX + (x * i) / 10, y);
  await page.mouse.up();
  await page.getByText('验证通过').first().waitFor();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.resolve('test-results/screenshots');
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Reads a QR code from the pixels of an image on the page, as a phone's camera would. */
export async function readQrCode(img: Locator): Promise<string> {
  await img.waitFor();
  const { data, info } = await sharp(await img.screenshot())
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const decoded = jsQR(new Uint8ClampedArray(data), info.width, info.height);
  if (!decoded) throw new Error('no QR code in the image');
  return decoded.data;
}
