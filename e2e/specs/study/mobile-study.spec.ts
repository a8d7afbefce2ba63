import { describe, expect, it } from 'vitest';
import { newPage, publicUrl, readQrCode, screenshot, VIEWPORTS } from '../../browser.js';

/**
 * 手机学习 (issue 21 §3, seed §三(二)): from 首页 (and 课程培训) a page with the QR code of the phone pages and the
 * 微信公众号 with the seed's steps.
 */
describe('手机学习', () => {
  it.each(Object.entries(VIEWPORTS))(
    'at %s: reached from 首页, its QR code opens the phone pages',
    async (name, viewport) => {
      const page = await newPage(viewport);
      await page.goto(`${publicUrl()}/`);
      await page
        .getByRole('link', { name: /手机学习/ })
        .first()
        .click();
      await page.waitForURL((u) => u.pathname === '/mobile-study');
      await page.getByRole('heading', { name: '手机学习', level: 1 }).waitFor();
      expect(await readQrCode(page.getByAltText(/^手机版二维码/))).toBe(`${publicUrl()}/gxkm`);
      await page.getByText('关注微信公众号。通过搜索“重庆市人力资源开发服务中心”').waitFor();
      await page.getByText('进入微信公众号选择继续教育栏目中的公需科目').waitFor();
      await screenshot(page, `mobile-study-${name}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      await page.context().close();
    },
  );
});
