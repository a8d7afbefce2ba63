/**
 * 通知公告 bodies are written in a small Markdown subset and rendered here to HTML that is safe by construction:
 * every character of the source is escaped, and the only markup in the output is what this renderer writes
 * (p, br, h3, h4, strong, ul, ol, li, a with an http(s)/mailto href, img whose src is one of our stored files).
 * Raw HTML in the source therefore shows as text and never becomes markup. The server renders what the portal
 * shows; the console's editor previews with the same function.
 *
 *   ## 标题 / ### 小标题      **加粗**      - 列表 / 1. 列表      [文字](https://…)      ![说明](image:<文件编号>)
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const IMAGE_RE = new RegExp(`!\\[([^\\]\\n]{0,100})\\]\\(image:(${UUID})\\)`, 'gi');
/** Link targets: web addresses and e-mail only; anything else (javascript:, data:, relative) stays text. */
const SAFE_HREF = /^(?:https?:\/\/[^\s<>"'`]+|mailto:[^\s<>"'`]+)$/i;

/** The stored image ids a body refers to, in order, without repeats. */
export function noticeImageIds(source: string): string[] {
  const ids = [...source.matchAll(IMAGE_RE)].map((m) => (m[2] as string).toLowerCase());
  return [...new Set(ids)];
}

function inline(text: string, imageUrl: (id: string) => string): string {
  // Tokens are found in the raw text; everything between them is escaped.
  const token = new RegExp(
    `${IMAGE_RE.source}|\\[([^\\]\\n]{1,200})\\]\\(([^)\\s]{1,500})\\)|\\*\\*([^*\\n]{1,500})\\*\\*`,
    'gi',
  );
  let out = '';
  let last = 0;
  for (const m of text.matchAll(token)) {
    const at = m.index ?? 0;
    out += escapeHtml(text.slice(last, at));
    last = at + m[0].length;
    if (m[2]) {
      out += `<img src="${escapeHtml(imageUrl(m[2].toLowerCase()))}" alt="${escapeHtml(m[1] ?? '')}" loading="lazy">`;
    } else if (m[3] !== undefined && m[4] !== undefined) {
      out += SAFE_HREF.test(m[4])
        ? `<a href="${escapeHtml(m[4])}" target="_blank" rel="noopener noreferrer nofollow">${escapeHtml(m[3])}</a>`
        : escapeHtml(m[0]);
    } else if (m[5] !== undefined) {
      out += `<strong>${escapeHtml(m[5])}</strong>`;
    }
  }
  return out + escapeHtml(text.slice(last));
}

/** Renders a body; `imageUrl` turns a stored image's id into the address this app serves it from. */
export function renderNoticeMarkdown(source: string, imageUrl: (id: string) => string): string {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const html: string[] = [];
  let para: string[] = [];
  let list: { tag: 'ul' | 'ol'; items: string[] } | null = null;
  const flushPara = () => {
    if (para.length) html.push(`<p>${para.map((l) => inline(l, imageUrl)).join('<br>')}</p>`);
    para = [];
  };
  const flushList = () => {
    if (list)
      html.push(`<${list.tag}>${list.items.map((i) => `<li>${inline(i, imageUrl)}</li>`).join('')}</${list.tag}>`);
    list = null;
  };
  for (const raw of lines) {
    const line = raw.trimEnd();
    const heading = /^(#{1,3})\s+(.+)$/.exec(line);
    const bullet = /^\s*[-*]\s+(.+)$/.exec(line);
    const numbered = /^\s*\d{1,3}[.、]\s+(.+)$/.exec(line);
    if (!line.trim()) {
      flushPara();
      flushList();
    } else if (heading) {
      flushPara();
      flushList();
      const tag = (heading[1] as string).length <= 2 ? 'h3' : 'h4';
      html.push(`<${tag}>${inline(heading[2] as string, imageUrl)}</${tag}>`);
    } else if (bullet || numbered) {
      flushPara();
      const tag = bullet ? 'ul' : 'ol';
      if (list && list.tag !== tag) flushList();
      list ??= { tag, items: [] };
      list.items.push((bullet ?? numbered)?.[1] as string);
    } else {
      flushList();
      para.push(line.trim());
    }
  }
  flushPara();
  flushList();
  return html.join('\n');
}
