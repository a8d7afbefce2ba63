import { REALNAME_REVIEW_STATUS_LABELS } from '@cpe/shared/schemas/identity';
import { ID_TYPE_LABELS } from '@cpe/shared/validators/id-document';
import {
  Alert,
  App,
  Button,
  Descriptions,
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
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { listPagination } from '../../../shared/listPagination';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../api';
import { nationalityName } from '../nationality';
import { realnameReviewPhotoUrl, useDecideRealnameReview, useRealnameReviews } from '../staff-api';
import type { RealnameReview, RealnameReviewStatus } from '../types';

const STATUS_TABS: Array<{ key: RealnameReviewStatus | 'all'; label: string }> = [
  { key: 'pending', label: '待审核' },
  { key: 'approved', label: '已通过' },
  { key: 'rejected', label: '已退回' },
  { key: 'all', label: '全部' },
];
const STATUS_COLORS: Record<RealnameReviewStatus, string> = {
  pending: 'processing',
  approved: 'success',
  rejected: 'error',
};
const statusTag = (s: RealnameReviewStatus) => <Tag color={STATUS_COLORS[s]}>{REALNAME_REVIEW_STATUS_LABELS[s]}</Tag>;

const isStatus = (v: string | null): v is RealnameReviewStatus =>
  v === 'pending' || v === 'approved' || v === 'rejected';
const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

const PHOTO_FALLBACK =
  "data:image/svg+xml;charset=utf-8,%3Csvg xmlns='http://www.w3.org/2000/svg' width='360' height='120'%3E%3Crect width='100%25' height='100%25' fill='%23f5f5f5'/%3E%3Ctext x='50%25' y='50%25' fill='%23999' font-size='14' text-anchor='middle' dominant-baseline='middle'%3E照片加载失败%3C/text%3E%3C/svg%3E";

/** One application: what the person declared, the document photo (each view is audited), 通过 / 退回. */
function ReviewDrawer({ item, open, onClose }: { item: RealnameReview | null; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const decide = useDecideRealnameReview();
  const { message, modal } = App.useApp();
  const [acting, setActing] = useState<'approve' | 'reject' | null>(null);

  const send = async (decision: 'approve' | 'reject', reason: string) => {
    if (!item) return;
    setError(null);
    setActing(decision);
    try {
      await decide.mutateAsync({ id: item.id, decision, reason });
      message.success(decision === 'approve' ? '已通过，该账号已完成实名认证' : '已退回，申请人可修改后重新提交');
      onClose();
    } catch (err) {
      if (isUnauthenticated(err)) return;
      setError(applyApiError(err, form) ?? null);
      if (toApiError(err).code === 'REALNAME_REVIEW_DECIDED') message.info('该申请已被处理，列表已刷新');
    } finally {
      setActing(null);
    }
  };

  const reject = async () => {
    let reason: string;
    try {
      reason = (await form.validateFields()).reason.trim();
    } catch {
      form.scrollToField('reason', { block: 'center', behavior: 'smooth' });
      return;
    }
    modal.confirm({
      title: '确认退回该实名审核申请？',
      content: `退回原因：${reason}`,
      okText: '退回',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () => send('reject', reason),
    });
  };

  const pending = item?.status === 'pending';
  return (
    <Drawer
      open={open && item !== null}
      onClose={onClose}
      title={pending ? '审核实名申请' : '实名审核详情'}
      size={600}
      destroyOnHidden
      footer={
        pending ? (
          <Space>
            <Popconfirm
              title="确认通过该实名审核申请？"
              description="通过后，申请人的姓名和证件信息以本次提交为准，并可购买公需科目和学习。"
              okText="通过"
              cancelText="取消"
              onConfirm={() => send('approve', '')}
            >
              <Button type="primary" loading={acting === 'approve'} disabled={acting !== null}>
                通过
              </Button>
            </Popconfirm>
            <Button danger loading={acting === 'reject'} disabled={acting !== null} onClick={reject}>
              退回
            </Button>
          </Space>
        ) : null
      }
    >
      {item && (
        <>
          {error && <Alert className="cpe-drawer-alert" type="error" showIcon title={error} />}
          {pending && (
            <Alert
              className="cpe-drawer-alert"
              type="info"
              showIcon
              title="请核对证件照片上的姓名、证件号码、国籍与申请信息一致，照片清晰完整、无遮挡。"
            />
          )}
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              { key: 'username', label: '用户账号', children: item.username },
              { key: 'realName', label: '姓名', children: item.realName },
              { key: 'idType', label: '证件类型', children: ID_TYPE_LABELS[item.idType] },
              { key: 'idNumber', label: '证件号码', children: item.idNumberMasked },
              ...(item.nationality
                ? [
                    {
                      key: 'nationality',
                      label: '国籍',
                      children: `${nationalityName(item.nationality)}（${item.nationality}）`,
                    },
                  ]
                : []),
              {
                key: 'attempt',
                label: '提交次数',
                children: item.attempt > 1 ? `第${item.attempt}次（此前被退回后重新提交）` : '第1次（注册时提交）',
              },
              { key: 'submittedAt', label: '提交时间', children: formatDateTime(item.submittedAt) },
              { key: 'status', label: '状态', children: statusTag(item.status) },
              ...(pending
                ? []
                : [
                    { key: 'decidedBy', label: '审核人', children: item.decidedBy ?? '' },
                    { key: 'decidedAt', label: '审核时间', children: formatDateTime(item.decidedAt) },
                    { key: 'reason', label: '退回原因', children: item.reason || '无' },
                  ]),
            ]}
          />
          <div className="cpe-photo-block">
            <div className="cpe-photo-title">
              证件照片 <span className="cpe-muted">（查看证件照片将记入审计日志）</span>
            </div>
            <Image
              className="cpe-id-photo"
              src={realnameReviewPhotoUrl(item.id)}
              alt="证件照片"
              width={360}
              fallback={PHOTO_FALLBACK}
            />
          </div>
          {pending && (
            <Form form={form} layout="vertical" className="cpe-decision-form">
              <Form.Item
                label="退回原因"
                name="reason"
                required={false}
                rules={[
                  { required: true, whitespace: true, message: '退回时请填写退回原因' },
                  { max: 200, message: '退回原因不能超过200字' },
                ]}
                extra="退回时必填，申请人将在个人中心看到；通过时无需填写"
              >
                <Input.TextArea
                  maxLength={200}
                  showCount
                  autoSize={{ minRows: 3, maxRows: 6 }}
                  placeholder="如：照片模糊，无法看清证件号码，请重新拍摄"
                />
              </Form.Item>
            </Form>
          )}
        </>
      )}
    </Drawer>
  );
}

