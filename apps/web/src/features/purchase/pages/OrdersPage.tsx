import { ORDER_STATUS_LABELS, ORDER_STATUSES } from '@cpe/shared/labels/purchase';
import { Button, Empty, Grid, Pagination, Segmented, Table, Tabs } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { formatDateTime } from '../../../shared/format';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useOrders } from '../api';
import { useConfirmCancel } from '../components/CancelOrder';
import { LoadError, Money, OrderStatusTag } from '../components/common';
import { InvoiceTitleModal } from '../components/InvoiceTitleModal';
import { PurchaseCenter } from '../components/PurchaseCenter';
import type { Order, OrderKind, OrderListQuery, OrderStatus } from '../types';
import '../purchase.css';

const PAGE_SIZE = 10;

function queryOf(params: URLSearchParams): OrderListQuery {
  const status = params.get('status');
  const page = Number(params.get('page'));
  return {
    kind: params.get('kind') === 'group' ? 'group' : 'individual',
    status: (ORDER_STATUSES as readonly string[]).includes(status ?? '') ? (status as OrderStatus) : undefined,
    page: Number.isInteger(page) && page > 0 ? page : 1,
    pageSize: PAGE_SIZE,
  };
}

/** 去支付 · 取消订单 · 查看发票 / 申请开票 · 详情, as the order allows. */
function OrderActions({ order, onRequestInvoice }: { order: Order; onRequestInvoice: (o: Order) => void }) {
  const navigate = useNavigate();
  const confirmCancel = useConfirmCancel();
  const { actions } = order;
  return (
    <div className="cpe-buy-row-actions">
      {actions.pay && (
        <Button type="primary" size="small" onClick={() => navigate(`/orders/${order.id}`)}>
          去支付
        </Button>
      )}
      {actions.cancel && (
        <Button size="small" onClick={() => confirmCancel(order)}>
          取消订单
        </Button>
      )}
      {actions.viewInvoice && (
        <Button type="link" size="small" onClick={() => navigate('/invoices')}>
          查看发票
        </Button>
      )}
      {actions.requestInvoice && (
        <Button type="link" size="small" onClick={() => onRequestInvoice(order)}>
          申请开票
        </Button>
      )}
      <Link to={`/orders/${order.id}`} className="cpe-buy-row-link">
        详情
      </Link>
    </div>
  );
}

function OrderCard({ order, onRequestInvoice }: { order: Order; onRequestInvoice: (o: Order) => void }) {
  return (
    <li className="cpe-buy-order-card" data-order-no={order.orderNo}>
      <div className="cpe-buy-order-card-head">
        <span className="cpe-buy-order-no">订单号 {order.orderNo}</span>
        <OrderStatusTag status={order.status} />
      </div>
      <Link to={`/orders/${order.id}`} className="cpe-buy-order-card-plan">
        {order.planName}
      </Link>
      <div className="cpe-buy-order-card-line">
        <span className="cpe-muted">
          数量 {order.quantity} · {formatDateTime(order.createdAt)}
        </span>
        <Money fen={order.amountFen} strong />
      </div>
      <OrderActions order={order} onRequestInvoice={onRequestInvoice} />
    </li>
  );
}

