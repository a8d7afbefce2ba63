import {
  Alert,
  App,
  Button,
  Descriptions,
  type DescriptionsProps,
  Drawer,
  Form,
  Image,
  Input,
  Popconfirm,
  Space,
  Table,
  Tabs,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type ComponentType, type ReactNode, useState } from 'react';
import { useSearchParams } from 'react-router';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { listPagination } from '../../../shared/listPagination';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../api';

/**
 * The console's queues of applications staff decide on with an audited document photo: 人工找回审核 and 实名审核.
 * Each page keeps its columns, texts and API calls; this is the status tabs, the paged table and the drawer with
 * 通过 / 驳回 (退回) and its reason.
 */

export type ReviewStatus = 'pending' | 'approved' | 'rejected';
export interface ReviewTab {
  key: ReviewStatus | 'all';
  label: string;
}
export interface ReviewItem {
  id: string;
  status: ReviewStatus;
}

const STATUS_COLORS: Record<ReviewStatus, string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
};
export const reviewStatusTag = (s: ReviewStatus, labels: Record<ReviewStatus, string>) => (
  <Tag color={STATUS_COLORS[s]}>{labels[s]}</Tag>
);

const isStatus = (v: string | null): v is ReviewStatus => v === 'pending' || v === 'approved' || v === 'rejected';
const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};
const DEFAULT_PAGE_SIZE = 20;

/**
 * The queue's place in the URL: ?status (absent: the first tab, the one the page opens on; `all` stands for
 * 全部 when that is not the first), ?q when the page searches, ?page and ?pageSize.
 */
export function useReviewQueue(tabs: ReviewTab[], { search = false }: { search?: boolean } = {}) {
  const [params, setParams] = useSearchParams();
  const home = tabs[0]?.key ?? 'all';
  const statusParam = params.get('status');
  const tab: ReviewTab['key'] = statusParam === 'all' || isStatus(statusParam) ? statusParam : home;
  const q = search ? (params.get('q') ?? '') : '';
  const page = positive(params.get('page'), 1);
  const pageSize = Math.min(100, positive(params.get('pageSize'), DEFAULT_PAGE_SIZE));

  const setQuery = (next: { status?: string; q?: string; page?: number; pageSize?: number }) => {
    const s = new URLSearchParams();
    const st = next.status ?? tab;
    if (st !== home) s.set('status', st);
    const text = next.q ?? q;
    if (text) s.set('q', text);
    const p = next.page ?? page;
    if (p > 1) s.set('page', String(p));
    const ps = next.pageSize ?? pageSize;
    if (ps !== DEFAULT_PAGE_SIZE) s.set('pageSize', String(ps));
    setParams(s);
  };

  return { tabs, tab, status: tab === 'all' ? undefined : tab, q, page, pageSize, setQuery };
}
export type ReviewQueueState = ReturnType<typeof useReviewQueue>;

/** What the page's list query gives the table. */
interface ReviewList<T> {
  data?: { items: T[]; total: number };
  error: unknown;
  isFetching: boolean;
  refetch: () => unknown;
}

export interface ReviewDrawerProps<T> {
  item: T | null;
  open: boolean;
  onClose: () => void;
}

