import { DownloadOutlined, SearchOutlined, UndoOutlined } from '@ant-design/icons';
import { fenToWanText, type TApplicationStage } from '@cpe/shared/applications/index';
import { countiesUnder } from '@cpe/shared/areas/index';
import {
  Alert,
  Breadcrumb,
  Button,
  Col,
  DatePicker,
  Form,
  Grid,
  Input,
  Result,
  Row,
  Select,
  Table,
  Tabs,
  Tag,
  Tooltip,
} from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import dayjs, { type Dayjs } from 'dayjs';
import { type ReactNode, useEffect, useMemo } from 'react';
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
  type ReviewStage,
  reviewExportUrl,
  useApplicationReviews,
  useBatches,
} from './api-review';
import { LoadError } from './components/LoadError';
import { StageTag } from './components/StatusTag';
import { heldText, shortArea, yearOptions } from './format';
import { type ReviewPageProps, type ReviewTypeView, reviewTypeView, stageLabel, stagesOf } from './review-types';
import './review.css';
import { listPagination } from '../../../shared/listPagination';

interface FilterValues {
  year?: number;
  filerName?: string;
  area?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
  keyword?: string;
}

const SORTS: ReadonlyArray<ReviewSort> = ['-submittedAt', 'submittedAt', 'number', '-number', '-subsidyFen'];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const COUNTY_OPTIONS = countiesUnder('50').map((c) => ({ value: c.code, label: c.name }));

