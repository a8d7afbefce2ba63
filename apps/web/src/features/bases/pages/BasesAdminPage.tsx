import { ExportOutlined, SearchOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import { areaLabel, countiesUnder } from '@cpe/shared/areas/index';
import {
  BASE_STATUS_FILTERS,
  BASE_STATUS_LABELS,
  type TBaseAdmin,
  type TBaseAdminQuery,
  type TBaseKind,
  type TBaseStatus,
  type TBaseStatusFilter,
} from '@cpe/shared/schemas/bases';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Col,
  Empty,
  Form,
  Input,
  Modal,
  Row,
  Select,
  Table,
  Tabs,
  Tag,
  Tooltip,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { toApiError } from '../../../shared/api/client';
import { useExport } from '../../../shared/api/download';
import { useShowApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { listPagination } from '../../../shared/listPagination';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { basesExportUrl, useAdminBases, useRevokeBase } from '../api';
import { KIND_TABS, validity } from '../format';
import '../bases.css';

interface FilterValues {
  status?: TBaseStatusFilter;
  keyword?: string;
  area?: string;
}

const COUNTY_OPTIONS = countiesUnder('50').map((c) => ({ value: c.code, label: c.name }));
const STATUS_OPTIONS = BASE_STATUS_FILTERS.map((s) => ({ value: s, label: BASE_STATUS_LABELS[s] }));
const STATUS_COLORS: Record<TBaseStatus, string> = {
  valid: 'green',
  expiring: 'orange',
  expired: 'default',
  revoked: 'red',
};

/**
 * 基地管理 › 基地名单 (console /bases): 市人社局 reviewers and the system administrator see every base and may
 * 撤销; a 区县人社局 reviewer sees its district's, read-only. Sorted by 有效期至 (ending soonest first).
 */
export function BasesAdminPage() {
  const site = useSite().data;
  usePageTitle('基地名单', site?.staffConsoleName);
  const [query, setQuery] = useState<TBaseAdminQuery>({ kind: 'education', page: 1, pageSize: 20 });
  const list = useAdminBases(query);
  const [form] = Form.useForm<FilterValues>();
  const [revoking, setRevoking] = useState<TBaseAdmin | null>(null);
  const exporter = useExport();
  const scope = list.data?.scope ?? null;
  const canRevoke = list.data?.canRevoke ?? false;
  const kindLabel = KIND_TABS.find((t) => t.key === query.kind)?.label ?? '基地';

  const onFilter = (v: FilterValues) =>
    setQuery({
      kind: query.kind,
      status: v.status,
      keyword: v.keyword?.trim() || undefined,
      area: v.area,
      page: 1,
      pageSize: query.pageSize,
    });

  const columns: ColumnsType<TBaseAdmin> = [
    { title: '编号', dataIndex: 'number', width: 140 },
    { title: '单位名称', dataIndex: 'unitName', ellipsis: true },
    { title: '专业领域', dataIndex: 'field', width: 180, ellipsis: true },
    { title: '所在区县', dataIndex: 'areaName', width: 100 },
    {
      title: '有效期',
      key: 'validity',
      width: 220,
      render: (_v, b) => <span className="cpe-base-nowrap">{validity(b)}</span>,
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 100,
      render: (s: TBaseStatus, b) => {
        const tag = <Tag color={STATUS_COLORS[s]}>{BASE_STATUS_LABELS[s]}</Tag>;
        return s === 'revoked' ? (
          <Tooltip title={`${formatDateTime(b.revokedAt).slice(0, 10)} 撤销：${b.revokeReason ?? ''}`}>{tag}</Tooltip>
        ) : (
          tag
        );
      },
    },
    ...(canRevoke
      ? [
          {
            title: '操作',
            key: 'op',
            width: 90,
            fixed: 'right' as const,
            render: (_v: unknown, b: TBaseAdmin) =>
              b.status === 'revoked' ? (
                <span className="cpe-muted">—</span>
              ) : (
                <Button size="small" danger icon={<StopOutlined />} onClick={() => setRevoking(b)}>
                  撤销
                </Button>
              ),
          },
        ]
      : []),
  ];

  return (
    <div>
      <Breadcrumb
        items={[{ title: '继续教育管理' }, { title: '基地管理' }, { title: '基地名单' }]}
        style={{ marginBottom: 12 }}
      />
      {scope && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={`${scope.name}：仅显示所在区县为${areaLabel(scope.areaCode).split(' ').pop()}的基地，只能查看和导出`}
        />
      )}
      <Tabs
        activeKey={query.kind}
        onChange={(k) => setQuery({ ...query, kind: k as TBaseKind, page: 1 })}
        items={KIND_TABS.map((t) => ({ key: t.key, label: t.label }))}
      />
      <Form form={form} onFinish={onFilter} className="cpe-filter" layout="vertical">
        <Row gutter={12}>
          <Col xs={24} sm={12} lg={8}>
            <Form.Item label="关键词" name="keyword">
              <Input allowClear placeholder="单位名称、编号或专业领域" maxLength={50} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} lg={4}>
            <Form.Item label="状态" name="status">
              <Select allowClear options={STATUS_OPTIONS} placeholder="全部" />
            </Form.Item>
          </Col>
          {!scope && (
            <Col xs={12} sm={6} lg={4}>
              <Form.Item label="所在区县" name="area">
                <Select allowClear showSearch optionFilterProp="label" options={COUNTY_OPTIONS} placeholder="全部" />
              </Form.Item>
            </Col>
          )}
          <Col xs={24} lg={8} style={{ display: 'flex', alignItems: 'flex-end', gap: 8, paddingBottom: 24 }}>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              筛选
            </Button>
            <Button
              icon={<UndoOutlined />}
              onClick={() => {
                form.resetFields();
                setQuery({ kind: query.kind, page: 1, pageSize: query.pageSize });
              }}
            >
              重置
            </Button>
            <Button
              icon={<ExportOutlined />}
              loading={exporter.exporting}
              onClick={() => {
                const { page: _page, pageSize: _size, ...filter } = query;
                exporter.run(basesExportUrl(filter), `${kindLabel}名单.xlsx`);
              }}
            >
              导出Excel
            </Button>
          </Col>
        </Row>
      </Form>
      {list.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={toApiError(list.error).message}
          action={
            <Button size="small" onClick={() => list.refetch()}>
              重试
            </Button>
          }
        />
      )}
      <Table<TBaseAdmin>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 1000 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={`暂无${kindLabel}`} /> }}
        pagination={listPagination({
          page: query.page,
          pageSize: query.pageSize,
          total: list.data?.total ?? 0,
          unit: '个基地',
          small: false,
          onChange: (page, pageSize) => setQuery({ ...query, page, pageSize }),
        })}
      />
      <RevokeModal base={revoking} onClose={() => setRevoking(null)} />
    </div>
  );
}

