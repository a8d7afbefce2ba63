import type { TNoticeSummary } from '@cpe/shared/schemas/notices';
import { Link } from 'react-router';
import { formatDateTime } from '../../../shared/format';

/** Titles with their date and 置顶 mark: the home page's latest five and the list page. Plain markup, no antd. */
export function NoticeList({ items }: { items: TNoticeSummary[] }) {
  if (items.length === 0) return <p className="cpe-notice-empty">暂无通知公告</p>;
  return (
    <ul className="cpe-notice-list">
      {items.map((n) => (
        <li key={n.id}>
          {n.pinned && <span className="cpe-notice-pin">置顶</span>}
          <Link to={`/notices/${n.id}`} title={n.title}>
            {n.title}
          </Link>
          <time dateTime={n.publishAt}>{formatDateTime(n.publishAt).slice(0, 10)}</time>
        </li>
      ))}
    </ul>
  );
}