const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** The list's state lives in the address (filters, tab, page and sort): back, refresh and links keep it. */
function queryOf(params: URLSearchParams, stages: readonly ReviewStage[]): ReviewQuery {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const stage = get('stage');
  const sort = get('sort');
  const year = Number(get('year'));
  const area = get('area');
  const from = get('submittedFrom');
  const to = get('submittedTo');
  return {
    year: Number.isInteger(year) && year >= 2000 && year <= 2100 ? year : undefined,
    stage: stages.includes(stage as ReviewStage) ? (stage as ReviewStage) : undefined,
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
  set('stage', q.stage);
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

/** The columns a type's list shows: amounts only where the type has them, 举办时间 for a class, 专业领域 for a base. */
function columnsOf(
  view: ReviewTypeView,
  ctx: { query: ReviewQuery; page: number; pageSize: number; linkOf: (r: ReviewListItem) => ReactNode },
): ColumnsType<ReviewListItem> {
  const { query, page, pageSize } = ctx;
  const cols: ColumnsType<ReviewListItem> = [
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
    { title: view.nameTitle, dataIndex: 'projectName', width: 240, ellipsis: true },
  ];
  if (view.year) cols.push({ title: '年度', dataIndex: 'year', width: 64, align: 'center' });
  if (view.held)
    cols.push({
      title: '举办时间',
      key: 'held',
      width: 120,
      render: (_v, r) => <span className="cpe-ar-held">{heldText(r.heldFrom, r.heldTo)}</span>,
    });
  cols.push(
    { title: '申报单位', dataIndex: 'filerName', width: 210, ellipsis: true },
    { title: '所在区县', dataIndex: 'filerAreaLabel', width: 96, render: (v: string) => shortArea(v) },
  );
  if (view.unitType) cols.push({ title: '单位类型', dataIndex: 'filerUnitType', width: 120, ellipsis: true });
  if (view.hostTitle) cols.push({ title: view.hostTitle, dataIndex: 'hostUnit', width: 200, ellipsis: true });
  if (view.money)
    cols.push(
      { title: '预计费用(万元)', dataIndex: 'estimatedFen', width: 124, align: 'right', render: money },
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
    );
  if (view.due)
    cols.push({
      title: '应上报日期',
      dataIndex: 'dueAt',
      width: 150,
      render: (v: string | null, r) => (
        <span className="cpe-ar-due">
          {formatDateTime(v).slice(0, 10)}
          {r.overdue && (
            <Tag color="error" className="cpe-ar-overdue">
              逾期
            </Tag>
          )}
        </span>
      ),
    });
  cols.push(
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
      dataIndex: 'stage',
      width: 128,
      // Pinned beside 操作: the table scrolls sideways at desktop widths and the state must stay in view.
      fixed: 'right',
      render: (_s: ReviewListItem['stage'], r) => {
        const tag = (
          <>
            <StageTag stage={r.stage} label={r.stageLabel} />
            {r.overdue && !view.due && <Tag color="error">逾期</Tag>}
          </>
        );
        return r.status === 'returned' && r.deadline ? (
          <Tooltip title={`修改截止时间：${formatDateTime(r.deadline)}`}>
            <span>{tag}</span>
          </Tooltip>
        ) : (
          tag
        );
      },
    },
    {
      title: '操作',
      key: 'action',
      width: 72,
      fixed: 'right',
      align: 'center',
      render: (_v, r) => ctx.linkOf(r),
    },
  );
  return cols;
}

/**
 * A review list of one application type: 项目审核管理 (advanced-seminar), 开班方案审核, 计划变化审核, 结业审核,
 * 继续教育基地认定 / 工程师基地认定 in the console, and 继续教育基地审核 / 工程师基地审核 in a 主管部门's 单位中心.
 * The server lists what passes through the reader's node; rows at the reader's step now (`actionable`) offer 审核.
 */
export function ReviewListPage({ type, basePath, variant = 'console' }: ReviewPageProps) {
  const view = reviewTypeView(type);
  if (!view) return <Result status="404" title="不支持的申报类型" subTitle={type} />;
  return <ReviewList view={view} basePath={basePath} variant={variant} />;
}

function ReviewList({
  view,
  basePath,
  variant,
}: {
  view: ReviewTypeView;
  basePath: string;
  variant: 'console' | 'portal';
}) {
  const inConsole = variant === 'console';
  const title = inConsole ? view.title : view.portalTitle;
  const type = view.def.key;
  const site = useSite().data;
  usePageTitle(title, inConsole ? site?.staffConsoleName : site?.name);
  const screens = Grid.useBreakpoint();
  const location = useLocation();
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  const stages = useMemo(() => stagesOf(view.def), [view.def]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: parsed again only when the address changes
  const query = useMemo(() => queryOf(params, stages), [search, stages]);
  const list = useApplicationReviews(type, query);
  // 申报批次 are read by 市人社局 only; elsewhere the years are the recent ones.
  const batches = useBatches(inConsole && view.def.batched);
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

  const onReset = () => go({ stage: query.stage, sort: query.sort, pageSize: query.pageSize });

  const onExport = () => runExport(reviewExportUrl(type, query), view.exportName);

  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const data = list.data;
  const counts = data?.counts;
  const all = counts ? stages.reduce((a, k) => a + (counts[k] ?? 0), 0) : undefined;
  const mine = data?.items.filter((r) => r.actionable).length ?? 0;

  const columns = columnsOf(view, {
    query,
    page,
    pageSize,
    linkOf: (r) => (
      <Link
        to={`${basePath}/${r.id}`}
        state={{ from: location.search }}
        className={r.actionable ? 'cpe-ar-act is-mine' : 'cpe-ar-act'}
      >
        {r.actionable ? '审核' : '查看'}
      </Link>
    ),
  });
  const scrollX = columns.reduce((a, c) => a + (typeof c.width === 'number' ? c.width : 120), 0);

  const forbidden = errorCode(list.error) === 'APPLICATION_REVIEWER_FORBIDDEN';
  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;
  const textCol = inConsole ? { xs: 24, sm: 12, xl: 8, xxl: 6 } : { xs: 24, sm: 12, xxl: 8 };
  const yearChoices = yearOptions(batches.data?.items, query.year, view.def.batched ? 0 : 4);
  const tabKeys: Array<TApplicationStage | 'all'> = ['all', ...stages];

  const body = forbidden ? (
    <LoadError error={list.error} onRetry={() => list.refetch()} />
  ) : (
    <>
      <Form<FilterValues>
        form={form}
        name={`applicationReviewFilter-${type}`}
        className="cpe-ar-filter"
        labelCol={{ flex: '5.5em' }}
        wrapperCol={{ flex: '1 1 0', style: { minWidth: 0 } }}
        labelAlign="right"
        size={inConsole ? 'small' : 'middle'}
        onFinish={onFilter}
        initialValues={filterValuesOf(query)}
      >
        <Row gutter={[16, 0]}>
          <Col {...textCol}>
            <Form.Item label="年度" name="year">
              <Select placeholder="全部年度" allowClear options={yearChoices} />
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
              <Input maxLength={100} allowClear placeholder={`${view.nameTitle}或编号`} />
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
        activeKey={query.stage ?? 'all'}
        size="small"
        onChange={(key) => go({ ...query, stage: key === 'all' ? undefined : (key as ReviewStage), page: 1 })}
        items={tabKeys.map((k) => {
          const label = k === 'all' ? '全部' : stageLabel(k);
          const n = counts ? (k === 'all' ? all : (counts[k] ?? 0)) : undefined;
          return { key: k, label: n === undefined ? label : `${label}（${n}）` };
        })}
      />

      {error && <Alert className="cpe-ar-alert" type="error" showIcon title={error.message} />}
      {mine > 0 && (
        <Alert
          className="cpe-ar-alert cpe-ar-mine"
          type="info"
          showIcon
          title={`本页有 ${mine} 份申报书待我审核`}
          description="待我审核的行以蓝色标出，点击“审核”进入审核。"
        />
      )}

      <Table<ReviewListItem>
        rowKey="id"
        size="small"
        bordered
        columns={columns}
        dataSource={data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: scrollX }}
        rowClassName={(r) => (r.actionable ? 'cpe-ar-row-mine' : '')}
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
  );

  if (!inConsole)
    return (
      <div className="cpe-ar-portal" data-review-type={type}>
        {body}
      </div>
    );
  return (
    <div className="cpe-console-page" data-review-type={type}>
      <Breadcrumb
        className="cpe-ar-breadcrumb"
        items={[{ title: <Link to="/">首页</Link> }, { title: view.group }, { title }]}
      />
      <div className="cpe-console-panel cpe-ar-panel">{body}</div>
    </div>
  );
}
