import { describe, expect, it } from 'vitest';
import { noticeImageIds, renderNoticeMarkdown } from './notice-markdown.js';

const ID = '3f2b8c1e-9a4d-4e6f-8b7a-1c2d3e4f5a6b';
const url = (id: string) => `/files/${id}`;

describe('通知公告 bodies', () => {
  it('renders headings, paragraphs, lists, bold, links and our images', () => {
    const html = renderNoticeMarkdown(
      `## 一、学习对象\n全市专业技术人员\n第二行\n\n- **30学时**\n- 两项\n\n1. 第一\n2. 第二\n\n[官网](https://example.gov.cn/a?b=1&c=2)\n![海报](image:${ID})`,
      url,
    );
    expect(html).toBe(
      [
        '<h3>一、学习对象</h3>',
        '<p>全市专业技术人员<br>第二行</p>',
        '<ul><li><strong>30学时</strong></li><li>两项</li></ul>',
        '<ol><li>第一</li><li>第二</li></ol>',
        `<p><a href="https://example.gov.cn/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">官网</a><br><img src="/files/${ID}" alt="海报" loading="lazy"></p>`,
      ].join('\n'),
    );
    expect(noticeImageIds(`![a](image:${ID}) ![b](image:${ID.toUpperCase()})`)).toEqual([ID]);
  });

  it('never lets markup, handlers or script URLs through', () => {
    const html = renderNoticeMarkdown(
      [
        '<script>alert(1)</script>',
        '<img src=x onerror=alert(1)>',
        '[x](javascript:alert(1)) [y](data:text/html,hi) [z](/relative)',
        '![p](https://evil.example/a.png) ![q](image:not-a-uuid)',
        '**<b onclick="x">粗</b>**',
        '[t](https://a.example/"onmouseover="alert(1))',
      ].join('\n'),
      url,
    );
    expect(html).not.toMatch(/<(?!\/?(p|br|strong|a|img)\b)/);
    expect(html).not.toMatch(/<[^>]*\son\w+=/i);
    expect(html).not.toMatch(/href="(?!https?:)/);
    expect(html).not.toMatch(/<img/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
