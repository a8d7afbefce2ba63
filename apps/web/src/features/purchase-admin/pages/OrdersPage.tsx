import { DownloadOutlined, SearchOutlined, UndoOutlined, WarningOutlined } from '@ant-design/icons';
import {
  ORDER_KIND_LABELS,
  ORDER_STATUS_LABELS,
  ORDER_STATUSES,
  paymentChannelLabel,
} from '@cpe/shared/schemas/purchase';
import {
  Alert,
  Breadcrumb,
  Button,
  Col,
  DatePicker,
  Empty,
  Form,
  Grid,
  Input,
  Result,
  Row,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { useExport } from '../../../shared/api/download';
import { formatDateTime } from '../../../shared/format';
import { listPagination } from '../../../shared/listPagination';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { adminOrderExportUrl, adminOrderSearch, useAdminOrders, useTrainingPlans } from '../api';
import { ORDER_STATUS_COLORS, OrderDetailDrawer, signedFen } from '../components/OrderDetailDrawer';
import type { AdminOrder, AdminOrderKind, AdminOrderQuery, AdminOrderStatus } from '../types';

interface FilterValues {
  orderNo?: string;
  buyer?: string;
  planId?: string;
  kind?: AdminOrderKind;
  status?: AdminOrderStatus;
  dates?: [Dayjs | null, Dayjs | null] | null;
}

const KINDS = Object.keys(ORDER_KIND_LABELS) as AdminOrderKind[];
const KIND_OPTIONS = KINDS.map((k) => ({ value: k, label: ORDER_KIND_LABELS[k] }));
const STATUS_OPTIONS = ORDER_STATUSES.map((s) => ({ value: s, label: ORDER_STATUS_LABELS[s] }));
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** The list's state lives in the address (filters and page): back, refresh and shared links keep it. */
function queryOf(params: URLSearchParams): AdminOrderQuery {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const kind = get('kind');
  const status = get('status');
  const planId = get('planId');
  const from = get('createdFrom');
  const to = get('createdTo');
  return {
    orderNo: get('orderNo')?.slice(0, 32),
    buyer: get('buyer')?.slice(0, 30),
    planId: planId && UUID_RE.test(planId) ? planId : undefined,
    kind: KINDS.includes(kind as AdminOrderKind) ? (kind as AdminOrderKind) : undefined,
    status: ORDER_STATUSES.includes(status as AdminOrderStatus) ? (status as AdminOrderStatus) : undefined,
    createdFrom: from && DATE_RE.test(from) ? from : undefined,
    createdTo: to && DATE_RE.test(to) ? to : undefined,
    paymentException: get('paymentException') === 'true' || undefined,
    page: positive(params.get('page'), 1),
    pageSize: Math.min(100, positive(params.get('pageSize'), 20)),
  };
}

function paramsOf(q: AdminOrderQuery): URLSearchParams {
  return new URLSearchParams(
    adminOrderSearch({
      ...q,
      page: q.page && q.page > 1 ? q.page : undefined,
      pageSize: q.pageSize && q.pageSize !== 20 ? q.pageSize : undefined,
    }),
  );
}

function filterValuesOf(q: AdminOrderQuery): FilterValues {
  return {
    orderNo: q.orderNo,
    buyer: q.buyer,
    planId: q.planId,
    kind: q.kind,
    status: q.status,
    dates:
      q.createdFrom || q.createdTo
        ? [q.createdFrom ? dayjs(q.createdFrom) : null, q.createdTo ? dayjs(q.createdTo) : null]
        : null,
  };
}

const cell = (v: string | null) => (v ? formatDateTime(v) : '—');

/** 订单管理 (console route /orders-admin; 培训中心运营 and 系统管理员): every buyer's 公需科目 orders. */
export function OrdersPage() {
  const site = useSite().data;
  usePageTitle('订单管理', site?.staffConsoleName);
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: parsed again only when the address changes
  const query = useMemo(() => queryOf(params), [search]);
  const list = useAdminOrders(query);
  const plans = useTrainingPlans();
  const [form] = Form.useForm<FilterValues>();
  const { exporting, run: runExport } = useExport();
  // `open` apart from the id, so the drawer keeps its content while it slides away.
  const [drawer, setDrawer] = useState<{ open: boolean; id: string | null }>({ open: false, id: null });

  // The form follows the address (重置, back and forward, a shared link).
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(filterValuesOf(query));
  }, [form, query]);

  const go = (next: AdminOrderQuery) => setParams(paramsOf(next));

  const onFilter = (v: FilterValues) => {
    const [from, to] = v.dates ?? [];
    go({
      orderNo: v.orderNo?.trim() || undefined,
      buyer: v.buyer?.trim() || undefined,
      planId: v.planId,
      kind: v.kind,
      status: v.status,
      createdFrom: from ? from.format('YYYY-MM-DD') : undefined,
      createdTo: to ? to.format('YYYY-MM-DD') : undefined,
      page: 1,
      pageSize: query.pageSize,
    });
  };

  const onReset = () => go({ pageSize: query.pageSize });

  const onExport = () => runExport(adminOrderExportUrl(query), '订单.xlsx');

  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const data = list.data;

  const planOptions = useMemo(() => {
    const items = plans.data?.items ?? [];
    return items.map((p) => ({ value: p.id, label: `${p.name}（${p.year}）` }));
  }, [plans.data]);

  const columns: ColumnsType<AdminOrder> = [
    {
      title: '订单号',
      dataIndex: 'orderNo',
      width: 180,
      render: (v: string) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{v}</span>,
    },
    { title: '学习计划', dataIndex: 'planName', width: 180, ellipsis: true },
    { title: '购买方式', dataIndex: 'kind', width: 84, render: (v: AdminOrderKind) => ORDER_KIND_LABELS[v] },
    {
      title: '购买人',
      key: 'buyer',
      width: 150,
      render: (_v, r) => (
        <div style={{ lineHeight: 1.4 }}>
          <div>{r.buyerName}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
            {r.buyerIdMasked}
          </Typography.Text>
        </div>
      ),
    },
    { title: '数量', dataIndex: 'quantity', width: 56, align: 'right' },
    {
      title: '金额',
      dataIndex: 'amountFen',
      width: 100,
      align: 'right',
      render: (v: number) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{signedFen(v)}</span>,
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 110,
      render: (s: AdminOrderStatus, r) => (
        <>
          <Tag color={ORDER_STATUS_COLORS[s]}>{ORDER_STATUS_LABELS[s]}</Tag>
          {r.paymentException && (
            <Tag color="error" icon={<WarningOutlined />} style={{ marginTop: 4 }}>
              支付待处理
            </Tag>
          )}
        </>
      ),
    },
    { title: '支付方式', dataIndex: 'channel', width: 84, render: (v: string | null) => paymentChannelLabel(v) || '—' },
    { title: '下单时间', dataIndex: 'createdAt', width: 156, render: cell },
    { title: '支付时间', dataIndex: 'paidAt', width: 156, render: cell },
    {
      title: '操作',
      key: 'action',
      width: 60,
      fixed: 'right',
      align: 'center',
      render: (_v, r) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setDrawer({ open: true, id: r.id })}>
          详情
        </Button>
      ),
    },
  ];

  if (errorCode(list.error) === 'FORBIDDEN')
    return (
      <div className="cpe-console-page">
        <Result status="403" title="没有权限" subTitle="订单管理仅限培训中心运营和系统管理员使用。" />
      </div>
    );

  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;
  const textCol = { xs: 24, sm: 12, xl: 8 };
  const filtered = Boolean(
    query.orderNo ||
      query.buyer ||
      query.planId ||
      query.kind ||
      query.status ||
      query.createdFrom ||
      query.createdTo ||
      query.paymentException,
  );

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '公需科目' }, { title: '订单管理' }]}
      />
      <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
        <Form<FilterValues>
          form={form}
          name="adminOrderFilter"
          labelCol={{ flex: '7em' }}
          wrapperCol={{ flex: '1 1 0', style: { minWidth: 0 } }}
          labelAlign="right"
          size="small"
          onFinish={onFilter}
          initialValues={filterValuesOf(query)}
        >
          <Row gutter={[16, 0]}>
            <Col {...textCol}>
              <Form.Item label="订单号" name="orderNo">
                <Input maxLength={32} allowClear placeholder="订单号" />
              </Form.Item>
            </Col>
            <Col {...textCol}>
              <Form.Item label="购买人" name="buyer">
                <Input maxLength={30} allowClear placeholder="姓名或证件号码" />
              </Form.Item>
            </Col>
            <Col {...textCol}>
              <Form.Item label="学习计划" name="planId">
                <Select
                  placeholder="全部学习计划"
                  allowClear
                  loading={plans.isPending}
                  showSearch={{ optionFilterProp: 'label' }}
                  options={planOptions}
                  notFoundContent={plans.isError ? '学习计划加载失败' : undefined}
                />
              </Form.Item>
            </Col>
            <Col {...textCol}>
              <Form.Item label="购买方式" name="kind">
                <Select placeholder="全部" allowClear options={KIND_OPTIONS} />
              </Form.Item>
            </Col>
            <Col {...textCol}>
              <Form.Item label="状态" name="status">
                <Select placeholder="全部状态" allowClear options={STATUS_OPTIONS} />
              </Form.Item>
            </Col>
            <Col {...textCol}>
              <Form.Item label="下单日期" name="dates">
                <DatePicker.RangePicker
                  placeholder={['开始日期', '结束日期']}
                  format="YYYY-MM-DD"
                  allowEmpty={[true, true]}
                  style={{ width: '100%' }}
                  inputReadOnly={!screens.md}
                />
              </Form.Item>
            </Col>
            <Col span={24}>
              <div style={{ display: 'flex', flexWrap: 'wrap', justifyContent: 'flex-end', gap: 8, marginBottom: 12 }}>
                <Button type="primary" size="small" htmlType="submit" icon={<SearchOutlined />}>
                  筛选
                </Button>
                <Button size="small" icon={<UndoOutlined />} onClick={onReset}>
                  重置
                </Button>
                <Button
                  size="small"
                  icon={<DownloadOutlined />}
                  onClick={onExport}
                  loading={exporting}
                  disabled={!data || data.total === 0}
                  title="按当前筛选条件导出Excel（导出操作将记入审计日志）"
                >
                  导出
                </Button>
              </div>
            </Col>
          </Row>
        </Form>

        {error && (
          <Alert
            style={{ marginBottom: 12 }}
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

        {/* The operators' alert: money received with another amount than asked waits for a 退款. */}
        {data && data.paymentExceptions > 0 && (
          <Alert
            style={{ marginBottom: 12 }}
            type="warning"
            showIcon
            title={`有 ${data.paymentExceptions} 个订单的支付金额与订单不符（待处理）：订单未开通，请在订单详情中核实并退款。`}
            action={
              query.paymentException ? undefined : (
                <Button size="small" onClick={() => go({ paymentException: true, page: 1, pageSize: query.pageSize })}>
                  只看待处理
                </Button>
              )
            }
          />
        )}

        <div style={{ margin: '0 0 8px', color: 'rgba(0,0,0,0.65)' }}>
          {data ? (
            <>
              共 <strong>{data.total}</strong> 条 · 已支付金额{' '}
              <strong style={{ color: '#cf1322', fontVariantNumeric: 'tabular-nums' }}>
                {signedFen(data.paidFen)}
              </strong>
            </>
          ) : (
            '\u00a0'
          )}
        </div>

        <Table<AdminOrder>
          rowKey="id"
          size="small"
          bordered
          columns={columns}
          dataSource={data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 1300 }}
          locale={{
            emptyText: list.isPending ? (
              '加载中…'
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={filtered ? '没有符合条件的订单' : '暂无订单'} />
            ),
          }}
          pagination={listPagination({
            page,
            pageSize,
            total: data?.total ?? 0,
            onChange: (p, ps) => go({ ...query, page: p, pageSize: ps }),
          })}
        />
      </div>
      <OrderDetailDrawer
        orderId={drawer.id}
        open={drawer.open}
        onClose={() => setDrawer((d) => ({ ...d, open: false }))}
      />
    </div>
  );
}
