import { Pagination } from 'antd';
import { useSearchParams } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useNotices } from '../api';
import { NoticeList } from '../components/NoticeList';
import '../notices.css';

const PAGE_SIZE = 15;

/** 通知公告 (portal /notices): every notice addressed to the reader, pinned first, paged (?page=). */
export function NoticesPage() {
  const site = useSite().data;
  usePageTitle('通知公告', site?.name);
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const list = useNotices(page, PAGE_SIZE);
  return (
    <div className="cpe-notice-page">
      <h1>通知公告</h1>
      {list.isPending ? (
        <p className="cpe-notice-empty">正在加载…</p>
      ) : list.isError ? (
        <p className="cpe-notice-empty">{toApiError(list.error).message}</p>
      ) : (
        <>
          <NoticeList items={list.data.items} />
          {list.data.total > PAGE_SIZE && (
            <div className="cpe-notice-pager">
              <Pagination
                current={page}
                pageSize={PAGE_SIZE}
                total={list.data.total}
                showSizeChanger={false}
                onChange={(p) => {
                  setParams(p > 1 ? { page: String(p) } : {});
                  window.scrollTo(0, 0);
                }}
              />
            </div>
          )}
        </>
      )}
    </div>
  );
}
