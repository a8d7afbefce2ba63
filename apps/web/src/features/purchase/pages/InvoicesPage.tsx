import { DownloadOutlined, EditOutlined, EyeOutlined, PrinterOutlined } from '@ant-design/icons';
import { INVOICE_TITLE_TYPE_LABELS } from '@cpe/shared/labels/purchase';
import { App, Button, Empty, Grid, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useState } from 'react';
import { Link } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { invoicePdfUrl, useFetchOrder, useInvoices, useOrdersToInvoice } from '../api';
import { InvoiceStatusTag, LoadError, Money } from '../components/common';
import { InvoiceNotes } from '../components/InvoiceFields';
import { InvoiceTitleModal } from '../components/InvoiceTitleModal';
import { PurchaseCenter } from '../components/PurchaseCenter';
import type { Invoice, Order } from '../types';
import '../purchase.css';

type ModalTarget = { kind: 'request'; order: Order } | { kind: 'modify'; invoice: Invoice; group: boolean } | null;

/** The PDF is there once issued (a reversed invoice keeps its own). */
const hasPdf = (inv: Invoice) => Boolean(inv.invoiceNo) && (inv.status === 'issued' || inv.status === 'reversed');

/** 查看 · 下载 · 打印 · 修改 (修改 greyed with the reason when not allowed). */
function InvoiceActions({ invoice, onModify }: { invoice: Invoice; onModify: (inv: Invoice) => void }) {
  const { message } = App.useApp();
  const url = invoicePdfUrl(invoice.id);

  // The PDF in a tab of its own, printed from there once loaded (the browser's print dialog).
  const onPrint = () => {
    const win = window.open(url, '_blank');
    if (!win) {
      message.warning('浏览器阻止了新窗口，请允许弹出窗口后重试，或点击“查看”后自行打印');
      return;
    }
    win.addEventListener('load', () => {
      try {
        win.focus();
        win.print();
      } catch {
        // The viewer may refuse a scripted print: the PDF is open for the person to print.
      }
    });
  };

  if (invoice.status === 'pending') return <span className="cpe-muted">开票中，请稍候…</span>;
  if (invoice.status === 'failed')
    return <span className="cpe-muted">开票失败，系统将自动重试；如长时间未开具，请联系客服</span>;

  const modify =
    invoice.kind === 'blue' && invoice.status === 'issued' ? (
      invoice.canModify ? (
        <Button size="small" type="link" icon={<EditOutlined />} onClick={() => onModify(invoice)}>
          修改
        </Button>
      ) : (
        <Tooltip title={invoice.modifyBlockedReason ?? '该发票不能修改'}>
          {/* A wrapper so the reason shows on hover although the button is disabled; in the text as well. */}
          <span className="cpe-buy-disabled-wrap">
            <Button size="small" type="link" icon={<EditOutlined />} disabled>
              修改
            </Button>
            <span className="cpe-buy-visually-hidden">（{invoice.modifyBlockedReason ?? '该发票不能修改'}）</span>
          </span>
        </Tooltip>
      )
    ) : null;

  return (
    <div className="cpe-buy-row-actions is-links">
      {hasPdf(invoice) && (
        <>
          <a href={url} target="_blank" rel="noopener" className="cpe-buy-row-link">
            <EyeOutlined /> 查看
          </a>
          <a href={url} download={`电子发票-${invoice.invoiceNo}.pdf`} className="cpe-buy-row-link">
            <DownloadOutlined /> 下载
          </a>
          <button type="button" className="cpe-link-button cpe-buy-row-link" onClick={onPrint}>
            <PrinterOutlined /> 打印
          </button>
        </>
      )}
      {modify}
    </div>
  );
}

function KindTag({ invoice }: { invoice: Invoice }) {
  return invoice.kind === 'red' ? (
    <Tag color="red" className="cpe-buy-tag">
      红字
    </Tag>
  ) : null;
}

function InvoiceCard({ invoice, onModify }: { invoice: Invoice; onModify: (inv: Invoice) => void }) {
  return (
    <li className="cpe-buy-order-card" data-order-no={invoice.orderNo} data-invoice-kind={invoice.kind}>
      <div className="cpe-buy-order-card-head">
        <span className="cpe-buy-order-no">订单号 {invoice.orderNo}</span>
        <span>
          <KindTag invoice={invoice} />
          <InvoiceStatusTag status={invoice.status} />
        </span>
      </div>
      <div className="cpe-buy-order-card-plan">{invoice.title}</div>
      <dl className="cpe-buy-card-dl">
        <dt>学习计划</dt>
        <dd>{invoice.planName}</dd>
        {invoice.taxNo && (
          <>
            <dt>纳税人识别号</dt>
            <dd className="cpe-buy-mono">{invoice.taxNo}</dd>
          </>
        )}
        <dt>发票号码</dt>
        <dd className="cpe-buy-mono">{invoice.invoiceNo ?? '—'}</dd>
        <dt>开票时间</dt>
        <dd>{invoice.issuedAt ? formatDateTime(invoice.issuedAt) : '—'}</dd>
        <dt>金额</dt>
        <dd>
          <Money fen={invoice.amountFen} strong />
        </dd>
      </dl>
      <InvoiceActions invoice={invoice} onModify={onModify} />
    </li>
  );
}

