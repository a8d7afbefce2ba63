import { DownloadOutlined, FilterOutlined, SearchOutlined, UndoOutlined } from '@ant-design/icons';
import { UNIT_CATEGORY_LABELS } from '@cpe/shared/schemas/units';
import { Alert, Button, Col, DatePicker, Form, Grid, Input, Row, Select, Table, Tabs } from 'antd';
import type { ColumnsType, SorterResult, SortOrder } from 'antd/es/table/interface';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { useExport } from '../../../shared/api/download';
import { formatDateTime } from '../../../shared/format';
import { listPagination } from '../../../shared/listPagination';
import { reviewExportUrl, useUnitReviews, useUnitTypeOptions } from '../api';
import type { AppVariant, ReviewListItem, ReviewQuery, ReviewSort, ReviewStatus, UnitType } from '../types';
import { AreaCascader } from './AreaCascader';
import { KindTag, ManualCheckTag, StatusTag } from './StatusTag';
import { statusLabel, UnitReviewDrawer } from './UnitReviewDetail';

interface FilterValues {
  applicantName?: string;
  phone?: string;
  dates?: [Dayjs | null, Dayjs | null] | null;
  unitName?: string;
  uscc?: string;
  area?: string;
  unitType?: UnitType;
}

const STATUSES: ReadonlyArray<ReviewStatus> = ['pending', 'rejected', 'approved'];
const SORTS: ReadonlyArray<ReviewSort> = ['-submittedAt', 'submittedAt', 'unitName', '-unitName'];
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
const TEXT_FILTERS = ['applicantName', 'phone', 'unitName', 'uscc'] as const;

/** Tabs in the seed's order: the portal (§2.3.2) and the intranet (§3.2) word and order them differently. */
const TABS: Record<AppVariant, Array<{ key: ReviewStatus | 'all'; label: string }>> = {
  portal: [
    { key: 'all', label: '全部' },
    { key: 'pending', label: '待主管部门审核' },
    { key: 'rejected', label: '审核未通过' },
    { key: 'approved', label: '审核通过' },
  ],
  console: [
    { key: 'all', label: '全部' },
    { key: 'pending', label: '待审核' },
    { key: 'approved', label: '审核通过' },
    { key: 'rejected', label: '审核未通过' },
  ],
};

const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** The list's state lives in the address (filters, tab, page, sort and the open record): shareable, back-able. */
function queryOf(params: URLSearchParams): ReviewQuery {
  const get = (k: string) => params.get(k)?.trim() || undefined;
  const status = get('status');
  const sort = get('sort');
  const unitType = get('unitType');
  const from = get('submittedFrom');
  const to = get('submittedTo');
  const area = get('area');
  return {
    status: STATUSES.includes(status as ReviewStatus) ? (status as ReviewStatus) : undefined,
    applicantName: get('applicantName'),
    phone: get('phone'),
    submittedFrom: from && DATE_RE.test(from) ? from : undefined,
    submittedTo: to && DATE_RE.test(to) ? to : undefined,
    unitName: get('unitName'),
    uscc: get('uscc'),
    area: area && /^\d{2}(\d{2}(\d{2})?)?$/.test(area) ? area : undefined,
    unitType: unitType && unitType.length <= 30 ? unitType : undefined,
    sort: SORTS.includes(sort as ReviewSort) ? (sort as ReviewSort) : '-submittedAt',
    page: positive(params.get('page'), 1),
    pageSize: Math.min(100, positive(params.get('pageSize'), 20)),
  };
}

function paramsOf(q: ReviewQuery, id?: string | null): URLSearchParams {
  const s = new URLSearchParams();
  const set = (k: string, v: string | number | undefined) => {
    if (v !== undefined && v !== '') s.set(k, String(v));
  };
  set('status', q.status);
  for (const k of TEXT_FILTERS) set(k, q[k]);
  set('submittedFrom', q.submittedFrom);
  set('submittedTo', q.submittedTo);
  set('area', q.area);
  set('unitType', q.unitType);
  if (q.sort && q.sort !== '-submittedAt') set('sort', q.sort);
  if (q.page && q.page > 1) set('page', q.page);
  if (q.pageSize && q.pageSize !== 20) set('pageSize', q.pageSize);
  if (id) set('id', id);
  return s;
}