/** 实名审核: status tabs, search by name, a paged table and the drawer to 审核. */
export function RealnameReviewPage() {
  const site = useSite().data;
  usePageTitle('实名审核', site?.staffConsoleName);
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  // Staff open the page to work: the pending ones first, unless 全部 was chosen.
  const status = statusParam === 'all' ? undefined : isStatus(statusParam) ? statusParam : 'pending';
  const q = params.get('q') ?? '';
  const page = positive(params.get('page'), 1);
  const pageSize = Math.min(100, positive(params.get('pageSize'), 20));
  const list = useRealnameReviews({ status, q: q || undefined, page, pageSize });
  const [selected, setSelected] = useState<RealnameReview | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const show = (r: RealnameReview) => {
    setSelected(r);
    setDrawerOpen(true);
  };

  const setQuery = (next: { status?: string; q?: string; page?: number; pageSize?: number }) => {
    const s = new URLSearchParams();
    const st = next.status ?? status ?? 'all';
    if (st !== 'pending') s.set('status', st);
    const text = next.q ?? q;
    if (text) s.set('q', text);
    const p = next.page ?? page;
    if (p > 1) s.set('page', String(p));
    const ps = next.pageSize ?? pageSize;
    if (ps !== 20) s.set('pageSize', String(ps));
    setParams(s);
  };

  const columns: ColumnsType<RealnameReview> = [
    { title: '序号', key: 'index', width: 60, align: 'center', render: (_v, _r, i) => (page - 1) * pageSize + i + 1 },
    { title: '姓名', dataIndex: 'realName', width: 140 },
    { title: '用户账号', dataIndex: 'username', width: 130 },
    {
      title: '证件类型',
      dataIndex: 'idType',
      width: 150,
      render: (t: RealnameReview['idType']) => ID_TYPE_LABELS[t],
    },
    { title: '证件号码', dataIndex: 'idNumberMasked', width: 170 },
    {
      title: '国籍',
      dataIndex: 'nationality',
      width: 100,
      render: (n: string | null) => (n ? nationalityName(n) : ''),
    },
    {
      title: '提交',
      dataIndex: 'attempt',
      width: 80,
      render: (n: number) => (n > 1 ? <Tag color="orange">第{n}次</Tag> : '首次'),
    },
    { title: '提交时间', dataIndex: 'submittedAt', width: 165, render: (v: string) => formatDateTime(v) },
    { title: '状态', dataIndex: 'status', width: 84, render: statusTag },
    { title: '审核人', dataIndex: 'decidedBy', width: 100, render: (v: string | null) => v ?? '' },
    {
      title: '操作',
      key: 'action',
      width: 72,
      fixed: 'right',
      render: (_v, r) => (
        <Button type="link" size="small" onClick={() => show(r)}>
          {r.status === 'pending' ? '审核' : '查看'}
        </Button>
      ),
    },
  ];

  const error = list.error ? toApiError(list.error) : null;
  return (
    <div className="cpe-console-page">
      <h1 className="cpe-console-page-title">实名审核</h1>
      <div className="cpe-console-panel">
        <Tabs
          activeKey={status ?? 'all'}
          onChange={(key) => setQuery({ status: key, page: 1 })}
          items={STATUS_TABS.map((t) => ({ key: t.key, label: t.label }))}
          tabBarExtraContent={
            <Input.Search
              key={q}
              defaultValue={q}
              allowClear
              placeholder="按姓名搜索"
              maxLength={30}
              aria-label="按姓名搜索"
              onSearch={(value) => setQuery({ q: value.trim(), page: 1 })}
              className="cpe-realname-search"
            />
          }
        />
        {error && !isUnauthenticated(error) && (
          <Alert
            className="cpe-drawer-alert"
            type="error"
            showIcon
            title={error.message}
            action={
              <Button size="small" onClick={() => list.refetch()}>
                重试
              </Button>
            }
          />
        )}
        <Table<RealnameReview>
          rowKey="id"
          size="middle"
          bordered
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 1250 }}
          locale={{ emptyText: status === 'pending' && !q ? '暂无待审核的实名申请' : '暂无数据' }}
          pagination={listPagination({
            page,
            pageSize,
            total: list.data?.total ?? 0,
            small: false,
            onChange: (p, ps) => setQuery({ page: p, pageSize: ps }),
          })}
        />
      </div>
      {/* Keyed by application: a new one starts with an empty 退回原因 and no old error. */}
      <ReviewDrawer
        key={selected?.id ?? 'none'}
        item={selected}
        open={drawerOpen}
        onClose={() => setDrawerOpen(false)}
      />
    </div>
  );
}
