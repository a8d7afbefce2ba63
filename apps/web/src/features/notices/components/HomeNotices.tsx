import { Link } from 'react-router';
import { useNotices } from '../api';
import { NoticeList } from './NoticeList';
import '../notices.css';

/** 通知公告 on the portal home: the latest five (pinned first) and 更多 → /notices. */
export function HomeNotices() {
  const list = useNotices(1, 5);
  return (
    <section className="cpe-home-notices" aria-labelledby="cpe-home-notices-title">
      <div className="cpe-home-notices-head">
        <h2 id="cpe-home-notices-title">通知公告</h2>
        <Link to="/notices">更多 ›</Link>
      </div>
      {/* Five rows' height whatever arrives: the page below does not move when the list loads (CLS). */}
      <div className="cpe-home-notices-body">
        {list.isPending ? (
          <p className="cpe-notice-empty">正在加载…</p>
        ) : list.isError ? (
          <p className="cpe-notice-empty">通知公告加载失败，请稍后刷新</p>
        ) : (
          <NoticeList items={list.data.items} />
        )}
      </div>
    </section>
  );
}
