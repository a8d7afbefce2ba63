import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import {
  AUDIT_ACTION_GROUPS,
  AUDIT_ACTION_LABELS,
  AUDIT_TARGET_TYPE_LABELS,
  auditActionLabel,
  auditActorTypeLabel,
  auditTargetTypeLabel,
} from '@cpe/shared/audit';
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

  // The groups first (the server matches a prefix), then every action the server records, from the shared catalogue.
  const actionOptions = useMemo(
    () => [
      ...AUDIT_ACTION_GROUPS.map((g) => ({ value: g.prefix, label: g.label })),
      ...Object.entries(AUDIT_ACTION_LABELS).map(([value, label]) => ({ value, label: `${label}（${value}）` })),
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
          <span>{auditActionLabel(v)}</span>
        </Tooltip>
      ),
    },
    {
      title: '操作人类型',
      dataIndex: 'actorType',
      width: 96,
      render: (v: string) => auditActorTypeLabel(v),
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
      render: (v: string | null) => (v ? auditTargetTypeLabel(v) : <span className="cpe-muted">—</span>),
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
              options={Object.entries(AUDIT_TARGET_TYPE_LABELS).map(([value, label]) => ({ value, label }))}
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
