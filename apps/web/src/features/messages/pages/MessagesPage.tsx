import { Breadcrumb, Button, Empty, Pagination, Skeleton, Tabs } from 'antd';
import type { ReactNode } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { LoadError } from '../../purchase/components/common';
import { type TMessage, useMessages, useReadAllMessages, useReadMessage } from '../api';
import '../messages.css';

const PAGE_SIZE = 10;

/**
 * 消息中心 (portal /messages): the results a person waited for, newest first. Opening one marks it read and follows
 * its link to where the result is seen.
 */
export function MessagesPage() {
  const site = useSite().data;
  usePageTitle('消息中心', site?.name);
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const unreadTab = params.get('tab') === 'unread';
  const page = Math.max(1, Number(params.get('page')) || 1);
  const list = useMessages(page, PAGE_SIZE, unreadTab);
  const read = useReadMessage();
  const readAll = useReadAllMessages();
  const unread = list.data?.unread ?? 0;

  const go = (next: { tab?: 'unread'; page?: number }) =>
    setParams({
      ...(next.tab ? { tab: next.tab } : {}),
      ...(next.page && next.page > 1 ? { page: String(next.page) } : {}),
    });

  const open = async (m: TMessage) => {
    if (!m.readAt) await read.mutateAsync(m.id).catch(() => undefined);
    if (m.link) navigate(m.link);
  };

  let body: ReactNode;
  if (list.isError) body = <LoadError error={list.error} onRetry={() => list.refetch()} />;
  else if (list.isPending) body = <Skeleton active />;
  else if (list.data.items.length === 0)
    body = <Empty className="cpe-msg-empty" description={unreadTab ? '暂无未读消息' : '暂无消息'} />;
  else
    body = (
      <>
        <ul className="cpe-msg-list" aria-busy={list.isFetching}>
          {list.data.items.map((m) => (
            <li key={m.id} className={`cpe-msg-item${m.readAt ? '' : ' is-unread'}`} data-event={m.event}>
              <button
                type="button"
                className="cpe-msg-open"
                onClick={() => void open(m)}
                disabled={read.isPending && read.variables === m.id}
              >
                <span className="cpe-msg-top">
                  {!m.readAt && <span className="cpe-msg-unread-dot" role="img" aria-label="未读" />}
                  <span className="cpe-msg-title">{m.title}</span>
                  <time className="cpe-msg-time" dateTime={m.createdAt}>
                    {formatDateTime(m.createdAt).slice(0, 16)}
                  </time>
                </span>
                <span className="cpe-msg-body">{m.body}</span>
              </button>
            </li>
          ))}
        </ul>
        {list.data.total > PAGE_SIZE && (
          <Pagination
            className="cpe-msg-pager"
            current={page}
            pageSize={PAGE_SIZE}
            total={list.data.total}
            showSizeChanger={false}
            showTotal={(n) => `共 ${n} 条`}
            onChange={(p) => go({ tab: unreadTab ? 'unread' : undefined, page: p })}
            size="small"
          />
        )}
      </>
    );

  return (
    <div className="cpe-msg-page">
      <Breadcrumb className="cpe-msg-breadcrumb" items={[{ title: <Link to="/">首页</Link> }, { title: '消息中心' }]} />
      <div className="cpe-msg-head">
        <h1 className="cpe-msg-heading">消息中心</h1>
        <Button onClick={() => readAll.mutate()} loading={readAll.isPending} disabled={unread === 0}>
          {unread > 0 ? `全部标为已读（${unread}）` : '全部标为已读'}
        </Button>
      </div>
      <Tabs
        className="cpe-msg-tabs"
        activeKey={unreadTab ? 'unread' : 'all'}
        onChange={(k) => go({ tab: k === 'unread' ? 'unread' : undefined })}
        items={[
          { key: 'all', label: '全部' },
          { key: 'unread', label: unread > 0 ? `未读（${unread}）` : '未读' },
        ]}
      />
      {body}
    </div>
  );
}
