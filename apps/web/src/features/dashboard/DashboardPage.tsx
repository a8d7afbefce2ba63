import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { CREDIT_PROFESSIONAL_MIN, CREDIT_YEARLY_TARGET } from '@cpe/shared/schemas/credits';
import { DASHBOARD_MAX_DAYS, dashboardDays, type TDashboardGroup } from '@cpe/shared/schemas/dashboard';
import {
  Alert,
  Breadcrumb,
  Button,
  Col,
  DatePicker,
  Empty,
  Result,
  Row,
  Select,
  Skeleton,
  Space,
  Statistic,
  Tooltip,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../shared/api/client';
import { useExport } from '../../shared/api/download';
import { formatDateTime } from '../../shared/format';
import { platformToday } from '../../shared/platform-time';
import { usePageTitle } from '../../shared/usePageTitle';
import { useSite } from '../identity/api';
import { formatFen } from '../purchase/format';
import { type Dashboard, type DashboardQuery, dashboardExportUrl, useDashboard } from './api';
import type { ChartOption } from './EChart';
import { EChart } from './LazyEChart';
import './dashboard.css';

const DAY = 'YYYY-MM-DD';
const isDay = (v: string | null): v is string => !!v && /^\d{4}-\d{2}-\d{2}$/.test(v) && dayjs(v, DAY).isValid();

/** 近7天 / 近30天 / 本年度, each ending today. */
function presets(): Array<{ label: string; value: [Dayjs, Dayjs] }> {
  const today = platformToday();
  return [
    { label: '近7天', value: [today.subtract(6, 'day'), today] },
    { label: '近30天', value: [today.subtract(29, 'day'), today] },
    { label: '本年度', value: [today.startOf('year'), today] },
  ];
}

const percent = (r: number | null) => (r === null ? '-' : `${(r * 100).toFixed(1)}%`);
const yuan = (fen: number) => fen / 100;

const COLORS = { registrations: '#1a5fb4', sales: '#e67e22', enrollments: '#2e9d5b', completions: '#8e44ad' };

function dailyOption(d: Dashboard): ChartOption {
  return {
    color: [COLORS.registrations, COLORS.enrollments, COLORS.completions, COLORS.sales],
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? v.toLocaleString('zh-CN') : String(v ?? '')),
    },
    legend: { top: 0 },
    grid: { left: 48, right: 64, top: 40, bottom: 32 },
    xAxis: { type: 'category', boundaryGap: false, data: d.days.map((x) => x.day.slice(5)) },
    yAxis: [
      { type: 'value', name: '人数', minInterval: 1 },
      { type: 'value', name: '销售额（元）', splitLine: { show: false } },
    ],
    series: [
      { type: 'line', name: '注册人数', data: d.days.map((x) => x.registrations), showSymbol: false },
      { type: 'line', name: '开通学习', data: d.days.map((x) => x.enrollments), showSymbol: false },
      { type: 'line', name: '完成学习', data: d.days.map((x) => x.completions), showSymbol: false },
      {
        type: 'line',
        name: '销售额（元）',
        yAxisIndex: 1,
        data: d.days.map((x) => yuan(x.salesFen)),
        showSymbol: false,
        areaStyle: { opacity: 0.08 },
      },
    ],
  };
}

/** Enrolments and completions per group, horizontal so long district names stay readable. */
function groupOption(rows: TDashboardGroup[]): ChartOption {
  const ordered = [...rows].reverse();
  return {
    color: [COLORS.enrollments, COLORS.completions],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 32, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: ordered.map((g) => g.label), axisLabel: { width: 140, overflow: 'truncate' } },
    series: [
      { type: 'bar', name: '开通学习', data: ordered.map((g) => g.enrollments), barMaxWidth: 14 },
      { type: 'bar', name: '完成学习', data: ordered.map((g) => g.completions), barMaxWidth: 14 },
    ],
  };
}

function rateOption(rows: TDashboardGroup[]): ChartOption {
  const ordered = [...rows].reverse();
  return {
    color: [COLORS.completions],
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v) => (typeof v === 'number' ? `${v}%` : String(v ?? '')),
    },
    grid: { left: 8, right: 48, top: 16, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: ordered.map((g) => g.label), axisLabel: { width: 320, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        name: '完成率',
        data: ordered.map((g) => Number(((g.completionRate ?? 0) * 100).toFixed(1))),
        barMaxWidth: 18,
        label: { show: true, position: 'right', formatter: '{c}%' },
      },
    ],
  };
}