/** The queue page: title, status tabs (and a search), the paged table with 序号 and 操作, the item's drawer. */
export function ReviewQueue<T extends ReviewItem>({
  title,
  queue,
  list,
  columns,
  actionLabel,
  scrollX,
  emptyText = '暂无数据',
  search,
  retry = false,
  drawer: ItemDrawer,
}: {
  title: string;
  queue: ReviewQueueState;
  list: ReviewList<T>;
  /** The page's own columns, between 序号 and 操作. */
  columns: ColumnsType<T>;
  /** What 操作 says on a pending row (查看 on the others). */
  actionLabel: string;
  scrollX: number;
  emptyText?: string;
  search?: { placeholder: string; maxLength: number; className?: string };
  /** A 重试 button on the load error. */
  retry?: boolean;
  drawer: ComponentType<ReviewDrawerProps<T>>;
}) {
  const site = useSite().data;
  usePageTitle(title, site?.staffConsoleName);
  const { tabs, tab, q, page, pageSize, setQuery } = queue;
  const [selected, setSelected] = useState<T | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const show = (r: T) => {
    setSelected(r);
    setDrawerOpen(true);
  };

  const allColumns: ColumnsType<T> = [
    { title: '序号', key: 'index', width: 60, align: 'center', render: (_v, _r, i) => (page - 1) * pageSize + i + 1 },
    ...columns,
    {
      title: '操作',
      key: 'action',
      width: 72,
      fixed: 'right',
      render: (_v, r) => (
        <Button type="link" size="small" onClick={() => show(r)}>
          {r.status === 'pending' ? actionLabel : '查看'}
        </Button>
      ),
    },
  ];

  const error = list.error ? toApiError(list.error) : null;
  return (
    <div className="cpe-console-page">
      <h1 className="cpe-console-page-title">{title}</h1>
      <div className="cpe-console-panel">
        <Tabs
          activeKey={tab}
          onChange={(key) => setQuery({ status: key, page: 1 })}
          items={tabs.map((t) => ({ key: t.key, label: t.label }))}
          tabBarExtraContent={
            search && (
              <Input.Search
                key={q}
                defaultValue={q}
                allowClear
                placeholder={search.placeholder}
                maxLength={search.maxLength}
                aria-label={search.placeholder}
                onSearch={(value) => setQuery({ q: value.trim(), page: 1 })}
                className={search.className}
              />
            )
          }
        />
        {error && !isUnauthenticated(error) && (
          <Alert
            className="cpe-drawer-alert"
            type="error"
            showIcon
            title={error.message}
            action={
              retry ? (
                <Button size="small" onClick={() => list.refetch()}>
                  重试
                </Button>
              ) : undefined
            }
          />
        )}
        <Table<T>
          rowKey="id"
          size="middle"
          bordered
          columns={allColumns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: scrollX }}
          locale={{ emptyText }}
          pagination={listPagination({
            page,
            pageSize,
            total: list.data?.total ?? 0,
            small: false,
            onChange: (p, ps) => setQuery({ page: p, pageSize: ps }),
          })}
        />
      </div>
      {/* Keyed by application: a new one starts with an empty reason and no old error. */}
      <ItemDrawer key={selected?.id ?? 'none'} item={selected} open={drawerOpen} onClose={() => setDrawerOpen(false)} />
    </div>
  );
}

/** A grey box saying 照片加载失败, as wide as the photo. */
const photoFallback = (width: number) =>
  `data:image/svg+xml;charset=utf-8,%3Csvg xmlns='http://www.w3.org/2000/svg' width='${width}' height='120'%3E%3Crect width='100%25' height='100%25' fill='%23f5f5f5'/%3E%3Ctext x='50%25' y='50%25' fill='%23999' font-size='14' text-anchor='middle' dominant-baseline='middle'%3E照片加载失败%3C/text%3E%3C/svg%3E`;

type Decision = 'approve' | 'reject';

/**
 * One application: the page's notice and details, the document photo (each view is audited on the server), and
 * while pending the reason with 通过 (confirmed) / 驳回 or 退回 (the reason required, optionally confirmed).
 */
