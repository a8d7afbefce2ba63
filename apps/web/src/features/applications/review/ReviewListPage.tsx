import { DownloadOutlined, SearchOutlined, UndoOutlined } from '@ant-design/icons';
import { fenToWanText } from '@cpe/shared/applications/index';
import { countiesUnder } from '@cpe/shared/areas/index';
import { Alert, Breadcrumb, Button, Col, DatePicker, Form, Grid, Input, Row, Select, Table, Tabs, Tooltip } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { useExport } from '../../../shared/api/download';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import {
  type ReviewListItem,
  type ReviewQuery,
  type ReviewSort,
  type ReviewStatus,
  reviewExportUrl,
  useApplicationReviews,
  useBatches,
} from './api-review';
import { LoadError } from './components/LoadError';
import { StatusTag } from './components/StatusTag';
import { heldText, shortArea, yearOptions } from './format';
import './review.css';
import { listPagination } from '../../../shared/listPagination';

interface FilterValues {
  year?: number;
  filerName?: string;
  area?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
  keyword?: string;
}

const TABS: Array<{ key: ReviewStatus | 'all'; label: string }> = [
  { key: 'all', label: '全部' },
  { key: 'pending', label: '待审核' },
  { key: 'returned', label: '已退回' },
  { key: 'approved', label: '审核通过' },
  { key: 'rejected', label: '审核不通过' },
  { key: 'withdrawn', label: '已撤回' },
];
const STATUSES = TABS.map((t) => t.key).filter((k): k is ReviewStatus => k !== 'all');
const SORTS: ReadonlyArray<ReviewSort> = ['-submittedAt', 'submittedAt', 'number', '-number', '-subsidyFen'];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const COUNTY_OPTIONS = countiesUnder('50').map((c) => ({ value: c.code, label: c.name }));

const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** The list's state lives in the address (filters, tab, page and sort): back, refresh and links keep it. */
function queryOf(params: URLSearchParams): ReviewQuery {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const status = get('status');
  const sort = get('sort');
  const year = Number(get('year'));
  const area = get('area');
  const from = get('submittedFrom');
  const to = get('submittedTo');
  return {
    year: Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : undefined,
    status: STATUSES.includes(status as ReviewStatus) ? (status as ReviewStatus) : undefined,
    filerName: get('filerName')?.slice(0, 100),
    area: area && /^\d{4}(\d{2})?$/.test(area) ? area : undefined,
    submittedFrom: from && DATE_RE.test(from) ? from : undefined,
    submittedTo: to && DATE_RE.test(to) ? to : undefined,
    keyword: get('keyword')?.slice(0, 100),
    sort: SORTS.includes(sort as ReviewSort) ? (sort as ReviewSort) : '-submittedAt',
    page: positive(params.get('page'), 1),
    pageSize: Math.min(100, positive(params.get('pageSize'), 20)),
  };
}

function paramsOf(q: ReviewQuery): URLSearchParams {
  const s = new URLSearchParams();
  const set = (k: string, v: string | number | undefined) => {
    if (v !== undefined && v !== '') s.set(k, String(v));
  };
  set('year', q.year);
  set('status', q.status);
  set('filerName', q.filerName);
  set('area', q.area);
  set('submittedFrom', q.submittedFrom);
  set('submittedTo', q.submittedTo);
  set('keyword', q.keyword);
  if (q.sort && q.sort !== '-submittedAt') set('sort', q.sort);
  if (q.page && q.page > 1) set('page', q.page);
  if (q.pageSize && q.pageSize !== 20) set('pageSize', q.pageSize);
  return s;
}

function filterValuesOf(q: ReviewQuery): FilterValues {
  return {
    year: q.year,
    filerName: q.filerName,
    area: q.area,
    dates:
      q.submittedFrom || q.submittedTo
        ? [q.submittedFrom ? dayjs(q.submittedFrom) : null, q.submittedTo ? dayjs(q.submittedTo) : null]
        : null,
    keyword: q.keyword,
  };
}

function sortOrderOf(sort: ReviewSort | undefined, column: 'submittedAt' | 'number' | 'subsidyFen') {
  if (sort === column) return 'ascend' as const;
  if (sort === `-${column}`) return 'descend' as const;
  return null;
}

const money = (fen: number | null) => (fen === null ? '' : fenToWanText(fen));

