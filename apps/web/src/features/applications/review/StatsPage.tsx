import { APPLICATION_TYPES, fenToWanText } from '@cpe/shared/applications/index';
import { Alert, Breadcrumb, Col, Form, Row, Select, Statistic, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { Link, useSearchParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { platformYear } from '../../../shared/platform-time';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { type StatRow, useBatches, useStats } from './api-review';
import { LoadError } from './components/LoadError';
import { yearOptions } from './format';
import { reviewTypeView } from './review-types';
import './review.css';

const TYPE_OPTIONS = APPLICATION_TYPES.map((t) => ({ value: t.key, label: t.label }));
const DEFAULT_TYPE = 'advanced-seminar';

const STATUS_OPTIONS = [
  { value: 'all', label: '全部已提交' },
  { value: 'approved', label: '审核通过' },
];

function StatTable({
  title,
  keyTitle,
  rows,
  total,
  loading,
  money,
  countTitle,
}: {
  title: string;
  keyTitle: string;
  rows: StatRow[];
  total: StatRow | undefined;
  loading: boolean;
  /** 预计费用 / 需资助费用: only a type whose 申报 carries amounts. */
  money: boolean;
  countTitle: string;
}) {
  const columns: ColumnsType<StatRow> = [
    { title: '序号', key: 'index', width: 56, align: 'center', render: (_v, _r, i) => i + 1 },
    { title: keyTitle, dataIndex: 'label' },
    { title: countTitle, dataIndex: 'count', width: 72, align: 'right' },
  ];
  if (money)
    columns.push(
      {
        title: '预计费用(万元)',
        dataIndex: 'estimatedFen',
        width: 116,
        align: 'right',
        render: (v: number) => fenToWanText(v),
      },
      {
        title: '需资助费用(万元)',
        dataIndex: 'subsidyFen',
        width: 130,
        align: 'right',
        render: (v: number) => fenToWanText(v),
      },
    );
  return (
    <section className="cpe-ar-stats-block" aria-label={title}>
      <h2 className="cpe-ar-block-title">{title}</h2>
      <Table<StatRow>
        rowKey="key"
        size="small"
        bordered
        columns={columns}
        dataSource={rows}
        loading={loading}
        pagination={false}
        locale={{ emptyText: loading ? '加载中…' : '暂无数据' }}
        summary={() =>
          total && rows.length > 0 ? (
            <Table.Summary.Row className="cpe-ar-total-row">
              <Table.Summary.Cell index={0} colSpan={2} align="center">
                合计
              </Table.Summary.Cell>
              <Table.Summary.Cell index={2} align="right">
                {total.count}
              </Table.Summary.Cell>
              {money && (
                <>
                  <Table.Summary.Cell index={3} align="right">
                    {fenToWanText(total.estimatedFen)}
                  </Table.Summary.Cell>
                  <Table.Summary.Cell index={4} align="right">
                    {fenToWanText(total.subsidyFen)}
                  </Table.Summary.Cell>
                </>
              )}
            </Table.Summary.Row>
          ) : null
        }
      />
    </section>
  );
}

/**
 * 项目统计 (console route /application-stats, 市人社局): a year's 申报 of one type by district and unit type,
 * with the money where the type has it (市级高级研修项目).
 */
export function StatsPage() {
  const site = useSite().data;
  usePageTitle('项目统计', site?.staffConsoleName);
  const [params, setParams] = useSearchParams();
  const askedType = params.get('type') ?? DEFAULT_TYPE;
  const view = reviewTypeView(askedType) ?? reviewTypeView(DEFAULT_TYPE);
  const type = view?.def.key ?? DEFAULT_TYPE;
  const money = view?.money ?? true;
  const countTitle = view?.def.batched || view?.held || view?.due ? '项目数' : '申报数';
  const batches = useBatches();
  const asked = Number(params.get('year'));
  // Without a year in the address: this year (the options always hold it), not a batch still to open.
  const thisYear = platformYear();
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : thisYear;
  const status = params.get('status') === 'approved' ? 'approved' : undefined;
  const stats = useStats({ type, year, status });

  const set = (k: string, v: string | undefined) => {
    const next = new URLSearchParams(params);
    if (v) next.set(k, v);
    else next.delete(k);
    setParams(next, { replace: true });
  };

  const forbidden = [stats.error, batches.error].some((e) => errorCode(e) === 'APPLICATION_REVIEWER_FORBIDDEN');
  const error = stats.error && !isUnauthenticated(stats.error) ? toApiError(stats.error) : null;
  const total = stats.data?.total;
  const loading = stats.isFetching;

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        className="cpe-ar-breadcrumb"
        items={[{ title: <Link to="/">首页</Link> }, { title: '市级高级研修项目' }, { title: '项目统计' }]}
      />
      <div className="cpe-console-panel cpe-ar-panel">
        {forbidden ? (
          <LoadError
            error={stats.error ?? batches.error}
            onRetry={() => stats.refetch()}
            forbiddenText="仅市人社局审核人员可以查看统计。"
          />
        ) : (
          <>
            <Form layout="inline" size="small" className="cpe-ar-stats-filter" name="applicationStatsFilter">
              <Form.Item label="申报类型">
                <Select
                  value={type}
                  options={TYPE_OPTIONS}
                  onChange={(v: string) => set('type', v === DEFAULT_TYPE ? undefined : v)}
                  style={{ width: 180 }}
                  aria-label="申报类型"
                />
              </Form.Item>
              <Form.Item label="年度">
                <Select
                  value={year}
                  options={yearOptions(batches.data?.items, year, 4)}
                  onChange={(v: number) => set('year', String(v))}
                  style={{ width: 120 }}
                />
              </Form.Item>
              <Form.Item label="统计范围">
                <Select
                  value={status ?? 'all'}
                  options={STATUS_OPTIONS}
                  onChange={(v: string) => set('status', v === 'all' ? undefined : v)}
                  style={{ width: 140 }}
                />
              </Form.Item>
            </Form>
            {error && <Alert className="cpe-ar-alert" type="error" showIcon title={error.message} />}
            <div className="cpe-ar-stats-summary">
              <Statistic title={countTitle} value={total?.count ?? '-'} suffix={total ? '项' : undefined} />
              {money && (
                <>
                  <Statistic
                    title="预计费用合计"
                    value={total ? fenToWanText(total.estimatedFen) : '-'}
                    suffix={total ? '万元' : undefined}
                  />
                  <Statistic
                    title="需资助费用合计"
                    value={total ? fenToWanText(total.subsidyFen) : '-'}
                    suffix={total ? '万元' : undefined}
                  />
                </>
              )}
            </div>
            <Row gutter={[24, 16]}>
              <Col xs={24} xl={12}>
                <StatTable
                  title="按区县统计"
                  keyTitle="区县"
                  rows={stats.data?.byDistrict ?? []}
                  total={total}
                  loading={loading}
                  money={money}
                  countTitle={countTitle}
                />
              </Col>
              <Col xs={24} xl={12}>
                <StatTable
                  title="按单位类型统计"
                  keyTitle="单位类型"
                  rows={stats.data?.byUnitType ?? []}
                  total={total}
                  loading={loading}
                  money={money}
                  countTitle={countTitle}
                />
              </Col>
            </Row>
          </>
        )}
      </div>
    </div>
  );
}