const groupHeight = (n: number) => Math.max(200, 48 + n * 34);

/** 学时达标率 per 区县 (districts where anyone is counted), highest first, as a percentage bar each. */
function creditRateOption(rows: Dashboard['credits']['byDistrict']): ChartOption {
  const ordered = [...rows].sort((a, b) => a.rate - b.rate || a.members - b.members);
  return {
    color: [COLORS.enrollments],
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const p = (Array.isArray(params) ? params[0] : params) as { dataIndex: number } | undefined;
        const r = p ? ordered[p.dataIndex] : undefined;
        return r ? `${r.label}<br/>达标率 ${percent(r.rate)}（${r.met} / ${r.members} 人）` : '';
      },
    },
    grid: { left: 8, right: 56, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', max: 100, axisLabel: { formatter: '{value}%' } },
    yAxis: { type: 'category', data: ordered.map((r) => r.label), axisLabel: { width: 120, overflow: 'truncate' } },
    series: [
      {
        type: 'bar',
        name: '学时达标率',
        data: ordered.map((r) => Number((r.rate * 100).toFixed(1))),
        barMaxWidth: 14,
        label: { show: true, position: 'right', formatter: '{c}%' },
      },
    ],
  };
}

function Block({
  title,
  hint,
  empty,
  children,
}: {
  title: string;
  hint?: string;
  empty: boolean;
  children: React.ReactNode;
}) {
  return (
    <section className="cpe-dash-block" aria-label={title}>
      <h2 className="cpe-dash-block-title">
        {title}
        {hint && <span className="cpe-dash-hint">{hint}</span>}
      </h2>
      {empty ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="所选期间暂无数据" /> : children}
    </section>
  );
}

function Figures({ d }: { d: Dashboard }) {
  const k = d.kpis;
  const daily = useMemo(() => dailyOption(d), [d]);
  const byDistrict = useMemo(() => groupOption(d.byDistrict), [d]);
  const byUnitType = useMemo(() => groupOption(d.byUnitType), [d]);
  const byPlan = useMemo(() => rateOption(d.byPlan), [d]);
  const creditRows = useMemo(() => d.credits.byDistrict.filter((r) => r.members > 0), [d]);
  const creditRates = useMemo(() => creditRateOption(creditRows), [creditRows]);
  const quiet = d.days.every((x) => !x.registrations && !x.paidOrders && !x.enrollments && !x.completions);
  return (
    <>
      <div className="cpe-dash-kpis">
        <Statistic title="注册人数" value={k.registrations} />
        <Statistic title="支付订单" value={k.paidOrders} suffix="笔" />
        <Statistic title="销售额" value={formatFen(k.salesFen)} />
        <Statistic title="开通学习" value={k.enrollments} suffix="人" />
        <Statistic title="完成学习" value={k.completions} suffix="人" />
        <Statistic
          title={
            <Tooltip title="所选期间开通学习的学员中，截至目前已完成学习的比例">
              <span className="cpe-dash-help">完成率</span>
            </Tooltip>
          }
          value={percent(k.completionRate)}
        />
      </div>
      <Block title="每日趋势" empty={quiet}>
        <EChart option={daily} height={320} label="每日注册、开通、完成学习人数与销售额折线图" />
      </Block>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={12}>
          <Block title="按区县" hint="按学员所在单位的所在地区统计" empty={d.byDistrict.length === 0}>
            <EChart
              option={byDistrict}
              height={groupHeight(d.byDistrict.length)}
              label="按区县的开通与完成学习人数柱状图"
            />
          </Block>
        </Col>
        <Col xs={24} xl={12}>
          <Block title="按单位类型" empty={d.byUnitType.length === 0}>
            <EChart
              option={byUnitType}
              height={groupHeight(d.byUnitType.length)}
              label="按单位类型的开通与完成学习人数柱状图"
            />
          </Block>
        </Col>
      </Row>
      <Block
        title={`${d.credits.year}年度学时达标率（按区县）`}
        hint={`已认定学时≥${CREDIT_YEARLY_TARGET}且专业科目≥${CREDIT_PROFESSIONAL_MIN}的人员比例，按工作单位所在区县`}
        empty={creditRows.length === 0}
      >
        <div className="cpe-dash-credit-total" data-testid="dashboard-credit-rate">
          <span className="cpe-dash-credit-rate">{percent(d.credits.rate)}</span>
          <span>
            {d.scope ? d.scope.name : '全市'}：{d.credits.met} / {d.credits.members} 人达标
          </span>
          <Link to={`/credit-stats-admin?year=${d.credits.year}`}>查看学时统计</Link>
        </div>
        <EChart
          option={creditRates}
          height={Math.max(160, 32 + creditRows.length * 24)}
          label="各区县学时达标率条形图"
        />
      </Block>
      <Block title="各学习计划完成率" hint="所选期间开通学习的学员中已完成学习的比例" empty={d.byPlan.length === 0}>
        <EChart option={byPlan} height={groupHeight(d.byPlan.length)} label="各学习计划完成率条形图" />
      </Block>
    </>
  );
}

