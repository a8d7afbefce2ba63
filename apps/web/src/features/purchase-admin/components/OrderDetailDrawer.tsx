import {
  INVOICE_STATUS_LABELS,
  ORDER_KIND_LABELS,
  ORDER_STATUS_LABELS,
  paymentChannelLabel,
} from '@cpe/shared/labels/purchase';
import { Alert, Button, Descriptions, Drawer, Skeleton, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { ReactNode } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { RefundButton } from '../../learners-admin/components/RefundButton';
import { useAdminOrder } from '../api';
import { formatFen } from '../money';
import type { AdminOrderDetail, AdminOrderStatus } from '../types';
import { ExceptionRefundButton } from './ExceptionRefundButton';

/** ¥ with two decimals from integer 分; a negative amount (a red-letter invoice) keeps its sign in front. */
export function signedFen(fen: number): string {
  return fen < 0 ? `-${formatFen(-fen)}` : formatFen(fen);
}

export const ORDER_STATUS_COLORS: Record<AdminOrderStatus, string | undefined> = {
  pending: 'processing',
  paid: 'success',
  expired: undefined,
  cancelled: 'default',
  refunded: 'purple',
};

const OUTCOME_LABELS: Record<string, string> = {
  paid: '已入账',
  duplicate: '重复通知',
  'amount-mismatch': '金额不符',
  'late-refund': '逾期退款',
  'unknown-trade': '未知交易',
  'wrong-channel': '渠道不符（未处理）',
  'bad-signature': '签名无效',
  'refund-success': '退款成功',
  'refund-failed': '退款失败',
  'refund-unknown': '未知退款',
  closed: '已关闭',
};

/** What the server did with a gateway notification; `query:…` came from its own 主动查询 instead. */
export function outcomeLabel(outcome: string): string {
  if (outcome.startsWith('query:')) {
    const rest = outcome.slice('query:'.length);
    return `主动查询·${OUTCOME_LABELS[rest] ?? rest}`;
  }
  return OUTCOME_LABELS[outcome] ?? outcome;
}

type Payment = AdminOrderDetail['payments'][number];
type Notification = AdminOrderDetail['notifications'][number];
type Refund = AdminOrderDetail['refunds'][number];
type Invoice = AdminOrderDetail['invoices'][number];

const PAYMENT_STATUS: Record<string, { label: string; color?: string }> = {
  created: { label: '待支付', color: 'processing' },
  paid: { label: '已支付', color: 'success' },
  closed: { label: '已关闭' },
  refunded: { label: '已退款', color: 'warning' },
  exception: { label: '待处理（金额不符）', color: 'error' },
};
const REFUND_STATUS: Record<string, { label: string; color?: string }> = {
  pending: { label: '退款中', color: 'processing' },
  processing: { label: '处理中', color: 'processing' },
  success: { label: '已退款', color: 'success' },
  failed: { label: '退款失败', color: 'error' },
};
const INVOICE_STATUS: Record<string, { label: string; color?: string }> = {
  pending: { label: INVOICE_STATUS_LABELS.pending, color: 'processing' },
  issued: { label: INVOICE_STATUS_LABELS.issued, color: 'success' },
  failed: { label: INVOICE_STATUS_LABELS.failed, color: 'error' },
  reversed: { label: INVOICE_STATUS_LABELS.reversed },
};
const INVOICE_KIND: Record<string, string> = { blue: '蓝字发票', red: '红字发票' };
const PROVIDER: Record<string, string> = { local: '本地模拟网关' };

function statusTag(map: Record<string, { label: string; color?: string }>, status: string) {
  const s = map[status];
  return <Tag color={s?.color}>{s?.label ?? status}</Tag>;
}

const mono = (v: string | null) => (v ? <span style={{ fontVariantNumeric: 'tabular-nums' }}>{v}</span> : '—');
const time = (v: string | null) => (v ? formatDateTime(v) : '—');
const money = (v: number | null) => (v === null ? '—' : signedFen(v));

/** A 待处理 payment (amount not as asked) shows what came in and offers its 退款. */
const paymentColumns = (orderId: string): ColumnsType<Payment> => [
  { title: '商户订单号', dataIndex: 'outTradeNo', width: 200, render: mono },
  { title: '支付方式', dataIndex: 'channel', width: 90, render: (v: string) => paymentChannelLabel(v) },
  { title: '通道', dataIndex: 'provider', width: 110, render: (v: string) => PROVIDER[v] ?? v },
  { title: '金额', dataIndex: 'amountFen', width: 100, align: 'right', render: money },
  { title: '实收', dataIndex: 'receivedFen', width: 100, align: 'right', render: money },
  {
    title: '状态',
    dataIndex: 'status',
    width: 150,
    render: (v: string, r) => (
      <>
        {statusTag(PAYMENT_STATUS, v)}
        {r.refundable && <ExceptionRefundButton orderId={orderId} payment={r} />}
      </>
    ),
  },
  { title: '渠道交易号', dataIndex: 'tradeNo', width: 200, render: mono },
  { title: '发起时间', dataIndex: 'createdAt', width: 160, render: time },
  { title: '支付时间', dataIndex: 'paidAt', width: 160, render: time },
];

const NOTIFICATION_COLUMNS: ColumnsType<Notification> = [
  { title: '商户订单号', dataIndex: 'outTradeNo', width: 200, render: mono },
  {
    title: '验签',
    dataIndex: 'verified',
    width: 80,
    render: (v: boolean) => (v ? <Tag color="success">通过</Tag> : <Tag color="error">未通过</Tag>),
  },
  { title: '处理结果', dataIndex: 'outcome', width: 140, render: (v: string) => outcomeLabel(v) },
  { title: '金额', dataIndex: 'amountFen', width: 100, align: 'right', render: money },
  { title: '接收时间', dataIndex: 'receivedAt', width: 160, render: time },
];

const REFUND_COLUMNS: ColumnsType<Refund> = [
  { title: '退款单号', dataIndex: 'outRefundNo', width: 200, render: mono },
  { title: '金额', dataIndex: 'amountFen', width: 100, align: 'right', render: money },
  { title: '原因', dataIndex: 'reason', ellipsis: true },
  { title: '状态', dataIndex: 'status', width: 90, render: (v: string) => statusTag(REFUND_STATUS, v) },
  { title: '申请时间', dataIndex: 'createdAt', width: 160, render: time },
];

const INVOICE_COLUMNS: ColumnsType<Invoice> = [
  { title: '类型', dataIndex: 'kind', width: 90, render: (v: string) => INVOICE_KIND[v] ?? v },
  { title: '抬头', dataIndex: 'title', ellipsis: true },
  { title: '发票号码', dataIndex: 'invoiceNo', width: 170, render: mono },
  { title: '金额', dataIndex: 'amountFen', width: 100, align: 'right', render: money },
  {
    title: '状态',
    dataIndex: 'status',
    width: 200,
    render: (v: string, r) => (
      <>
        {statusTag(INVOICE_STATUS, v)}
        {v === 'failed' && r.lastError && (
          <Typography.Text type="danger" style={{ display: 'block', marginTop: 4, fontSize: 12 }}>
            {r.lastError}
          </Typography.Text>
        )}
      </>
    ),
  },
  { title: '开具时间', dataIndex: 'issuedAt', width: 160, render: time },
];

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section style={{ marginBottom: 24 }}>
      <Typography.Title level={5} style={{ margin: '0 0 8px' }}>
        {title}
      </Typography.Title>
      {children}
    </section>
  );
}

