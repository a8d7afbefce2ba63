import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import type { TCreditReviewItem } from '@cpe/shared/schemas/credits';
import { Alert, Breadcrumb, Button, Col, Empty, Form, Input, Result, Row, Select, Table, Tabs, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useEffect, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { listPagination } from '../../../shared/listPagination';
import { platformYear } from '../../../shared/platform-time';
import { usePageTitle } from '../../../shared/usePageTitle';
import { CreditStatusTag } from '../../credits/parts';
import { useSite } from '../../identity/api';
import {
  ADMIN_CREDIT_QUEUE,
  type CreditQueueQuery,
  type CreditQueueStatus,
  useAdminCreditClaims,
  useCreditQueueBase,
} from '../api';
import { CreditClaimDrawer } from '../components/CreditClaimDrawer';
import '../credits-admin.css';

interface FilterValues {
  keyword?: string;
  year?: number;
}

const STATUSES: ReadonlyArray<CreditQueueStatus> = ['pending', 'done', 'all'];
const FIRST_YEAR = 2015;

const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** The queue's state lives in the address (tab, search, year, page): back and forward, a shared link. */
function queryOf(params: URLSearchParams): CreditQueueQuery {
  const status = params.get('status') as CreditQueueStatus | null;
  const year = Number(params.get('year'));
  return {
    status: status && STATUSES.includes(status) ? status : 'pending',
    keyword: params.get('keyword')?.trim().slice(0, 40) || undefined,
    year: Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : undefined,
    page: positive(params.get('page'), 1),
    pageSize: Math.min(100, positive(params.get('pageSize'), 20)),
  };
}

function paramsOf(q: CreditQueueQuery): URLSearchParams {
  const s = new URLSearchParams();
  if (q.status !== 'pending') s.set('status', q.status);
  if (q.keyword) s.set('keyword', q.keyword);
  if (q.year) s.set('year', String(q.year));
  if (q.page > 1) s.set('page', String(q.page));
  if (q.pageSize !== 20) s.set('pageSize', String(q.pageSize));
  return s;
}

/**
 * 继续教育管理 → 学时管理 → 学时认定 (route /credit-recognition; reviewers and the system administrator): the 学时登记
 * a unit has confirmed, waiting for the bureau. A 区县人社局 sees its district's, 市人社局 all (the server decides).
 */
export function CreditRecognitionPage() {
  const site = useSite().data;
  // The same page serves a 主管部门 in 单位中心 (portal) when it 认定s.
  const onPortal = useCreditQueueBase() !== ADMIN_CREDIT_QUEUE;
  usePageTitle('学时认定', onPortal ? site?.name : site?.staffConsoleName);
  const [params, setParams] = useSearchParams();
  const query = useMemo(() => queryOf(params), [params]);
  const list = useAdminCreditClaims(query);
  const [form] = Form.useForm<FilterValues>();
  // `open` apart from the entry, so the drawer keeps its content while it slides away.
  const [drawer, setDrawer] = useState<{ open: boolean; item: TCreditReviewItem | null }>({ open: false, item: null });
  const years = useMemo(() => {
    const last = platformYear();
    return Array.from({ length: last - FIRST_YEAR + 1 }, (_, i) => ({ value: last - i, label: `${last - i}年` }));
  }, []);

  // The form follows the address (重置, back and forward).
  useEffect(() => {
    form.setFieldsValue({ keyword: query.keyword, year: query.year });
  }, [form, query.keyword, query.year]);

  const go = (next: CreditQueueQuery) => setParams(paramsOf(next));
  const onFilter = (v: FilterValues) =>
    go({ ...query, keyword: v.keyword?.trim() || undefined, year: v.year, page: 1 });
  const onReset = () => {
    form.resetFields();
    go({ status: query.status, page: 1, pageSize: query.pageSize });
  };

  const columns: ColumnsType<TCreditReviewItem> = [
    // 姓名 over the masked 证件号码: one person, one cell; the table then fits the 1280 px console without scrolling.
    {
      title: '姓名 / 证件号码',
      key: 'holder',
      width: 150,
      render: (_v, r) => (
        <div className="cpe-ca-stack">
          <span>{r.holderName}</span>
          <Typography.Text type="secondary" className="cpe-ca-small cpe-ca-num">
            {r.idNumberMasked}
          </Typography.Text>
        </div>
      ),
    },
    { title: '工作单位', dataIndex: 'unitName', width: 150, render: (v: string | null) => v ?? '—' },
    { title: '学习形式', dataIndex: 'form', width: 82 },
    { title: '项目名称', dataIndex: 'title', className: 'cpe-ca-title' },
    {
      title: '起止日期',
      key: 'dates',
      width: 100,
      render: (_v, r) =>
        r.startedOn && r.endedOn ? (
          <div className="cpe-ca-stack cpe-ca-num">
            <span>{r.startedOn}</span>
            {r.endedOn !== r.startedOn && <span>至 {r.endedOn}</span>}
          </div>
        ) : (
          '—'
        ),
    },
    {
      title: '学时',
      key: 'hours',
      width: 86,
      render: (_v, r) => (
        <div className="cpe-ca-stack">
          <strong className={r.standardHours != null && r.hours > r.standardHours ? 'cpe-ca-over' : undefined}>
            {r.hours}
          </strong>
          {r.standardHours != null && (
            <Typography.Text type="secondary" className="cpe-ca-small">
              上限 {r.standardHours}
            </Typography.Text>
          )}
        </div>
      ),
    },
    {
      title: '提交时间',
      dataIndex: 'createdAt',
      width: 96,
      render: (v: string) => {
        const [day, time] = formatDateTime(v).split(' ');
        return (
          <div className="cpe-ca-stack cpe-ca-num">
            <span>{day}</span>
            <span className="cpe-muted">{time}</span>
          </div>
        );
      },
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 84,
      // Pinned beside 操作, so the status stays in view where the table scrolls sideways (phones).
      fixed: 'right',
      render: (s: TCreditReviewItem['status']) => <CreditStatusTag status={s} />,
    },
    {
      title: '操作',
      key: 'action',
      width: 60,
      fixed: 'right',
      align: 'center',
      render: (_v, r) => (
        <Button type="link" size="small" className="cpe-ca-link" onClick={() => setDrawer({ open: true, item: r })}>
          {r.status === 'pending-bureau' ? '认定' : '查看'}
        </Button>
      ),
    },
  ];

  if (errorCode(list.error) === 'FORBIDDEN')
    return (
      <div className="cpe-console-page">
        <Result
          status="403"
          title="没有权限"
          subTitle={
            onPortal ? '单位中心的学时认定仅限主管部门管理员使用。' : '学时认定仅限人社局审核人员和系统管理员使用。'
          }
        />
      </div>
    );

  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;
  const data = list.data;
  const pendingCount = data?.pending;

  return (
    <div className="cpe-console-page">
      {onPortal ? (
        // In 单位中心 a section among the others, titled like them: the console's 学时管理 does not exist there.
        <h2 className="cpe-unit-center-title">学时认定</h2>
      ) : (
        <Breadcrumb
          style={{ marginBottom: 12 }}
          items={[{ title: <Link to="/">首页</Link> }, { title: '学时管理' }, { title: '学时认定' }]}
        />
      )}
      <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
        <Form<FilterValues>
          form={form}
          name="creditRecognitionFilter"
          labelCol={{ flex: '4em' }}
          wrapperCol={{ flex: '1 1 0', style: { minWidth: 0 } }}
          size="small"
          onFinish={onFilter}
          initialValues={{ keyword: query.keyword, year: query.year }}
        >
          <Row gutter={[16, 0]}>
            <Col xs={24} sm={12} xl={8}>
              <Form.Item label="关键词" name="keyword">
                <Input maxLength={40} allowClear placeholder="姓名或项目名称" />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} xl={6}>
              <Form.Item label="年度" name="year">
                <Select placeholder="全部年度" allowClear options={years} />
              </Form.Item>
            </Col>
            <Col xs={24} xl={10}>
              <div className="cpe-ca-filter-buttons">
                <Button type="primary" size="small" htmlType="submit" icon={<SearchOutlined />}>
                  查询
                </Button>
                <Button size="small" icon={<UndoOutlined />} onClick={onReset}>
                  重置
                </Button>
              </div>
            </Col>
          </Row>
        </Form>

        <Tabs
          size="small"
          activeKey={query.status}
          onChange={(key) => go({ ...query, status: key as CreditQueueStatus, page: 1 })}
          items={[
            { key: 'pending', label: pendingCount === undefined ? '待认定' : `待认定（${pendingCount}）` },
            { key: 'done', label: '已处理' },
            { key: 'all', label: '全部' },
          ]}
        />

        <Alert
          className="cpe-ca-alert"
          type="info"
          showIcon
          title="个人登记的学时经工作单位确认后进入本列表；认定后计入本人学时档案，退回（不予认定）时原因将告知本人。"
        />
        {error && (
          <Alert
            className="cpe-ca-alert"
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

        <Table<TCreditReviewItem>
          rowKey="id"
          size="small"
          bordered
          columns={columns}
          dataSource={data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 960 }}
          onRow={(r) => ({ 'data-id': r.id, 'data-status': r.status }) as HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: list.isPending ? (
              '加载中…'
            ) : (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={query.status === 'pending' ? '暂无待认定的学时登记' : '没有符合条件的学时登记'}
              />
            ),
          }}
          pagination={listPagination({
            page: query.page,
            pageSize: query.pageSize,
            total: data?.total ?? 0,
            onChange: (page, pageSize) => go({ ...query, page, pageSize }),
          })}
        />
      </div>
      <CreditClaimDrawer
        // The list's copy when it has one (refetched after an action or on focus), else the one the drawer was given.
        item={data?.items.find((i) => i.id === drawer.item?.id) ?? drawer.item}
        open={drawer.open}
        onClose={() => setDrawer((d) => ({ ...d, open: false }))}
        onChange={(item) => setDrawer((d) => ({ ...d, item }))}
      />
    </div>
  );
}