function RevokeModal({ base, onClose }: { base: TBaseAdmin | null; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const revoke = useRevokeBase();
  const showError = useShowApiError();
  const { message } = App.useApp();
  const submit = async () => {
    const v = await form.validateFields();
    if (!base) return;
    revoke.mutate(
      { id: base.id, reason: v.reason.trim() },
      {
        onSuccess: () => {
          message.success(`基地 ${base.number} 已撤销`);
          form.resetFields();
          onClose();
        },
        onError: (err) => showError(err, form),
      },
    );
  };
  return (
    <Modal
      open={Boolean(base)}
      title="撤销基地"
      okText="确认撤销"
      okButtonProps={{ danger: true, loading: revoke.isPending }}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      {base && (
        <>
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message={`确定撤销 ${base.unitName} 的基地认定（${base.number}）？`}
            description="撤销后该基地不再出现在门户的基地名单中，且不能恢复。此操作记入审计日志。"
          />
          <Form form={form} layout="vertical">
            <Form.Item
              label="撤销原因"
              name="reason"
              rules={[
                { required: true, whitespace: true, message: '请填写撤销原因' },
                { min: 2, message: '撤销原因至少2个字' },
                { max: 500, message: '撤销原因最多500个字' },
              ]}
            >
              <Input.TextArea rows={3} maxLength={500} showCount />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