export function ReviewDrawer<T extends ReviewItem>({
  item,
  open,
  onClose,
  titles,
  size,
  notice,
  noticeAboveError = false,
  details,
  photo,
  reason,
  approve,
  reject,
  decide,
  decidedCode,
}: ReviewDrawerProps<T> & {
  titles: { pending: string; done: string };
  size: number;
  notice?: (item: T) => ReactNode;
  /** The notice above the decision's error rather than below it. */
  noticeAboveError?: boolean;
  details: (item: T) => DescriptionsProps['items'];
  /** label: what the photo is called (its title, alt and audit note). */
  photo: { label: string; url: (id: string) => string; width: number };
  /** The reason field, required to reject; `sentOnApprove`: what was typed goes with 通过 too. */
  reason: { label: string; max: number; extra: string; placeholder?: string; sentOnApprove?: boolean };
  /** confirm / description: the Popconfirm of 通过; done: the message after it. */
  approve: { confirm: string; description: string; disabled?: boolean; done: string };
  /** label: 驳回 or 退回; confirm: the title of a confirmation showing the reason before it is sent. */
  reject: { label: string; confirm?: string; done: string };
  decide: (v: { id: string; decision: Decision; reason: string }) => Promise<unknown>;
  /** The error code of an application decided meanwhile (by someone else). */
  decidedCode: string;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const { message, modal } = App.useApp();
  const [acting, setActing] = useState<Decision | null>(null);

  const send = async (decision: Decision, text: string) => {
    if (!item) return;
    setError(null);
    setActing(decision);
    try {
      await decide({ id: item.id, decision, reason: text });
      message.success(decision === 'approve' ? approve.done : reject.done);
      onClose();
    } catch (err) {
      if (isUnauthenticated(err)) return;
      setError(applyApiError(err, form) ?? null);
      if (toApiError(err).code === decidedCode) message.info('该申请已被处理，列表已刷新');
    } finally {
      setActing(null);
    }
  };

  const onApprove = () =>
    send('approve', reason.sentOnApprove ? ((form.getFieldValue('reason') as string | undefined)?.trim() ?? '') : '');

  const onReject = async () => {
    let text: string;
    try {
      text = (await form.validateFields()).reason.trim();
    } catch {
      // With a confirmation the field is shown; without, the last error goes as it would on sending.
      if (reject.confirm) form.scrollToField('reason', { block: 'center', behavior: 'smooth' });
      else setError(null);
      return;
    }
    if (!reject.confirm) return send('reject', text);
    modal.confirm({
      title: reject.confirm,
      content: `${reason.label}：${text}`,
      okText: reject.label,
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () => send('reject', text),
    });
  };

  const pending = item?.status === 'pending';
  const noticeNode = item && notice?.(item);
  return (
    <Drawer
      open={open && item !== null}
      onClose={onClose}
      title={pending ? titles.pending : titles.done}
      size={size}
      destroyOnHidden
      footer={
        pending ? (
          <Space>
            <Popconfirm
              title={approve.confirm}
              description={approve.description}
              okText="通过"
              cancelText="取消"
              onConfirm={onApprove}
              disabled={approve.disabled}
            >
              <Button type="primary" loading={acting === 'approve'} disabled={approve.disabled || acting !== null}>
                通过
              </Button>
            </Popconfirm>
            <Button danger loading={acting === 'reject'} disabled={acting !== null} onClick={onReject}>
              {reject.label}
            </Button>
          </Space>
        ) : null
      }
    >
      {item && (
        <>
          {noticeAboveError && noticeNode}
          {error && <Alert className="cpe-drawer-alert" type="error" showIcon title={error} />}
          {!noticeAboveError && noticeNode}
          <Descriptions column={1} size="small" bordered items={details(item)} />
          <div className="cpe-photo-block">
            <div className="cpe-photo-title">
              {photo.label} <span className="cpe-muted">（查看{photo.label}将记入审计日志）</span>
            </div>
            <Image
              className="cpe-id-photo"
              src={photo.url(item.id)}
              alt={photo.label}
              width={photo.width}
              fallback={photoFallback(photo.width)}
            />
          </div>
          {pending && (
            <Form form={form} layout="vertical" className="cpe-decision-form">
              <Form.Item
                label={reason.label}
                name="reason"
                required={false}
                rules={[
                  { required: true, whitespace: true, message: `${reject.label}时请填写${reason.label}` },
                  { max: reason.max, message: `${reason.label}不能超过${reason.max}字` },
                ]}
                extra={reason.extra}
              >
                <Input.TextArea
                  maxLength={reason.max}
                  showCount
                  autoSize={{ minRows: 3, maxRows: 6 }}
                  placeholder={reason.placeholder}
                />
              </Form.Item>
            </Form>
          )}
        </>
      )}
    </Drawer>
  );
}
