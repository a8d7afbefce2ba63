import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, DatePicker, Form, Input, Select, Table, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { type AuditLogQuery, useAuditLogs } from '../api';
import type { AuditLogEntry } from '../types';
import '../units.css';
import { listPagination } from '../../../shared/listPagination';

/** What the server records (action codes are stable; the filter matches a prefix). */
const ACTION_LABELS: Record<string, string> = {
  'public.login': '门户登录',
  'public.login.failed': '门户登录失败',
  'public.login.locked': '门户账号锁定',
  'public.logout': '门户退出登录',
  'staff.login': '内网登录',
  'staff.login.failed': '内网登录失败',
  'staff.login.locked': '内网账号锁定',
  'staff.logout': '内网退出登录',
  'account.register': '个人用户注册',
  'account.seed': '创建演示账号',
  'account.password.change': '修改密码',
  'account.password.reset': '重置密码',
  'account.phone.change': '更换手机号',
  'recovery.submit': '提交人工找回',
  'recovery.photo.view': '查看身份证照片',
  'recovery.approve': '人工找回通过',
  'recovery.reject': '人工找回驳回',
  'staff.create': '新增工作人员',
  'staff.update': '修改工作人员',
  'unit.registration.submit': '提交单位注册',
  'unit.registration.resubmit': '重新提交单位注册',
  'unit.info-change.submit': '提交单位信息修改',
  'unit.admin-change.submit': '申请变更管理员',
  'unit.register.approve': '单位注册审核通过',
  'unit.register.reject': '单位注册审核未通过',
  'unit.change-info.approve': '单位信息修改审核通过',
  'unit.change-info.reject': '单位信息修改审核未通过',
  'unit.change-admin.approve': '变更管理员审核通过',
  'unit.change-admin.reject': '变更管理员审核未通过',
  'unit.admin.change': '单位管理员变更',
  'unit.registrations.export': '导出单位注册审核',
};

const ACTION_GROUPS = [
  { value: 'public.', label: '门户登录与退出（全部）' },
  { value: 'staff.', label: '内网登录与工作人员（全部）' },
  { value: 'account.', label: '个人账号（全部）' },
  { value: 'recovery.', label: '人工找回（全部）' },
  { value: 'unit.', label: '单位注册与审核（全部）' },
];

const TARGET_TYPES: Record<string, string> = {
  account: '个人账号',
  staff_account: '工作人员',
  manual_recovery: '人工找回申请',
  unit: '单位',
  unit_application: '单位申请',
};

const ACTOR_TYPES: Record<string, string> = {
  account: '个人用户',
  staff: '工作人员',
  anonymous: '匿名',
  system: '系统',
};