function SubTable<T extends object>({
  rows,
  columns,
  rowKey,
  empty,
  rowClassName,
}: {
  rows: T[];
  columns: ColumnsType<T>;
  rowKey: (r: T, i?: number) => string;
  empty: string;
  rowClassName?: (r: T) => string;
}) {
  return (
    <Table<T>
      size="small"
      bordered
      rowKey={rowKey}
      columns={columns}
      dataSource={rows}
      pagination={false}
      scroll={{ x: 'max-content' }}
      rowClassName={rowClassName}
      locale={{ emptyText: <span style={{ color: 'rgba(0,0,0,0.45)' }}>{empty}</span> }}
    />
  );
}

/** 订单详情 (订单管理): the order, its payment attempts, the gateway's notifications, refunds and invoices. */
export function OrderDetailDrawer({
  orderId,
  open,
  onClose,
}: {
  orderId: string | null;
  open: boolean;
  onClose: () => void;
}) {
  const detail = useAdminOrder(orderId);
  const d = detail.data;
  const error = detail.error && !isUnauthenticated(detail.error) ? toApiError(detail.error) : null;

  let body: ReactNode;
  if (error)
    body = (
      <Alert
        type="error"
        showIcon
        title={error.message}
        action={
          <Button size="small" onClick={() => detail.refetch()}>
            重试
          </Button>
        }
      />
    );
  else if (!d) body = <Skeleton active paragraph={{ rows: 10 }} />;
  else {
    const o = d.order;
    body = (
      <>
        {/* Unverified notifications are marked red: a row background the table keeps when hovered. */}
        <style>{`.cpe-order-unverified > td { background: #fff1f0 !important; color: #cf1322; }`}</style>
        <Section title="订单信息">
          <Descriptions size="small" bordered column={2} styles={{ label: { width: 110 } }}>
            <Descriptions.Item label="订单号">{mono(o.orderNo)}</Descriptions.Item>
            <Descriptions.Item label="状态">
              <Tag color={ORDER_STATUS_COLORS[o.status]}>{ORDER_STATUS_LABELS[o.status]}</Tag>
              {/* 补学开通 (0 元) was never paid: nothing to refund. */}
              {o.status === 'paid' && o.kind !== 'makeup' && o.amountFen > 0 && <RefundButton order={o} />}
            </Descriptions.Item>
            <Descriptions.Item label="学习计划" span={2}>
              {o.planName}
            </Descriptions.Item>
            <Descriptions.Item label="购买方式">{ORDER_KIND_LABELS[o.kind]}</Descriptions.Item>
            <Descriptions.Item label="购买人">
              {o.buyerName}
              <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                {o.buyerIdMasked}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label="单价">{signedFen(o.unitPriceFen)}</Descriptions.Item>
            <Descriptions.Item label="数量">
              {o.quantity}
              {o.kind === 'group' && (
                <Typography.Text type="secondary" style={{ marginLeft: 8 }}>
                  已开通 {d.enrolled} 人
                </Typography.Text>
              )}
            </Descriptions.Item>
            <Descriptions.Item label="订单金额">
              <strong>{signedFen(o.amountFen)}</strong>
            </Descriptions.Item>
            <Descriptions.Item label="支付方式">{o.channel ? paymentChannelLabel(o.channel) : '—'}</Descriptions.Item>
            <Descriptions.Item label="下单时间">{time(o.createdAt)}</Descriptions.Item>
            <Descriptions.Item label="支付时间">{time(o.paidAt)}</Descriptions.Item>
            <Descriptions.Item label="支付截止">{time(o.expiresAt)}</Descriptions.Item>
            <Descriptions.Item label="发票">{o.invoiceMode === 'now' ? '下单时申请' : '以后申请'}</Descriptions.Item>
            {o.kind === 'individual' && (
              <Descriptions.Item label="已开通">{d.enrolled > 0 ? '是' : '否'}</Descriptions.Item>
            )}
          </Descriptions>
        </Section>
        <Section title="支付记录">
          {o.paymentException && (
            <Alert
              style={{ marginBottom: 8 }}
              type="warning"
              showIcon
              title="有一笔支付的金额与订单不符（待处理）：订单未开通，请核实后将该笔款项退回。"
            />
          )}
          <SubTable
            rows={d.payments}
            columns={paymentColumns(o.id)}
            rowKey={(r) => r.outTradeNo}
            empty="暂无支付记录"
          />
        </Section>
        <Section title="支付通知">
          <SubTable
            rows={d.notifications}
            columns={NOTIFICATION_COLUMNS}
            rowKey={(r) => `${r.receivedAt}-${r.outTradeNo}-${r.outcome}`}
            rowClassName={(r) => (r.verified ? '' : 'cpe-order-unverified')}
            empty="暂无支付通知"
          />
        </Section>
        <Section title="退款">
          <SubTable rows={d.refunds} columns={REFUND_COLUMNS} rowKey={(r) => r.outRefundNo} empty="暂无退款" />
        </Section>
        <Section title="发票">
          <SubTable
            rows={d.invoices}
            columns={INVOICE_COLUMNS}
            rowKey={(r) => `${r.kind}-${r.invoiceNo ?? ''}-${r.issuedAt ?? ''}-${r.title}`}
            empty="暂无发票"
          />
        </Section>
      </>
    );
  }

  return (
    <Drawer
      title={d ? `订单详情 · ${d.order.orderNo}` : '订单详情'}
      open={open}
      onClose={onClose}
      size={960}
      destroyOnHidden={false}
    >
      {body}
    </Drawer>
  );
}
