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
import { recoveryPhotoUrl, useDecideRecovery, useRecoveries } from '../staff-api';
import type { ManualRecovery, RecoveryStatus } from '../types';

const STATUS_TABS: Array<{ key: RecoveryStatus | 'all'; label: string }> = [
  { key: 'all', label: '全部' },
  { key: 'pending', label: '待处理' },
  { key: 'approved', label: '已通过' },
  { key: 'rejected', label: '已驳回' },
];

const STATUS_TAGS: Record<RecoveryStatus, { color: string; text: string }> = {
  pending: { color: 'processing', text: '待处理' },
  approved: { color: 'success', text: '已通过' },
  rejected: { color: 'error', text: '已驳回' },
};

const isStatus = (v: string | null): v is RecoveryStatus => v === 'pending' || v === 'approved' || v === 'rejected';
const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** The drawer of one application: details, the ID photo (each view is audited), 通过 / 驳回. */
function RecoveryDrawer({ item, open, onClose }: { item: ManualRecovery | null; open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);
  const decide = useDecideRecovery();
  const { message } = App.useApp();
  const [acting, setActing] = useState<'approve' | 'reject' | null>(null);

  const submit = async (decision: 'approve' | 'reject') => {
    if (!item) return;
    setError(null);
    let reason = '';
    if (decision === 'reject') {
      try {
        reason = (await form.validateFields()).reason.trim();
      } catch {
        return;
      }
    } else {
      reason = (form.getFieldValue('reason') as string | undefined)?.trim() ?? '';
    }
    setActing(decision);
    try {
      await decide.mutateAsync({ id: item.id, decision, reason });
      message.success(decision === 'approve' ? '已通过，新手机号已绑定到该账号' : '已驳回');
      onClose();
    } catch (err) {
      if (isUnauthenticated(err)) return;
      setError(applyApiError(err, form) ?? null);
      if (toApiError(err).code === 'RECOVERY_NOT_PENDING') message.info('该申请已被处理，列表已刷新');
    } finally {
      setActing(null);
    }
  };

  const pending = item?.status === 'pending';
  return (
    <Drawer
      open={open && item !== null}
      onClose={onClose}
      title={pending ? '处理人工找回申请' : '人工找回申请详情'}
      size={560}
      destroyOnHidden
      footer={
        pending ? (
          <Space>
            <Popconfirm
              title="确认通过该申请？"
              description="通过后，新手机号将绑定到该账号，并退出该账号的全部登录。"
              okText="通过"
              cancelText="取消"
              onConfirm={() => submit('approve')}
              disabled={!item?.accountFound}
            >
              <Button type="primary" loading={acting === 'approve'} disabled={!item?.accountFound || acting !== null}>
                通过
              </Button>
            </Popconfirm>
            <Button danger loading={acting === 'reject'} disabled={acting !== null} onClick={() => submit('reject')}>
              驳回
            </Button>
          </Space>
        ) : null
      }
    >
      {item && (
        <>
          {pending && !item.accountFound && (
            <Alert
              className="cpe-drawer-alert"
              type="warning"
              showIcon
              title="未找到姓名与身份证号码一致的账号，无法通过，请驳回"
            />
          )}
          {error && <Alert className="cpe-drawer-alert" type="error" showIcon title={error} />}
          <Descriptions
            column={1}
            size="small"
            bordered
            items={[
              { key: 'realName', label: '姓名', children: item.realName },
              { key: 'idNumber', label: '身份证号码', children: item.idNumberMasked },
              { key: 'newPhone', label: '新手机号', children: item.newPhoneMasked },
              {
                key: 'account',
                label: '账号匹配',
                children: item.accountFound ? <Tag color="success">已匹配</Tag> : <Tag color="warning">未找到账号</Tag>,
              },
              { key: 'note', label: '补充说明', children: item.note || '无' },
              { key: 'createdAt', label: '申请时间', children: formatDateTime(item.createdAt) },
              {
                key: 'status',
                label: '状态',
                children: <Tag color={STATUS_TAGS[item.status].color}>{STATUS_TAGS[item.status].text}</Tag>,
              },
              ...(pending
                ? []
                : [
                    { key: 'handledBy', label: '处理人', children: item.handledBy ?? '' },
                    { key: 'handledAt', label: '处理时间', children: formatDateTime(item.handledAt) },
                    { key: 'reason', label: '处理意见', children: item.reason || '无' },
                  ]),
            ]}
          />
          <div className="cpe-photo-block">
            <div className="cpe-photo-title">
              身份证照片 <span className="cpe-muted">（查看身份证照片将记入审计日志）</span>
            </div>
            <Image
              className="cpe-id-photo"
              src={recoveryPhotoUrl(item.id)}
              alt="身份证照片"
              width={320}
              fallback="data:image/svg+xml;charset=utf-8,%3Csvg xmlns='http://www.w3.org/2000/svg' width='320' height='120'%3E%3Crect width='100%25' height='100%25' fill='%23f5f5f5'/%3E%3Ctext x='50%25' y='50%25' fill='%23999' font-size='14' text-anchor='middle' dominant-baseline='middle'%3E照片加载失败%3C/text%3E%3C/svg%3E"
            />
          </div>
          {pending && (
            <Form form={form} layout="vertical" className="cpe-decision-form">
              <Form.Item
                label="处理意见"
                name="reason"
                required={false}
                rules={[
                  { required: true, whitespace: true, message: '驳回时请填写处理意见' },
                  { max: 500, message: '处理意见不能超过500字' },
                ]}
                extra="驳回时必填；通过时选填"
              >
                <Input.TextArea maxLength={500} showCount autoSize={{ minRows: 3, maxRows: 6 }} />
              </Form.Item>
            </Form>
          )}
        </>
      )}
    </Drawer>
  );
}