interface FilterValues {
  action?: string;
  targetType?: string;
  targetId?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

function queryOf(params: URLSearchParams): AuditLogQuery {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const from = get('from');
  const to = get('to');
  return {
    action: get('action'),
    targetType: get('targetType'),
    targetId: get('targetId'),
    from: from && DATE_RE.test(from) ? from : undefined,
    to: to && DATE_RE.test(to) ? to : undefined,
    page: positive(params.get('page'), 1),
    pageSize: Math.min(100, positive(params.get('pageSize'), 50)),
  };
}

function paramsOf(q: AuditLogQuery): URLSearchParams {
  const s = new URLSearchParams();
  for (const k of ['action', 'targetType', 'targetId', 'from', 'to'] as const) {
    const v = q[k];
    if (v) s.set(k, v);
  }
  if (q.page > 1) s.set('page', String(q.page));
  if (q.pageSize !== 50) s.set('pageSize', String(q.pageSize));
  return s;
}

function filterValuesOf(q: AuditLogQuery): FilterValues {
  return {
    action: q.action,
    targetType: q.targetType,
    targetId: q.targetId,
    dates: q.from || q.to ? [q.from ? dayjs(q.from) : null, q.to ? dayjs(q.to) : null] : null,
  };
}

/** 审计日志 (console route /audit-logs, 系统管理员): who did what to which record, newest first. */
export function AuditLogPage() {
  const site = useSite().data;
  usePageTitle('审计日志', site?.staffConsoleName);
  const [params, setParams] = useSearchParams();
  const paramString = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: parsed again only when the address changes
  const query = useMemo(() => queryOf(params), [paramString]);
  const list = useAuditLogs(query);
  const [form] = Form.useForm<FilterValues>();

  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(filterValuesOf(query));
  }, [form, query]);

  const onFilter = (v: FilterValues) => {
    const [from, to] = v.dates ?? [];
    setParams(
      paramsOf({
        action: v.action?.trim() || undefined,
        targetType: v.targetType || undefined,
        targetId: v.targetId?.trim() || undefined,
        from: from ? from.format('YYYY-MM-DD') : undefined,
        to: to ? to.format('YYYY-MM-DD') : undefined,
        page: 1,
        pageSize: query.pageSize,
      }),
    );
  };

  const actionOptions = useMemo(
    () => [
      ...ACTION_GROUPS,
      ...Object.entries(ACTION_LABELS).map(([value, label]) => ({ value, label: `${label}（${value}）` })),
    ],
    [],
  );

  const columns: ColumnsType<AuditLogEntry> = [
    { title: '时间', dataIndex: 'at', width: 160, render: (v: string) => formatDateTime(v) },
    {
      title: '操作',
      dataIndex: 'action',
      width: 190,
      render: (v: string) => (
        <Tooltip title={v} placement="topLeft">
          <span>{ACTION_LABELS[v] ?? v}</span>
        </Tooltip>
      ),
    },
    {
      title: '操作人类型',
      dataIndex: 'actorType',
      width: 96,
      render: (v: string) => ACTOR_TYPES[v] ?? v,
    },
    {
      title: '操作人',
      dataIndex: 'actorId',
      width: 150,
      render: (v: string | null, r) =>
        v ? (
          <Typography.Text className="cpe-unit-audit-id" copyable={{ text: v }} ellipsis={{ tooltip: v }}>
            {r.actorName ?? v}
          </Typography.Text>
        ) : (
          <span className="cpe-muted">—</span>
        ),
    },
    {
      title: '对象类型',
      dataIndex: 'targetType',
      width: 100,
      render: (v: string | null) => (v ? (TARGET_TYPES[v] ?? v) : <span className="cpe-muted">—</span>),
    },
    {
      title: '对象',
      dataIndex: 'targetId',
      width: 150,
      render: (v: string | null) =>
        v ? (
          <Typography.Text className="cpe-unit-audit-id" copyable={{ text: v }} ellipsis={{ tooltip: v }}>
            {v}
          </Typography.Text>
        ) : (
          <span className="cpe-muted">—</span>
        ),
    },
    { title: 'IP', dataIndex: 'ip', width: 120, render: (v: string | null) => v ?? '' },
    {
      title: '摘要',
      dataIndex: 'summary',
      render: (v: Record<string, unknown>) => {
        const text = Object.keys(v).length === 0 ? '' : JSON.stringify(v);
        return text ? (
          <Tooltip title={<pre className="cpe-unit-audit-pre">{JSON.stringify(v, null, 2)}</pre>}>
            <code className="cpe-unit-audit-summary">{text}</code>
          </Tooltip>
        ) : (
          <span className="cpe-muted">—</span>
        );
      },
    },
  ];

  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;
  const page = query.page;
  const pageSize = query.pageSize;
  return (
    <div className="cpe-console-page">
      <h1 className="cpe-console-page-title">审计日志</h1>
      <div className="cpe-console-panel cpe-unit-console-panel">
        <Form<FilterValues>
          form={form}
          name="auditFilter"
          layout="inline"
          size="small"
          className="cpe-unit-audit-filter"
          onFinish={onFilter}
          initialValues={filterValuesOf(query)}
        >
          <Form.Item label="操作" name="action">
            <AutoComplete
              options={actionOptions}
              placeholder="操作代码或前缀，如 unit."
              allowClear
              style={{ width: 240 }}
              showSearch={{
                filterOption: (input, option) =>
                  String(option?.value ?? '').includes(input) || String(option?.label ?? '').includes(input),
              }}
            />
          </Form.Item>
          <Form.Item label="对象类型" name="targetType">
            <Select
              allowClear
              placeholder="全部"
              style={{ width: 130 }}
              options={Object.entries(TARGET_TYPES).map(([value, label]) => ({ value, label }))}
            />
          </Form.Item>
          <Form.Item label="对象编号" name="targetId">
            <Input allowClear maxLength={64} style={{ width: 220 }} placeholder="对象的编号（UUID）" />
          </Form.Item>
          <Form.Item label="日期" name="dates">
            <DatePicker.RangePicker
              placeholder={['年/月/日', '年/月/日']}
              format="YYYY-MM-DD"
              allowEmpty={[true, true]}
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              筛选
            </Button>
          </Form.Item>
          <Form.Item>
            <Button icon={<UndoOutlined />} onClick={() => setParams(paramsOf({ page: 1, pageSize }))}>
              重置
            </Button>
          </Form.Item>
        </Form>
        {error && (
          <Alert
            className="cpe-unit-alert"
            type="error"
            showIcon
            title={errorCode(list.error) === 'FORBIDDEN' ? '仅系统管理员可查看审计日志' : error.message}
          />
        )}
        <Table<AuditLogEntry>
          rowKey="id"
          size="small"
          bordered
          className="cpe-unit-audit-table"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 1320 }}
          tableLayout="fixed"
          locale={{ emptyText: list.isPending ? '加载中…' : '无数据' }}
          pagination={listPagination({
            page,
            pageSize,
            total: list.data?.total ?? 0,
            sizes: [20, 50, 100],
            onChange: (p, ps) => setParams(paramsOf({ ...query, page: p, pageSize: ps })),
          })}
        />
      </div>
    </div>
  );
}