function filterValuesOf(q: ReviewQuery): FilterValues {
  return {
    applicantName: q.applicantName,
    phone: q.phone,
    dates:
      q.submittedFrom || q.submittedTo
        ? [q.submittedFrom ? dayjs(q.submittedFrom) : null, q.submittedTo ? dayjs(q.submittedTo) : null]
        : null,
    unitName: q.unitName,
    uscc: q.uscc,
    area: q.area,
    unitType: q.unitType,
  };
}

/** A search counts at most 10,000 matches: the tabs then read 10000+. */
function countText(n: number | undefined, capped: boolean | undefined): string {
  if (n === undefined) return '';
  return capped && n >= 10000 ? '10000+' : String(n);
}

function sortOrderOf(sort: ReviewSort | undefined, column: 'submittedAt' | 'unitName') {
  if (sort === column) return 'ascend' as const;
  if (sort === `-${column}`) return 'descend' as const;
  return null;
}

/**
 * 单位注册审核: filters, status tabs with counts, the paged table, 导出Excel, and the record in a drawer.
 * One component for the 主管部门 on the portal and the bureaus on the console (the server scopes the rows).
 */
export function UnitReviewList({ variant }: { variant: AppVariant }) {
  const { unitTypeOptions } = useUnitTypeOptions();
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  // Opening a record (?id=) is not a new search: the query (and the filter form) stay as they are.
  const searchKey = useMemo(() => {
    const p = new URLSearchParams(params);
    p.delete('id');
    return p.toString();
  }, [params]);
  const query = useMemo(() => queryOf(new URLSearchParams(searchKey)), [searchKey]);
  const openId = params.get('id');
  const list = useUnitReviews(query);
  const [form] = Form.useForm<FilterValues>();
  const { exporting, run: runExport } = useExport();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const dense = variant === 'console';
  // Phones: the seven filters fold behind one button, the table comes first.
  const narrow = screens.md === false;
  const activeFilters = [
    query.applicantName,
    query.phone,
    query.submittedFrom || query.submittedTo,
    query.unitName,
    query.uscc,
    query.area,
    query.unitType,
  ].filter(Boolean).length;

  // The form follows the address (重置, back and forward, a shared link).
  useEffect(() => {
    form.resetFields();
    form.setFieldsValue(filterValuesOf(query));
  }, [form, query]);

  const go = (next: ReviewQuery, id: string | null = openId) => setParams(paramsOf(next, id));

  const onFilter = (v: FilterValues) => {
    setFiltersOpen(false);
    const [from, to] = v.dates ?? [];
    go(
      {
        ...query,
        applicantName: v.applicantName?.trim() || undefined,
        phone: v.phone?.trim() || undefined,
        submittedFrom: from ? from.format('YYYY-MM-DD') : undefined,
        submittedTo: to ? to.format('YYYY-MM-DD') : undefined,
        unitName: v.unitName?.trim() || undefined,
        uscc: v.uscc?.trim().toUpperCase() || undefined,
        area: v.area,
        unitType: v.unitType,
        page: 1,
      },
      null,
    );
  };

  const onReset = () => go({ status: query.status, sort: query.sort, pageSize: query.pageSize }, null);

  const onExport = () => runExport(reviewExportUrl(query), '单位注册审核.xlsx');

  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const data = list.data;
  const open = (r: ReviewListItem) => go(query, r.id);

  const unitNameColumn = {
    title: '单位名称',
    dataIndex: 'unitName',
    key: 'unitName',
    sorter: true,
    sortDirections: ['ascend', 'descend'] as SortOrder[],
    sortOrder: sortOrderOf(query.sort, 'unitName'),
  };
  const submittedAtColumn = {
    title: '申请时间',
    dataIndex: 'submittedAt',
    key: 'submittedAt',
    sorter: true,
    sortDirections: ['descend', 'ascend'] as SortOrder[],
    sortOrder: sortOrderOf(query.sort, 'submittedAt'),
  };
  const uscc = (r: ReviewListItem) => (
    <span className="cpe-unit-code">
      {r.uscc} {r.usccManualCheck && <ManualCheckTag />}
    </span>
  );
  const index = {
    title: '序号',
    key: 'index',
    width: 56,
    align: 'center' as const,
    render: (_v: unknown, _r: ReviewListItem, i: number) => (page - 1) * pageSize + i + 1,
  };
  const phone = (v: string | null) => v ?? <span className="cpe-muted">未绑定</span>;

  // The portal's card is ~830 px wide at 1280 px: related facts share a cell (申请人 over 手机号, 单位名称 over its
  // code, the date over the time), so the table fits without scrolling sideways. The console has the width for a
  // column each.
  const columns: ColumnsType<ReviewListItem> =
    variant === 'portal'
      ? [
          { ...index, width: 48 },
          {
            title: '申请人 / 手机号',
            key: 'applicant',
            width: 118,
            render: (_v, r) => (
              <div className="cpe-unit-cell-stack">
                <span>{r.applicantName}</span>
                <span className="cpe-muted">{phone(r.applicantPhoneMasked)}</span>
              </div>
            ),
          },
          {
            title: '注册类别',
            dataIndex: 'category',
            width: 76,
            render: (v: ReviewListItem['category']) => UNIT_CATEGORY_LABELS[v],
          },
          {
            ...unitNameColumn,
            title: '单位名称 / 统一社会信用代码',
            render: (v: string, r) => (
              <div className="cpe-unit-cell-stack">
                <span className="cpe-unit-cell-name">
                  {v} <KindTag kind={r.kind} />
                </span>
                {uscc(r)}
              </div>
            ),
          },
          { title: '所在地', dataIndex: 'locatedAreaLabel', width: 104 },
          {
            ...submittedAtColumn,
            width: 112,
            render: (v: string | null) => {
              const [day, time] = formatDateTime(v).split(' ');
              return (
                <div className="cpe-unit-cell-stack">
                  <span>{day}</span>
                  <span className="cpe-muted">{time}</span>
                </div>
              );
            },
          },
        ]
      : [
          index,
          { title: '申请人', dataIndex: 'applicantName', width: 84 },
          { title: '手机号', dataIndex: 'applicantPhoneMasked', width: 110, render: phone },
          {
            ...unitNameColumn,
            width: 190,
            render: (v: string, r) => (
              <span className="cpe-unit-cell-name">
                {v} <KindTag kind={r.kind} />
              </span>
            ),
          },
          { title: '统一社会信用代码', dataIndex: 'uscc', width: 175, render: (_v: string, r) => uscc(r) },
          { title: '单位类型', dataIndex: 'unitType', width: 96 },
          { title: '注册地', dataIndex: 'regAreaLabel', width: 120 },
          { title: '参保地', dataIndex: 'insuredAreaLabel', width: 120 },
          { title: '所在地', dataIndex: 'locatedAreaLabel', width: 120 },
          { ...submittedAtColumn, width: 160, render: (v: string | null) => formatDateTime(v) },
        ];
  columns.push(variant === 'console' ? statusColumn(variant, '审核状态', 92) : statusColumn(variant, '状态', 96), {
    title: '操作',
    key: 'action',
    width: 64,
    fixed: 'right',
    align: 'center',
    render: (_v, r) => (
      <Button type="link" size="small" onClick={() => open(r)}>
        {r.status === 'pending' ? '审核' : '查看'}
      </Button>
    ),
  });

  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;
  const counts = data?.counts;
  // The portal's content column is narrower (单位中心 has its menu): two filters a row up to xxl.
  const textCol = dense ? { xs: 24, sm: 12, xl: 8, xxl: 6 } : { xs: 24, md: 12, xxl: 8 };

  const exportButton = (
    <Button
      icon={<DownloadOutlined />}
      onClick={onExport}
      loading={exporting}
      disabled={!data || data.total === 0}
      title="按当前筛选条件导出（导出操作将记入审计日志）"
    >
      导出Excel
    </Button>
  );

  return (
    <div className={dense ? 'cpe-unit-reviews is-dense' : 'cpe-unit-reviews'}>
      {narrow && (
        <div className="cpe-unit-filter-toggle">
          <Button
            icon={<FilterOutlined />}
            type={activeFilters > 0 ? 'primary' : 'default'}
            ghost={activeFilters > 0}
            onClick={() => setFiltersOpen((o) => !o)}
            aria-expanded={filtersOpen}
          >
            {filtersOpen ? '收起筛选条件' : activeFilters > 0 ? `筛选条件（已选${activeFilters}项）` : '筛选条件'}
          </Button>
          {exportButton}
        </div>
      )}
      <Form<FilterValues>
        hidden={narrow && !filtersOpen}
        form={form}
        name={`unitReviewFilter-${variant}`}
        className="cpe-unit-filter"
        labelCol={{ flex: '8.5em' }}
        wrapperCol={{ flex: '1 1 0', style: { minWidth: 0 } }}
        labelAlign="right"
        size={dense ? 'small' : 'middle'}
        onFinish={onFilter}
        initialValues={filterValuesOf(query)}
      >
        <Row gutter={[16, 0]}>
          <Col {...textCol}>
            <Form.Item label="申请人" name="applicantName">
              <Input maxLength={30} allowClear />
            </Form.Item>
          </Col>
          <Col {...textCol}>
            <Form.Item label="手机号" name="phone">
              <Input maxLength={20} allowClear inputMode="tel" />
            </Form.Item>
          </Col>
          <Col {...textCol}>
            <Form.Item label={variant === 'console' ? '申请时间' : '申请日期'} name="dates">
              <DatePicker.RangePicker
                placeholder={['年/月/日', '年/月/日']}
                format="YYYY-MM-DD"
                allowEmpty={[true, true]}
                style={{ width: '100%' }}
                inputReadOnly={!screens.md}
              />
            </Form.Item>
          </Col>
          <Col {...textCol}>
            <Form.Item label="单位名称" name="unitName">
              <Input maxLength={100} allowClear />
            </Form.Item>
          </Col>
          <Col {...textCol}>
            <Form.Item label="社会统一信用代码" name="uscc">
              <Input maxLength={18} allowClear />
            </Form.Item>
          </Col>
          <Col {...textCol}>
            <Form.Item label="所在地" name="area">
              <AreaCascader anyLevel placeholder="省份/直辖市" size={dense ? 'small' : 'middle'} />
            </Form.Item>
          </Col>
          <Col {...textCol}>
            <Form.Item label="单位类型" name="unitType">
              <Select placeholder="请选择" allowClear options={unitTypeOptions} />
            </Form.Item>
          </Col>
          <Col flex="auto">
            <div className="cpe-unit-filter-buttons">
              <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
                筛选
              </Button>
              <Button icon={<UndoOutlined />} onClick={onReset}>
                重置
              </Button>
              {!narrow && exportButton}
            </div>
          </Col>
        </Row>
      </Form>

      <Tabs
        className="cpe-unit-tabs"
        activeKey={query.status ?? 'all'}
        size={dense ? 'small' : 'middle'}
        onChange={(key) => go({ ...query, status: key === 'all' ? undefined : (key as ReviewStatus), page: 1 }, null)}
        items={TABS[variant].map((t) => {
          const n = counts ? (t.key === 'all' ? counts.all : counts[t.key]) : undefined;
          return {
            key: t.key,
            label: n === undefined ? t.label : `${t.label}（${countText(n, data?.countsCapped)}）`,
          };
        })}
      />

      {error && <Alert className="cpe-unit-alert" type="error" showIcon title={error.message} />}

      <div className="cpe-unit-table">
        <Table<ReviewListItem>
          rowKey="id"
          size={dense ? 'small' : 'middle'}
          bordered
          columns={columns}
          dataSource={data?.items ?? []}
          loading={list.isFetching}
          // Sideways only when the card is narrower than the columns (the portal fits 1280 px; phones scroll).
          scroll={{ x: variant === 'console' ? 1150 : 780 }}
          locale={{ emptyText: list.isPending ? '加载中…' : '无数据' }}
          onChange={(_pagination, _filters, sorter, extra) => {
            if (extra.action !== 'sort') return;
            const s = (Array.isArray(sorter) ? sorter[0] : sorter) as SorterResult<ReviewListItem> | undefined;
            const key = s?.columnKey === 'unitName' ? 'unitName' : 'submittedAt';
            const sort: ReviewSort = !s?.order
              ? '-submittedAt'
              : s.order === 'ascend'
                ? key
                : (`-${key}` as ReviewSort);
            go({ ...query, sort, page: 1 });
          }}
          pagination={{
            ...listPagination({
              page,
              pageSize,
              total: data?.total ?? 0,
              onChange: (p, ps) => go({ ...query, page: p, pageSize: ps }),
            }),
            size: screens.md ? 'middle' : 'small',
            simple: !screens.sm,
          }}
        />
      </div>

      <UnitReviewDrawer id={openId} variant={variant} onClose={() => go(query, null)} />
    </div>
  );
}

function statusColumn(variant: AppVariant, title: string, width: number) {
  return {
    title,
    dataIndex: 'status',
    width,
    // Pinned beside 操作: the table scrolls sideways at desktop widths and the status must stay in view.
    fixed: 'right' as const,
    render: (s: ReviewListItem['status']) => <StatusTag status={s} label={statusLabel(variant, s)} />,
  };
}