/** 人工找回审核: status tabs, a paged table, and the drawer to 处理. */
export function RecoveryReviewPage() {
  const site = useSite().data;
  usePageTitle('人工找回审核', site?.staffConsoleName);
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const page = positive(params.get('page'), 1);
  const pageSize = Math.min(100, positive(params.get('pageSize'), 20));
  const list = useRecoveries({ status, page, pageSize });
  const [selected, setSelected] = useState<ManualRecovery | null>(null);
  const [drawerOpen, setDrawerOpen] = useState(false);
  const show = (r: ManualRecovery) => {
    setSelected(r);
    setDrawerOpen(true);
  };

  const setQuery = (next: { status?: string; page?: number; pageSize?: number }) => {
    const s = new URLSearchParams();
    const st = next.status ?? status;
    if (st && st !== 'all') s.set('status', st);
    const p = next.page ?? page;
    if (p > 1) s.set('page', String(p));
    const ps = next.pageSize ?? pageSize;
    if (ps !== 20) s.set('pageSize', String(ps));
    setParams(s);
  };

  const columns: ColumnsType<ManualRecovery> = [
    { title: '序号', key: 'index', width: 60, align: 'center', render: (_v, _r, i) => (page - 1) * pageSize + i + 1 },
    { title: '姓名', dataIndex: 'realName', width: 90 },
    { title: '身份证号码', dataIndex: 'idNumberMasked', width: 170 },
    { title: '新手机号', dataIndex: 'newPhoneMasked', width: 120 },
    {
      title: '账号匹配',
      dataIndex: 'accountFound',
      width: 100,
      render: (found: boolean) => (found ? <Tag color="success">已匹配</Tag> : <Tag color="warning">未找到账号</Tag>),
    },
    { title: '申请时间', dataIndex: 'createdAt', width: 165, render: (v: string) => formatDateTime(v) },
    {
      title: '状态',
      dataIndex: 'status',
      width: 84,
      render: (s: RecoveryStatus) => <Tag color={STATUS_TAGS[s].color}>{STATUS_TAGS[s].text}</Tag>,
    },
    { title: '处理人', dataIndex: 'handledBy', width: 100, render: (v: string | null) => v ?? '' },
    {
      title: '操作',
      key: 'action',
      width: 72,
      fixed: 'right',
      render: (_v, r) =>
        r.status === 'pending' ? (
          <Button type="link" size="small" onClick={() => show(r)}>
            处理
          </Button>
        ) : (
          <Button type="link" size="small" onClick={() => show(r)}>
            查看
          </Button>
        ),
    },
  ];

  const error = list.error ? toApiError(list.error) : null;
  return (
    <div className="cpe-console-page">
      <h1 className="cpe-console-page-title">人工找回审核</h1>
      <div className="cpe-console-panel">
        <Tabs
          activeKey={status ?? 'all'}
          onChange={(key) => setQuery({ status: key, page: 1 })}
          items={STATUS_TABS.map((t) => ({ key: t.key, label: t.label }))}
        />
        {error && !isUnauthenticated(error) && (
          <Alert className="cpe-drawer-alert" type="error" showIcon title={error.message} />
        )}
        <Table<ManualRecovery>
          rowKey="id"
          size="middle"
          bordered
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 960 }}
          locale={{ emptyText: '暂无数据' }}
          pagination={listPagination({
            page,
            pageSize,
            total: list.data?.total ?? 0,
            small: false,
            onChange: (p, ps) => setQuery({ page: p, pageSize: ps }),
          })}
        />
      </div>
      {/* Keyed by application: a new one starts with an empty 处理意见 and no old error. */}
      <RecoveryDrawer
        key={selected?.id ?? 'none'}
        item={selected}
        open={drawerOpen}
        onClose={() => setDrawerOpen(false)}
      />
    </div>
  );
}
