import { PlusOutlined } from '@ant-design/icons';
import { TICKET_TOPIC_LABELS } from '@cpe/shared/schemas/help';
import { Badge, Breadcrumb, Button, Empty, Pagination, Skeleton } from 'antd';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { LoadError } from '../../purchase/components/common';
import { useMyTickets } from '../api';
import { TicketStatusTag } from '../components/common';
import '../help.css';

const PAGE_SIZE = 10;

/** 我的咨询 (portal /help/tickets): the learner's tickets, newest activity first, new replies marked. */
export function MyTicketsPage() {
  const site = useSite().data;
  usePageTitle('我的咨询', site?.name);
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const list = useMyTickets(page, PAGE_SIZE);

  return (
    <div className="cpe-help-page is-narrow">
      <Breadcrumb
        className="cpe-help-breadcrumb"
        items={[
          { title: <Link to="/">首页</Link> },
          { title: <Link to="/help">咨询方式</Link> },
          { title: '我的咨询' },
        ]}
      />
      <div className="cpe-help-head">
        <h1 className="cpe-help-title">我的咨询</h1>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/help/tickets/new')}>
          新建咨询
        </Button>
      </div>
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => list.refetch()} />
      ) : list.isPending ? (
        <Skeleton active />
      ) : list.data.items.length === 0 ? (
        <Empty description="您还没有咨询记录">
          <Button type="primary" onClick={() => navigate('/help/tickets/new')}>
            在线客服
          </Button>
        </Empty>
      ) : (
        <>
          <ul className="cpe-help-tickets" aria-busy={list.isFetching}>
            {list.data.items.map((t) => (
              <li
                key={t.id}
                className={`cpe-help-ticket${t.unread > 0 ? ' is-unread' : ''}`}
                data-ticket-no={t.ticketNo}
              >
                <Link to={`/help/tickets/${t.id}`} className="cpe-help-ticket-link">
                  <div className="cpe-help-ticket-top">
                    <span className="cpe-help-ticket-subject">{t.subject}</span>
                    <TicketStatusTag status={t.status} />
                  </div>
                  <div className="cpe-help-ticket-meta">
                    <span>{t.ticketNo}</span>
                    <span>{TICKET_TOPIC_LABELS[t.topic]}</span>
                    <span>最后更新 {formatDateTime(t.lastMessageAt).slice(0, 16)}</span>
                    {t.unread > 0 && (
                      <Badge status="error" text={`${t.unread}条新回复`} className="cpe-help-ticket-new" />
                    )}
                  </div>
                </Link>
              </li>
            ))}
          </ul>
          {list.data.total > PAGE_SIZE && (
            <Pagination
              className="cpe-help-pager"
              current={page}
              pageSize={PAGE_SIZE}
              total={list.data.total}
              showSizeChanger={false}
              showTotal={(n) => `共 ${n} 条`}
              onChange={(p) => setParams(p > 1 ? { page: String(p) } : {})}
              size="small"
            />
          )}
        </>
      )}
    </div>
  );
}