/** 我的订单 (login required): 个人订单 / 团购订单 tabs, a status filter, the paged list (cards on phones). */
export function OrdersPage() {
  const site = useSite().data;
  const [params, setParams] = useSearchParams();
  const query = queryOf(params);
  const group = query.kind === 'group';
  usePageTitle(group ? '团购订单' : '我的订单', site?.name);
  const list = useOrders(query);
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const [invoiceFor, setInvoiceFor] = useState<Order | null>(null);
  const navigate = useNavigate();

  const go = (next: Partial<OrderListQuery>) => {
    const q = { ...query, ...next };
    const p = new URLSearchParams();
    if (q.kind === 'group') p.set('kind', 'group');
    if (q.status) p.set('status', q.status);
    if (q.page > 1) p.set('page', String(q.page));
    setParams(p);
  };

  const columns: ColumnsType<Order> = [
    {
      title: '订单号',
      dataIndex: 'orderNo',
      width: 176,
      render: (v: string) => <span className="cpe-buy-mono">{v}</span>,
    },
    {
      title: '学习计划',
      dataIndex: 'planName',
      render: (v: string, o) => <Link to={`/orders/${o.id}`}>{v}</Link>,
    },
    { title: '数量', dataIndex: 'quantity', width: 56, align: 'center' },
    { title: '金额', dataIndex: 'amountFen', width: 100, align: 'right', render: (v: number) => <Money fen={v} /> },
    { title: '状态', dataIndex: 'status', width: 80, render: (v: Order['status']) => <OrderStatusTag status={v} /> },
    {
      title: '下单时间',
      dataIndex: 'createdAt',
      width: 104,
      render: (v: string) => {
        const [day, time] = formatDateTime(v).split(' ');
        return (
          <div className="cpe-buy-stack">
            <span>{day}</span>
            <span className="cpe-buy-stack-sub">{time}</span>
          </div>
        );
      },
    },
    {
      title: '操作',
      key: 'actions',
      width: 200,
      render: (_v, o) => <OrderActions order={o} onRequestInvoice={setInvoiceFor} />,
    },
  ];

  const data = list.data;
  const empty = (
    <Empty
      description={query.status ? `暂无${ORDER_STATUS_LABELS[query.status]}的订单` : '暂无订单'}
      image={Empty.PRESENTED_IMAGE_SIMPLE}
    >
      <Button type="primary" onClick={() => navigate('/gxkm')}>
        去选购公需科目
      </Button>
    </Empty>
  );

  let body = null;
  if (list.isPending) body = <PageSpin />;
  else if (list.isError) body = <LoadError error={list.error} onRetry={() => list.refetch()} />;
  else if (narrow)
    body =
      data && data.items.length > 0 ? (
        <>
          <ul className="cpe-buy-order-cards" aria-busy={list.isFetching}>
            {data.items.map((o) => (
              <OrderCard key={o.id} order={o} onRequestInvoice={setInvoiceFor} />
            ))}
          </ul>
          {data.total > PAGE_SIZE && (
            <Pagination
              className="cpe-buy-pagination"
              size="small"
              current={query.page}
              pageSize={PAGE_SIZE}
              total={data.total}
              showSizeChanger={false}
              onChange={(page) => go({ page })}
            />
          )}
        </>
      ) : (
        empty
      );
  else
    body = (
      <Table
        className="cpe-buy-orders"
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={data?.items}
        loading={list.isFetching && !list.isPending}
        locale={{ emptyText: empty }}
        onRow={(o) => ({ 'data-order-no': o.orderNo }) as HTMLAttributes<HTMLElement>}
        scroll={{ x: 880 }}
        pagination={{
          current: query.page,
          pageSize: PAGE_SIZE,
          total: data?.total ?? 0,
          showSizeChanger: false,
          showTotal: (total) => `共 ${total} 条`,
          onChange: (page) => go({ page }),
        }}
      />
    );

  return (
    <PurchaseCenter active={group ? 'group-orders' : 'orders'} title={group ? '团购订单' : '我的订单'}>
      <Tabs
        className="cpe-buy-tabs"
        activeKey={query.kind}
        onChange={(k) => go({ kind: k as OrderKind, page: 1, status: undefined })}
        items={[
          { key: 'individual', label: '个人订单' },
          { key: 'group', label: '团购订单' },
        ]}
      />
      <div className="cpe-buy-filter">
        <Segmented
          size={narrow ? 'small' : 'middle'}
          block={narrow}
          value={query.status ?? 'all'}
          onChange={(v) => go({ status: v === 'all' ? undefined : (v as OrderStatus), page: 1 })}
          options={[
            { value: 'all', label: '全部' },
            ...ORDER_STATUSES.map((s) => ({ value: s, label: ORDER_STATUS_LABELS[s] })),
          ]}
        />
      </div>
      {body}
      <InvoiceTitleModal
        target={invoiceFor ? { kind: 'request', order: invoiceFor } : null}
        onClose={() => setInvoiceFor(null)}
      />
    </PurchaseCenter>
  );
}