/** 项目审核管理 (console route /application-reviews, 市人社局): the submitted 申报书 of every filer. */
export function ReviewListPage() {
  const site = useSite().data;
  usePageTitle('项目审核管理', site?.staffConsoleName);
  const screens = Grid.useBreakpoint();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: parsed again only when the address changes
  const query = useMemo(() => queryOf(params), [search]);
  const list = useApplicationReviews(query);
  const batches = useBatches();
  const [form] = Form.useForm<FilterValues>();
  const { exporting, run: runExport } = useExport();

  // The router keeps the window's scroll across pages: back from a long 申报书, the list starts at its top.
  useEffect(() => {
    window.scrollTo(0, 0);
  }, []);

  // The form follows the address (重置, back and forward, a shared link).
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(filterValuesOf(query));
  }, [form, query]);

  const go = (next: ReviewQuery) => setParams(paramsOf(next));

  const onFilter = (v: FilterValues) => {
    const [from, to] = v.dates ?? [];
    go({
      ...query,
      year: v.year,
      filerName: v.filerName?.trim() || undefined,
      area: v.area,
      submittedFrom: from ? from.format('YYYY-MM-DD') : undefined,
      submittedTo: to ? to.format('YYYY-MM-DD') : undefined,
      keyword: v.keyword?.trim() || undefined,
      page: 1,
    });
  };

  const onReset = () => go({ status: query.status, sort: query.sort, pageSize: query.pageSize });

  const onExport = () => runExport(reviewExportUrl(query), '项目审核.xlsx');

  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const data = list.data;
  const counts = data?.counts;
  const all = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : undefined;

  const columns: ColumnsType<ReviewListItem> = [
    {
      title: '序号',
      key: 'index',
      width: 56,
      align: 'center',
      render: (_v, _r, i) => (page - 1) * pageSize + i + 1,
    },
    {
      title: '编号',
      dataIndex: 'number',
      key: 'number',
      width: 160,
      sorter: true,
      sortDirections: ['ascend', 'descend'],
      sortOrder: sortOrderOf(query.sort, 'number'),
      render: (v: string | null) => <span className="cpe-ar-number">{v}</span>,
    },
    { title: '项目名称', dataIndex: 'projectName', width: 240, ellipsis: true },
    { title: '年度', dataIndex: 'year', width: 64, align: 'center' },
    {
      title: '举办时间',
      key: 'held',
      width: 120,
      render: (_v, r) => <span className="cpe-ar-held">{heldText(r.heldFrom, r.heldTo)}</span>,
    },
    { title: '申报单位', dataIndex: 'filerName', width: 210, ellipsis: true },
    { title: '所在区县', dataIndex: 'filerAreaLabel', width: 96, render: (v: string) => shortArea(v) },
    { title: '承办单位', dataIndex: 'hostUnit', width: 200, ellipsis: true },
    {
      title: '预计费用(万元)',
      dataIndex: 'estimatedFen',
      width: 124,
      align: 'right',
      render: money,
    },
    {
      title: '需资助费用(万元)',
      dataIndex: 'subsidyFen',
      key: 'subsidyFen',
      width: 148,
      align: 'right',
      sorter: true,
      sortDirections: ['descend'],
      sortOrder: sortOrderOf(query.sort, 'subsidyFen'),
      render: money,
    },
    {
      title: '提交时间',
      dataIndex: 'submittedAt',
      key: 'submittedAt',
      width: 160,
      sorter: true,
      sortDirections: ['descend', 'ascend'],
      sortOrder: sortOrderOf(query.sort, 'submittedAt'),
      render: (v: string | null) => formatDateTime(v),
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 100,
      // Pinned beside 操作: the table scrolls sideways at desktop widths and the state must stay in view.
      fixed: 'right',
      render: (s: ReviewListItem['status'], r) =>
        s === 'returned' && r.deadline ? (
          <Tooltip title={`修改截止时间：${formatDateTime(r.deadline)}`}>
            <span>
              <StatusTag status={s} />
            </span>
          </Tooltip>
        ) : (
          <StatusTag status={s} />
        ),
    },
    {
      title: '操作',
      key: 'action',
      width: 64,
      fixed: 'right',
      align: 'center',
      render: (_v, r) => (
        <Link to={`/application-reviews/${r.id}`} state={{ from: location.search }}>
          {r.status === 'pending' ? '审核' : '查看'}
        </Link>
      ),
    },
  ];

  const forbidden = errorCode(list.error) === 'APPLICATION_REVIEWER_FORBIDDEN';
  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;
  const textCol = { xs: 24, sm: 12, xl: 8, xxl: 6 };

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        className="cpe-ar-breadcrumb"
        items={[{ title: <Link to="/">首页</Link> }, { title: '市级高级研修项目' }, { title: '项目审核管理' }]}
      />
      <div className="cpe-console-panel cpe-ar-panel">
        {forbidden ? (
          <LoadError error={list.error} onRetry={() => list.refetch()} />
        ) : (
          <>
            <Form<FilterValues>
              form={form}
              name="applicationReviewFilter"
              className="cpe-ar-filter"
              labelCol={{ flex: '5.5em' }}
              wrapperCol={{ flex: '1 1 0', style: { minWidth: 0 } }}
              labelAlign="right"
              size="small"
              onFinish={onFilter}
              initialValues={filterValuesOf(query)}
            >
              <Row gutter={[16, 0]}>
                <Col {...textCol}>
                  <Form.Item label="年度" name="year">
                    <Select placeholder="全部年度" allowClear options={yearOptions(batches.data?.items, query.year)} />
                  </Form.Item>
                </Col>
                <Col {...textCol}>
                  <Form.Item label="申报单位" name="filerName">
                    <Input maxLength={100} allowClear placeholder="单位名称（包含即可）" />
                  </Form.Item>
                </Col>
                <Col {...textCol}>
                  <Form.Item label="所在区县" name="area">
                    <Select
                      placeholder="全部区县"
                      allowClear
                      showSearch={{ optionFilterProp: 'label' }}
                      options={COUNTY_OPTIONS}
                    />
                  </Form.Item>
                </Col>
                <Col {...textCol}>
                  <Form.Item label="提交时间" name="dates">
                    <DatePicker.RangePicker
                      placeholder={['开始日期', '结束日期']}
                      format="YYYY-MM-DD"
                      allowEmpty={[true, true]}
                      style={{ width: '100%' }}
                      inputReadOnly={!screens.md}
                    />
                  </Form.Item>
                </Col>
                <Col {...textCol}>
                  <Form.Item label="关键词" name="keyword">
                    <Input maxLength={100} allowClear placeholder="项目名称或编号" />
                  </Form.Item>
                </Col>
                <Col flex="auto">
                  <div className="cpe-ar-filter-buttons">
                    <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                      筛选
                    </Button>
                    <Button icon={<UndoOutlined />} onClick={onReset}>
                      重置
                    </Button>
                    <Button
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

            <Tabs
              className="cpe-ar-tabs"
              activeKey={query.status ?? 'all'}
              size="small"
              onChange={(key) => go({ ...query, status: key === 'all' ? undefined : (key as ReviewStatus), page: 1 })}
              items={TABS.map((t) => {
                const n = counts ? (t.key === 'all' ? all : (counts[t.key] ?? 0)) : undefined;
                return { key: t.key, label: n === undefined ? t.label : `${t.label}（${n}）` };
              })}
            />

            {error && <Alert className="cpe-ar-alert" type="error" showIcon title={error.message} />}

            <Table<ReviewListItem>
              rowKey="id"
              size="small"
              bordered
              columns={columns}
              dataSource={data?.items ?? []}
              loading={list.isFetching}
              scroll={{ x: 1750 }}
              locale={{ emptyText: list.isPending ? '加载中…' : '暂无申报书' }}
              onChange={(_pagination, _filters, sorter, extra) => {
                if (extra.action !== 'sort') return;
                const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<ReviewListItem> | undefined;
                const key = String(s?.columnKey ?? 'submittedAt');
                const sort = (s?.order ? `${s.order === 'descend' ? '-' : ''}${key}` : '-submittedAt') as ReviewSort;
                go({ ...query, sort: SORTS.includes(sort) ? sort : '-submittedAt', page: 1 });
              }}
              pagination={listPagination({
                page,
                pageSize,
                total: data?.total ?? 0,
                onChange: (p, ps) => go({ ...query, page: p, pageSize: ps }),
              })}
            />
          </>
        )}
      </div>
    </div>
  );
}
