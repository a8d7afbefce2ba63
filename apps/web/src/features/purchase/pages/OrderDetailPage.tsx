import { ClockCircleOutlined } from '@ant-design/icons';
import { ORDER_KIND_LABELS, paymentChannelLabel } from '@cpe/shared/labels/purchase';
import { Alert, Button, Descriptions, Table, Tag } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { formatDateTime } from '../../../shared/format';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useOrder, useOrderMembers } from '../api';
import { CancelOrderButton } from '../components/CancelOrder';
import { LoadError, Money, OrderStatusTag, PurchaseSteps, StudyButton } from '../components/common';
import { InvoiceTitleModal } from '../components/InvoiceTitleModal';
import { PayPanel } from '../components/PayPanel';
import { PurchaseCenter } from '../components/PurchaseCenter';
import { formatCountdown, formatFen, orderInvoiceLabel } from '../format';
import type { Order, OrderMember } from '../types';
import '../purchase.css';

const MEMBERS_PAGE_SIZE = 20;

/** 支付剩余时间, ticking each second; at zero the order is looked at again (the server closes it). */
function Countdown({ expiresAt, onEnd }: { expiresAt: string; onEnd: () => void }) {
  const end = new Date(expiresAt).getTime();
  const [now, setNow] = useState(() => Date.now());
  const ended = useRef(false);
  const left = end - now;

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  useEffect(() => {
    if (left <= 0 && !ended.current) {
      ended.current = true;
      onEnd();
    }
  }, [left, onEnd]);

  return (
    <div className="cpe-buy-countdown">
      <ClockCircleOutlined />
      {left > 0 ? (
        <span>
          请在{' '}
          <strong className="cpe-buy-countdown-time" role="timer">
            {formatCountdown(left)}
          </strong>{' '}
          内完成支付，逾期订单将自动关闭（有效期至 {formatDateTime(expiresAt)}）
        </span>
      ) : (
        <span>支付时间已过，订单即将关闭</span>
      )}
    </div>
  );
}

/** 团购订单的学员: who is in the order and whether each is 已开通. */
function Members({ order }: { order: Order }) {
  const [page, setPage] = useState(1);
  const members = useOrderMembers(order.id, page, MEMBERS_PAGE_SIZE, true);
  const pendingLabel = order.status === 'pending' ? '待支付' : '未开通';

  return (
    <section className="cpe-buy-members" aria-labelledby="cpe-members-title">
      <h2 className="cpe-buy-section-title" id="cpe-members-title">
        学员名单{members.data ? `（${members.data.total}人）` : ''}
      </h2>
      {members.isError ? (
        <LoadError error={members.error} onRetry={() => members.refetch()} />
      ) : (
        <Table<OrderMember>
          size="small"
          rowKey={(m) => `${m.line ?? ''}-${m.idNumberMasked}`}
          loading={members.isFetching}
          dataSource={members.data?.items}
          className="cpe-buy-members-table"
          columns={[
            {
              title: '序号',
              key: 'index',
              width: 64,
              align: 'center',
              responsive: ['sm'],
              render: (_v, _m, i) => (page - 1) * MEMBERS_PAGE_SIZE + i + 1,
            },
            { title: '行号', dataIndex: 'line', width: 56, align: 'center', render: (v: number | null) => v ?? '—' },
            { title: '姓名', dataIndex: 'realName' },
            {
              title: '证件号码',
              dataIndex: 'idNumberMasked',
              render: (v: string) => <span className="cpe-buy-mono">{v}</span>,
            },
            {
              title: '状态',
              dataIndex: 'enrolled',
              width: 84,
              render: (v: boolean) =>
                v ? (
                  <Tag color="success">已开通</Tag>
                ) : (
                  <Tag color={order.status === 'pending' ? 'orange' : 'default'}>{pendingLabel}</Tag>
                ),
            },
          ]}
          pagination={{
            current: page,
            pageSize: MEMBERS_PAGE_SIZE,
            total: members.data?.total ?? 0,
            showSizeChanger: false,
            hideOnSinglePage: true,
            size: 'small',
            onChange: setPage,
          }}
        />
      )}
    </section>
  );
}

