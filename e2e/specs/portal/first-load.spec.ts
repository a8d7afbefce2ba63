import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, staffUrl, VIEWPORTS } from '../../browser.js';
import { portalLogin } from '../../session.js';

/**
 * Issue 22 §4, the portal on a phone: what a first visit downloads, on the build the platform serves. The scripts
 * index.html loads hold no chart or QR-code library and stay within a budget; 登录 loads the QR code library (and
 * zod, which 扫码登录's and CA 证书登录's shared schemas bring) only when they are used; pages that only show
 * statuses (公需科目, a plan, 课程培训, 我的证书) load no zod at all; the staff console's 数据看板
 * loads ECharts only when it shows a chart. (bench/lighthouse.ts measures the effect.)
 */
const ECHARTS = '[ECharts] ';
const QRCODE = 'testAlphanumeric';
const ZOD = 'ZodError';
/** antd's form library (@rc-component/form with async-validator): form pages load it, the first page does not. */
const FORMS = 'Validation error on field';
/** The first page's scripts, gzip: 203 KB when this was written, 192 KB once antd's helper packages were tree-shaken (vite.config.ts). */
const FIRST_PAGE_BUDGET_KB = 210;

const get = async (url: string) => {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  return res.text();
};

describe('a first visit on a phone', () => {
  it('loads small scripts with no chart, QR code or form library', async () => {
    const html = await get(`${publicUrl()}/`);
    const scripts = [
      ...html.matchAll(/<script type="module"[^>]* src="([^"]+)"/g),
      ...html.matchAll(/<link rel="modulepreload"[^>]* href="([^"]+)"/g),
    ].map((m) => m[1] as string);
    expect(scripts.length).toBeGreaterThan(1);
    let gzip = 0;
    for (const src of scripts) {
      const code = await get(`${publicUrl()}${src}`);
      expect(code.includes(ECHARTS), `${src} holds ECharts`).toBe(false);
      expect(code.includes(QRCODE), `${src} holds the QR code library`).toBe(false);
      expect(code.includes(FORMS), `${src} holds the form library`).toBe(false);
      gzip += zlib.gzipSync(code).length;
    }
    expect(gzip / 1024).toBeLessThan(FIRST_PAGE_BUDGET_KB);
  });

  it('opens 登录 without the QR code library or zod, and loads them when 扫码登录 is chosen', async () => {
    const page = await newPage(VIEWPORTS.phone);
    const scripts: Promise<string>[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(r.text());
    });
    const loaded = async (marker: string) => (await Promise.all(scripts)).some((code) => code.includes(marker));
    await page.goto(`${publicUrl()}/login`);
    await page.getByRole('button', { name: '登录', exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(await loaded(QRCODE)).toBe(false);
    expect(await loaded(ZOD)).toBe(false);
    await page.getByRole('tab', { name: '扫码登录' }).click();
    await page.getByRole('img', { name: '扫码登录二维码' }).waitFor();
    expect(await loaded(QRCODE)).toBe(true);
    await page.context().close();
  });

  it("asks for 登录's slider puzzle with the app, not after the login page's code, and once", async () => {
    const page = await newPage(VIEWPORTS.phone);
    const events: string[] = [];
    // The login page's code arrives late here (a slow connection): the puzzle must not wait for it.
    await page.route(/\/assets\/LoginPage-[\w-]+\.js$/, async (route) => {
      events.push('login page code requested');
      await new Promise((r) => setTimeout(r, 1500));
      events.push('login page code sent');
      await route.continue();
    });
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/captchas/slider')
        events.push('puzzle requested');
    });
    await page.goto(`${publicUrl()}/login`);
    await page.locator('.cpe-slider[data-captcha-id]').waitFor();
    await page.waitForLoadState('networkidle');
    expect(events.filter((e) => e === 'puzzle requested')).toHaveLength(1);
    expect(events.indexOf('puzzle requested')).toBeGreaterThanOrEqual(0);
    expect(events.indexOf('puzzle requested')).toBeLessThan(events.indexOf('login page code sent'));
    await page.context().close();
  });

  // antd runs with zeroRuntime: the build generated its components' CSS for our theme (apps/web/scripts/antd-css.ts);
  // the browser only writes the theme's CSS variables (and antd's icon and keyframe rules).
  it("compiles no antd component styles in the browser, and the build's apply with the theme", async () => {
    const page = await newPage(VIEWPORTS.phone);
    await page.goto(`${publicUrl()}/login`);
    const login = page.getByRole('button', { name: '登录', exact: true });
    await login.waitFor();
    await page.waitForLoadState('networkidle');
    const compiled = await page.evaluate(() =>
      [...document.querySelectorAll('style[data-css-hash]')]
        .map((s) => s.textContent ?? '')
        .filter((css) => !css.startsWith('.anticon') && !css.startsWith('@keyframes'))
        .flatMap((css) => [...css.matchAll(/[{;]\s*([-\w]+)\s*:/g)].map((m) => m[1]))
        .filter((property) => !property?.startsWith('--')),
    );
    expect(compiled).toEqual([]);
    expect(await login.evaluate((b) => getComputedStyle(b).backgroundColor)).toBe('rgb(26, 95, 180)');
    const input = page.getByPlaceholder('请输入密码').first();
    expect(await input.evaluate((i) => getComputedStyle(i.closest('.ant-input-affix-wrapper') ?? i).borderRadius)).toBe(
      '4px',
    );
    await page.context().close();
  });

  it('draws the branding in the first render, without asking /api/site', async () => {
    const page = await newPage(VIEWPORTS.phone);
    const asked: string[] = [];
    page.on('request', (r) => asked.push(new URL(r.url()).pathname));
    await page.goto(`${publicUrl()}/`);
    await page.getByText(/^版权所有：/).waitFor();
    await page.waitForLoadState('networkidle');
    expect(asked).toContain('/api/me');
    expect(asked).not.toContain('/api/site');
    await page.context().close();
  });

  // Pages that show rather than take input: their status labels come from @cpe/shared/labels/*, not the schemas.
  it.each([
    ['/', false],
    ['/gxkm', false],
    ['/gxkm/plans/:id', false],
    ['/study', true],
    ['/certificates', true],
  ] as const)('opens %s without zod', async (path, signedIn) => {
    const page = await newPage(VIEWPORTS.phone);
    if (signedIn) await portalLogin(page, 'zhangsan', 'Demo@2026');
    const scripts: Promise<string>[] = [];
    page.on('response', (r) => {
      if (r.request().resourceType() === 'script') scripts.push(r.text());
    });
    const plans = (await (await fetch(`${publicUrl()}/api/plans`)).json()) as { items: Array<{ id: string }> };
    await page.goto(`${publicUrl()}${path.replace(':id', plans.items[0]?.id as string)}`);
    await page.locator('.cpe-main h1, .cpe-main h2').first().waitFor();
    await page.waitForLoadState('networkidle');
    expect(scripts.length).toBeGreaterThan(1);
    expect((await Promise.all(scripts)).some((code) => code.includes(ZOD))).toBe(false);
    await page.context().close();
  });

  it("keeps ECharts out of 数据看板's chunk, in one loaded when a chart is shown", async () => {
    // The console's entry names 数据看板's chunk; that chunk names the one with the charts.
    const html = await get(`${staffUrl()}/`);
    const entry = /<script type="module"[^>]* src="([^"]+)"/.exec(html)?.[1] as string;
    const dashboard = /DashboardPage-[\w-]+\.js/.exec(await get(`${staffUrl()}${entry}`))?.[0] as string;
    expect(dashboard).toBeDefined();
    const code = await get(`${staffUrl()}/assets/${dashboard}`);
    expect(code.includes(ECHARTS)).toBe(false);
    expect(code.length / 1024).toBeLessThan(60);
    const charts = /EChart-[\w-]+\.js/.exec(code)?.[0] as string;
    expect(charts).toBeDefined();
    expect((await get(`${staffUrl()}/assets/${charts}`)).includes(ECHARTS)).toBe(true);
  });
});
