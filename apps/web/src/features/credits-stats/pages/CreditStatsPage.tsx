import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import {
  CREDIT_STATS_BY,
  CREDIT_STATS_BY_LABELS,
  CREDIT_UNIT_SORT_LABELS,
  CREDIT_UNIT_SORTS,
  type TCreditStatRow,
  type TCreditStatsBy,
  type TCreditUnitSort,
  type TCreditUnitStat,
} from '@cpe/shared/schemas/credit-admin';
import { CREDIT_PROFESSIONAL_MIN, CREDIT_YEARLY_TARGET } from '@cpe/shared/schemas/credits';
import {
  Alert,
  Breadcrumb,
  Button,
  Drawer,
  Empty,
  Grid,
  Progress,
  Result,
  Segmented,
  Select,
  Space,
  Table,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { HTMLAttributes } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { useExport } from '../../../shared/api/download';
import { listPagination } from '../../../shared/listPagination';
import { platformYear } from '../../../shared/platform-time';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import {
  creditStatsExportUrl,
  creditUnitStatsExportUrl,
  type UnitStatsQuery,
  useCreditStats,
  useCreditUnitStats,
} from '../api';
import { percentText } from '../format';
import '../credits-stats.css';

/** 达标率 as a bar with its percentage; a group without members reads 0 %, never empty. */
function RateBar({ rate }: { rate: number }) {
  return (
    <Progress
      className="cpe-cs-rate"
      percent={Math.round(rate * 1000) / 10}
      size="small"
      status="normal"
      format={() => percentText(rate)}
      aria-label={`达标率 ${percentText(rate)}`}
    />
  );
}

const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** The units of the chosen group, in a drawer: sortable by 达标率, paged, exported in full. */
function UnitsDrawer({
  q,
  by,
  onChange,
  onClose,
}: {
  q: UnitStatsQuery | null;
  by: TCreditStatsBy;
  onChange: (next: UnitStatsQuery) => void;
  onClose: () => void;
}) {
  const units = useCreditUnitStats(q);
  const exporter = useExport();
  const narrow = Grid.useBreakpoint().md === false;
  const data = units.data;
  const columns: ColumnsType<TCreditUnitStat> = narrow
    ? [
        {
          title: '单位',
          key: 'unit',
          render: (_v, r) => (
            <div className="cpe-cs-cell">
              <span>{r.unitName}</span>
              <span className="cpe-muted">{by === 'district' ? r.unitType : r.districtLabel}</span>
            </div>
          ),
        },
        {
          title: '达标率',
          key: 'rate',
          width: 132,
          render: (_v, r) => (
            <div className="cpe-cs-cell">
              <RateBar rate={r.rate} />
              <span className="cpe-muted">
                达标 {r.met} / {r.members} 人
              </span>
            </div>
          ),
        },
      ]
    : [
        { title: '单位名称', dataIndex: 'unitName', ellipsis: true },
        ...(by === 'district'
          ? [{ title: '单位类型', dataIndex: 'unitType', width: 100 }]
          : [{ title: '所在区县', dataIndex: 'districtLabel', width: 100 }]),
        { title: '人数', dataIndex: 'members', width: 70, align: 'right' },
        { title: '达标', dataIndex: 'met', width: 64, align: 'right' },
        { title: '未达标', dataIndex: 'unmet', width: 70, align: 'right' },
        { title: '达标率', dataIndex: 'rate', width: 150, render: (r: number) => <RateBar rate={r} /> },
      ];
  return (
    <Drawer
      open={q !== null}
      onClose={onClose}
      size={narrow ? '100%' : 820}
      title={data ? `${data.groupLabel} · ${data.year}年度各单位学时达标情况` : '各单位学时达标情况'}
      extra={
        q && (
          <Button
            icon={<DownloadOutlined />}
            loading={exporter.exporting}
            disabled={!data || data.total === 0}
            onClick={() => exporter.run(creditUnitStatsExportUrl(q), `${q.year}年度学时统计（单位）.xlsx`)}
          >
            导出Excel
          </Button>
        )
      }
    >
      {q && (
        <>
          <Space wrap className="cpe-cs-toolbar">
            <span>排序</span>
            <Select<TCreditUnitSort>
              aria-label="排序"
              value={q.sort}
              style={{ width: 160 }}
              options={CREDIT_UNIT_SORTS.map((s) => ({ value: s, label: CREDIT_UNIT_SORT_LABELS[s] }))}
              onChange={(sort) => onChange({ ...q, sort, page: 1 })}
            />
          </Space>
          {units.isError && !isUnauthenticated(units.error) && (
            <Alert className="cpe-cs-alert" type="error" showIcon title={toApiError(units.error).message} />
          )}
          <Table<TCreditUnitStat>
            rowKey="unitId"
            size="small"
            bordered
            columns={columns}
            dataSource={data?.items ?? []}
            loading={units.isFetching}
            scroll={narrow ? undefined : { x: 640 }}
            onRow={(r) => ({ 'data-unit': r.unitId }) as HTMLAttributes<HTMLElement>}
            locale={{
              emptyText: units.isPending ? (
                '加载中…'
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="该范围内暂无审核通过的单位" />
              ),
            }}
            pagination={listPagination({
              page: q.page,
              pageSize: q.pageSize,
              total: data?.total ?? 0,
              unit: '个单位',
              onChange: (page, pageSize) => onChange({ ...q, page, pageSize }),
            })}
          />
        </>
      )}
    </Drawer>
  );
}

/**
 * 学时统计 (console route /credit-stats-admin): a year's 达标率 by 区县 or 单位类型 with the whole, each group
 * opening its units. A 区县人社局 sees its district only (the server decides). The state lives in the address.
 */
export function CreditStatsPage() {
  const site = useSite().data;
  usePageTitle('学时统计', site?.staffConsoleName);
  const thisYear = platformYear();
  const [params, setParams] = useSearchParams();
  const askedYear = Number(params.get('year'));
  const year = Number.isInteger(askedYear) && askedYear >= 2000 && askedYear <= thisYear ? askedYear : thisYear;
  const by: TCreditStatsBy = params.get('by') === 'unit-type' ? 'unit-type' : 'district';
  const group = params.get('group');
  const stats = useCreditStats({ year, by });
  const exporter = useExport();
  const narrow = Grid.useBreakpoint().md === false;
  const years = Array.from({ length: 10 }, (_, i) => thisYear - i);

  const set = (next: Record<string, string | undefined>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };
  const unitQuery: UnitStatsQuery | null = group
    ? {
        year,
        ...(by === 'district' ? { district: group } : { unitType: group }),
        sort: CREDIT_UNIT_SORTS.includes(params.get('sort') as TCreditUnitSort)
          ? (params.get('sort') as TCreditUnitSort)
          : 'rate:asc',
        page: positive(params.get('page'), 1),
        pageSize: Math.min(100, positive(params.get('pageSize'), 20)),
      }
    : null;

  const code = errorCode(stats.error);
  if (code === 'CREDIT_ADMIN_FORBIDDEN')
    return (
      <div className="cpe-console-page">
        <Result status="403" title="没有权限" subTitle={toApiError(stats.error).message} />
      </div>
    );

  const d = stats.data;
  const first = by === 'district' ? '区县' : '单位类型';
  const drill = (r: TCreditStatRow) => (
    <Button type="link" size="small" onClick={() => set({ group: r.key, sort: undefined, page: undefined })}>
      查看单位
    </Button>
  );
  const narrowColumns: ColumnsType<TCreditStatRow> = [
    { title: first, dataIndex: 'label' },
    {
      title: '达标率',
      key: 'rate',
      width: 132,
      render: (_v, r) => (
        <div className="cpe-cs-cell">
          <RateBar rate={r.rate} />
          <span className="cpe-muted">
            达标 {r.met} / {r.members} 人
          </span>
        </div>
      ),
    },
    { title: '操作', key: 'action', width: 84, align: 'center', render: (_v, r) => drill(r) },
  ];
  const columns: ColumnsType<TCreditStatRow> = [
    { title: first, dataIndex: 'label', width: 120, fixed: 'left' },
    {
      title: '人数',
      dataIndex: 'members',
      width: 80,
      align: 'right',
      sorter: (a, b) => a.members - b.members,
    },
    { title: '达标', dataIndex: 'met', width: 72, align: 'right', sorter: (a, b) => a.met - b.met },
    { title: '未达标', dataIndex: 'unmet', width: 80, align: 'right', sorter: (a, b) => a.unmet - b.unmet },
    {
      title: '达标率',
      dataIndex: 'rate',
      width: 200,
      sorter: (a, b) => a.rate - b.rate || a.members - b.members,
      render: (r: number) => <RateBar rate={r} />,
    },
    {
      title: '操作',
      key: 'action',
      width: 84,
      align: 'center',
      render: (_v, r) => drill(r),
    },
  ];

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '学时管理' }, { title: '学时统计' }]}
      />
      <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
        <div className="cpe-cs-toolbar-row">
          <Space wrap size={[12, 8]}>
            <span>年度</span>
            <Select<number>
              aria-label="年度"
              value={year}
              style={{ width: 120 }}
              options={years.map((y) => ({ value: y, label: `${y}年度` }))}
              onChange={(y) => set({ year: String(y), group: undefined, page: undefined })}
            />
            <Segmented<TCreditStatsBy>
              aria-label="统计方式"
              value={by}
              options={CREDIT_STATS_BY.map((b) => ({ value: b, label: `按${CREDIT_STATS_BY_LABELS[b]}` }))}
              onChange={(b) => set({ by: b === 'district' ? undefined : b, group: undefined, page: undefined })}
            />
            <Button icon={<ReloadOutlined />} onClick={() => stats.refetch()} loading={stats.isFetching}>
              刷新
            </Button>
            <Button
              icon={<DownloadOutlined />}
              loading={exporter.exporting}
              disabled={!d}
              onClick={() => exporter.run(creditStatsExportUrl({ year, by }), `${year}年度学时统计.xlsx`)}
            >
              导出Excel
            </Button>
          </Space>
        </div>
        <Typography.Paragraph type="secondary" className="cpe-cs-hint">
          统计所选年度内在审核通过单位的人员（按“工作单位”的加入、离开日期，年内调动的人员在各单位均计入）。达标：已认定学时不少于
          {CREDIT_YEARLY_TARGET}学时且专业科目不少于{CREDIT_PROFESSIONAL_MIN}学时。
        </Typography.Paragraph>
        {stats.error && !isUnauthenticated(stats.error) && (
          <Alert
            className="cpe-cs-alert"
            type="error"
            showIcon
            title={toApiError(stats.error).message}
            action={
              <Button size="small" onClick={() => stats.refetch()}>
                重试
              </Button>
            }
          />
        )}
        {d && (
          <div className="cpe-cs-total" data-testid="credit-stats-total">
            <div>
              <div className="cpe-cs-total-label">
                {d.year}年度{d.scope ? d.scope.name : '全市'}学时达标率
              </div>
              <div className="cpe-cs-total-rate">{percentText(d.total.rate)}</div>
            </div>
            <div className="cpe-cs-total-figures">
              <span>
                人数 <strong>{d.total.members}</strong>
              </span>
              <span>
                达标 <strong>{d.total.met}</strong>
              </span>
              <span>
                未达标 <strong>{d.total.unmet}</strong>
              </span>
            </div>
            <Progress
              className="cpe-cs-total-bar"
              percent={Math.round(d.total.rate * 1000) / 10}
              showInfo={false}
              status="normal"
            />
          </div>
        )}
        <Table<TCreditStatRow>
          rowKey="key"
          size="small"
          bordered
          columns={narrow ? narrowColumns : columns}
          dataSource={d?.rows ?? []}
          loading={stats.isFetching}
          scroll={narrow ? undefined : { x: 640 }}
          pagination={false}
          onRow={(r) => ({ 'data-key': r.key }) as HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: stats.isPending ? (
              '加载中…'
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={`暂无${first}`} />
            ),
          }}
        />
      </div>
      <UnitsDrawer
        q={unitQuery}
        by={by}
        onChange={(next) =>
          set({
            sort: next.sort === 'rate:asc' ? undefined : next.sort,
            page: next.page > 1 ? String(next.page) : undefined,
            pageSize: next.pageSize !== 20 ? String(next.pageSize) : undefined,
          })
        }
        onClose={() => set({ group: undefined, sort: undefined, page: undefined, pageSize: undefined })}
      />
    </div>
  );
}