/** 订单详情 (login required): status, amounts, the countdown and 支付方式 while pending, the members of a 团购. */
export function OrderDetailPage() {
  const { id = '' } = useParams();
  const site = useSite().data;
  usePageTitle('订单详情', site?.name);
  const order = useOrder(id);
  const navigate = useNavigate();
  const [requesting, setRequesting] = useState(false);

  if (order.isPending) return <PageSpin />;
  if (order.isError)
    return (
      <PurchaseCenter active="orders" title="订单详情">
        <LoadError
          error={order.error}
          onRetry={() => order.refetch()}
          extra={<Button onClick={() => navigate('/orders')}>返回我的订单</Button>}
        />
      </PurchaseCenter>
    );

  const o = order.data;
  const group = o.kind === 'group';
  const pending = o.status === 'pending';
  const listPath = group ? '/orders?kind=group' : '/orders';

  return (
    <PurchaseCenter active={group ? 'group-orders' : 'orders'} title="订单详情">
      <div className="cpe-buy-detail-head" data-order-no={o.orderNo}>
        <span className="cpe-buy-detail-no">
          订单号 <span className="cpe-buy-mono">{o.orderNo}</span>
        </span>
        <OrderStatusTag status={o.status} />
      </div>
      {pending && <PurchaseSteps current={2} />}
      {o.status === 'paid' && <PurchaseSteps current={3} status="finish" />}
      {pending && o.actions.pay && <Countdown expiresAt={o.expiresAt} onEnd={() => void order.refetch()} />}
      {o.status === 'expired' && (
        <Alert
          className="cpe-buy-alert"
          type="warning"
          showIcon
          title="订单已过期"
          description="超过支付时间的订单已自动关闭，如需购买请重新下单。"
          action={
            <Button size="small" onClick={() => navigate(`/gxkm/plans/${o.planId}`)}>
              重新下单
            </Button>
          }
        />
      )}
      {o.status === 'paid' && (
        <Alert
          className="cpe-buy-alert"
          type="success"
          showIcon
          title={group ? '支付成功，名单中的学员已开通学习' : '支付成功，您已购买该培训项目'}
          description="购买成功后点击“课程培训”，找到已购买项目进入学习。"
          action={group ? undefined : <StudyButton planId={o.planId} />}
        />
      )}

      <Descriptions
        bordered
        size="middle"
        column={{ xs: 1, sm: 1, md: 2 }}
        styles={{ label: { width: 112 } }}
        items={[
          { key: 'plan', label: '学习计划', children: o.planName, span: 'filled' },
          { key: 'kind', label: '购买方式', children: ORDER_KIND_LABELS[o.kind] },
          { key: 'status', label: '订单状态', children: <OrderStatusTag status={o.status} /> },
          { key: 'price', label: '单价', children: formatFen(o.unitPriceFen) },
          { key: 'qty', label: '数量', children: `${o.quantity}${group ? ' 人' : ''}` },
          { key: 'amount', label: '订单金额', children: <Money fen={o.amountFen} strong /> },
          { key: 'created', label: '下单时间', children: formatDateTime(o.createdAt) },
          ...(o.paidAt
            ? [
                { key: 'paid', label: '支付时间', children: formatDateTime(o.paidAt) },
                { key: 'channel', label: '支付方式', children: paymentChannelLabel(o.channel) },
              ]
            : []),
          {
            key: 'invoice',
            label: '发票',
            children: (
              <span className="cpe-buy-invoice-cell">
                {o.invoiceMode === 'now' ? '立即申请' : '以后申请'} · {orderInvoiceLabel(o)}
                {o.actions.viewInvoice && <Link to="/invoices">查看发票</Link>}
                {o.actions.requestInvoice && (
                  <button type="button" className="cpe-link-button" onClick={() => setRequesting(true)}>
                    申请开票
                  </button>
                )}
              </span>
            ),
            span: 'filled',
          },
        ]}
      />

      {pending && o.actions.pay && <PayPanel order={o} onStale={() => void order.refetch()} />}

      {group && <Members order={o} />}

      <div className="cpe-buy-detail-actions">
        <Button onClick={() => navigate(listPath)}>返回{group ? '团购订单' : '我的订单'}</Button>
        {o.actions.cancel && <CancelOrderButton order={o} />}
      </div>

      <InvoiceTitleModal
        target={requesting ? { kind: 'request', order: o } : null}
        onClose={() => setRequesting(false)}
      />
    </PurchaseCenter>
  );
}