/** 数据看板 (console route /dashboard): registrations, sales and study by day, plan, district and unit type. */
export function DashboardPage() {
  const site = useSite().data;
  usePageTitle('数据看板', site?.staffConsoleName);
  const [params, setParams] = useSearchParams();
  const fallback = presets()[1]?.value as [Dayjs, Dayjs];
  const fromParam = params.get('from');
  const toParam = params.get('to');
  const q: DashboardQuery = {
    from: isDay(fromParam) ? fromParam : fallback[0].format(DAY),
    to: isDay(toParam) ? toParam : fallback[1].format(DAY),
    planId: params.get('planId') || undefined,
  };
  const dash = useDashboard(q);
  const exporter = useExport();

  const set = (next: Partial<Record<'from' | 'to' | 'planId', string | undefined>>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };

  const code = errorCode(dash.error);
  if (code === 'DASHBOARD_FORBIDDEN' || code === 'FORBIDDEN')
    return (
      <div className="cpe-console-page">
        <Result status="403" title="无权访问" subTitle={toApiError(dash.error).message} />
      </div>
    );

  const d = dash.data;
  const planOptions = [
    { value: '', label: '全部学习计划' },
    ...(d?.plans ?? []).map((p) => ({ value: p.id, label: p.name })),
  ];
  const fieldError = dash.error ? toApiError(dash.error) : null;

  return (
    <div className="cpe-console-page cpe-dash">
      <Breadcrumb items={[{ title: <Link to="/">首页</Link> }, { title: '数据看板' }]} />
      <div className="cpe-console-panel cpe-dash-panel">
        <div className="cpe-dash-toolbar">
          <Space wrap size={[12, 8]}>
            <span className="cpe-dash-label">统计日期</span>
            <DatePicker.RangePicker
              aria-label="统计日期"
              allowClear={false}
              value={[dayjs(q.from, DAY), dayjs(q.to, DAY)]}
              presets={presets()}
              disabledDate={(cur, info) =>
                cur.isAfter(platformToday(), 'day') ||
                (!!info.from && Math.abs(cur.diff(info.from, 'day')) >= DASHBOARD_MAX_DAYS)
              }
              onChange={(v) => {
                const [a, b] = v ?? [];
                if (a && b) set({ from: a.format(DAY), to: b.format(DAY) });
              }}
            />
            <span className="cpe-dash-label">学习计划</span>
            <Select
              aria-label="学习计划"
              className="cpe-dash-plan"
              value={q.planId ?? ''}
              options={planOptions}
              onChange={(v: string) => set({ planId: v || undefined })}
              popupMatchSelectWidth={false}
            />
            <Button icon={<ReloadOutlined />} onClick={() => dash.refetch()} loading={dash.isFetching}>
              刷新
            </Button>
            <Button
              icon={<DownloadOutlined />}
              loading={exporter.exporting}
              disabled={!d}
              onClick={() => exporter.run(dashboardExportUrl(q), `数据看板_${q.from}_${q.to}.xlsx`)}
            >
              导出Excel
            </Button>
          </Space>
          <div className="cpe-dash-meta">
            {d && (d.scope ? `统计范围：${d.scope.name}所辖单位的学员 · ` : '统计范围：全市 · ')}共
            {dashboardDays(q.from, q.to)}天{d ? ` · 数据生成于${formatDateTime(d.generatedAt).slice(11)}` : ''}
          </div>
        </div>
        {fieldError && !isUnauthenticated(dash.error) && (
          <Alert
            className="cpe-dash-alert"
            type="error"
            showIcon
            title={fieldError.fields ? Object.values(fieldError.fields).join('；') : fieldError.message}
            action={
              <Button size="small" onClick={() => dash.refetch()}>
                重试
              </Button>
            }
          />
        )}
        {d ? <Figures d={d} /> : dash.isPending ? <Skeleton active paragraph={{ rows: 10 }} /> : null}
      </div>
    </div>
  );
}