/** 已缴费、未开票的订单: 申请开票 (补开发票, within the year of payment). */
function OrdersToInvoice({ onRequest }: { onRequest: (o: Order) => void }) {
  const orders = useOrdersToInvoice();
  if (!orders.data || orders.data.length === 0) return null;
  return (
    <section className="cpe-buy-to-invoice" aria-labelledby="cpe-to-invoice-title">
      <h2 className="cpe-buy-section-title" id="cpe-to-invoice-title">
        待申请开票的订单
      </h2>
      <ul className="cpe-buy-to-invoice-list">
        {orders.data.map((o) => (
          <li key={o.id} data-order-no={o.orderNo}>
            <div className="cpe-buy-to-invoice-info">
              <Link to={`/orders/${o.id}`} className="cpe-buy-to-invoice-plan">
                {o.planName}
              </Link>
              <span className="cpe-muted">
                订单号 {o.orderNo} · {o.kind === 'group' ? `团体购买 ${o.quantity} 人` : '个人购买'} · 支付于{' '}
                {formatDateTime(o.paidAt)}
              </span>
            </div>
            <Money fen={o.amountFen} strong />
            <Button type="primary" onClick={() => onRequest(o)}>
              申请开票
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** 我的发票 (login required): the invoices with 查看 / 下载 / 打印 / 修改, and the paid orders still to invoice. */
export function InvoicesPage() {
  const site = useSite().data;
  usePageTitle('我的发票', site?.name);
  const invoices = useInvoices();
  const fetchOrder = useFetchOrder();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const [target, setTarget] = useState<ModalTarget>(null);
  const { message } = App.useApp();

  const onModify = async (invoice: Invoice) => {
    try {
      const order = await fetchOrder(invoice.orderId);
      setTarget({ kind: 'modify', invoice, group: order.kind === 'group' });
    } catch (err) {
      message.error(toApiError(err).message);
    }
  };

  // Nine facts in the width beside the navigation: related pairs share a column, one above the other.
  const columns: ColumnsType<Invoice> = [
    {
      title: '订单号 / 学习计划',
      key: 'order',
      render: (_v, inv) => (
        <div className="cpe-buy-stack">
          <span className="cpe-buy-mono">{inv.orderNo}</span>
          <span className="cpe-buy-stack-sub">{inv.planName}</span>
        </div>
      ),
    },
    {
      title: '发票抬头 / 纳税人识别号',
      key: 'title',
      width: 210,
      render: (_v, inv) => (
        <div className="cpe-buy-stack">
          <span>
            {inv.title} <span className="cpe-muted">（{INVOICE_TITLE_TYPE_LABELS[inv.titleType]}）</span>
          </span>
          <span className="cpe-buy-stack-sub cpe-buy-mono">{inv.taxNo ?? '—'}</span>
        </div>
      ),
    },
    {
      title: '金额',
      dataIndex: 'amountFen',
      width: 104,
      align: 'right',
      render: (v: number, inv) => (
        <div className="cpe-buy-stack is-right">
          <Money fen={v} />
          <KindTag invoice={inv} />
        </div>
      ),
    },
    {
      title: '发票号码 / 开票时间',
      key: 'no',
      width: 170,
      render: (_v, inv) => (
        <div className="cpe-buy-stack">
          <span className="cpe-buy-mono">{inv.invoiceNo ?? '—'}</span>
          <span className="cpe-buy-stack-sub">{inv.issuedAt ? formatDateTime(inv.issuedAt) : '—'}</span>
        </div>
      ),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 84,
      render: (v: Invoice['status']) => <InvoiceStatusTag status={v} />,
    },
    {
      title: '操作',
      key: 'actions',
      width: 150,
      render: (_v, inv) => <InvoiceActions invoice={inv} onModify={onModify} />,
    },
  ];

  const items = invoices.data?.items ?? [];
  const empty = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无发票" />;

  return (
    <PurchaseCenter active="invoices" title="我的发票">
      <OrdersToInvoice onRequest={(order) => setTarget({ kind: 'request', order })} />
      <h2 className="cpe-buy-section-title">电子发票</h2>
      {invoices.isPending ? (
        <PageSpin />
      ) : invoices.isError ? (
        <LoadError error={invoices.error} onRetry={() => invoices.refetch()} />
      ) : narrow ? (
        items.length > 0 ? (
          <ul className="cpe-buy-order-cards">
            {items.map((inv) => (
              <InvoiceCard key={inv.id} invoice={inv} onModify={onModify} />
            ))}
          </ul>
        ) : (
          empty
        )
      ) : (
        <Table
          className="cpe-buy-invoices"
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={items}
          locale={{ emptyText: empty }}
          scroll={{ x: 860 }}
          onRow={(inv) =>
            ({ 'data-order-no': inv.orderNo, 'data-invoice-kind': inv.kind }) as HTMLAttributes<HTMLElement>
          }
          pagination={items.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        />
      )}
      <InvoiceNotes />
      <InvoiceTitleModal target={target} onClose={() => setTarget(null)} />
    </PurchaseCenter>
  );
}
