import { FieldTimeOutlined } from '@ant-design/icons';
import {
  CREDIT_PROFESSIONAL_MIN,
  CREDIT_YEARLY_TARGET,
  type TCreditEntry,
  type TCreditYear,
} from '@cpe/shared/schemas/seminars';
import { Alert, Button, Card, Empty, Progress, Select, Skeleton, Table, Tag } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { toApiError } from '../../shared/api/client';
import { formatDateTime } from '../../shared/format';
import { platformYear } from '../../shared/platform-time';
import { usePageTitle } from '../../shared/usePageTitle';
import { useSite } from '../identity/api';
import { useMyCredits } from '../seminars/api';
import '../certificates/certificates.css';
import './credits.css';

const PUBLIC_ABOUT = CREDIT_YEARLY_TARGET - CREDIT_PROFESSIONAL_MIN;

const COLUMNS = [
  { title: '类别', dataIndex: 'categoryLabel', width: 96 },
  { title: '学习形式', dataIndex: 'form', width: 110 },
  { title: '名称', dataIndex: 'title' },
  { title: '学时', dataIndex: 'hours', width: 72, align: 'right' as const },
  {
    title: '记录时间',
    dataIndex: 'createdAt',
    width: 172,
    render: (iso: string) => formatDateTime(iso),
  },
];

/** The year's figures: the total against 90, 公需科目 and 专业科目 (at least two thirds), 达标 or not. */
function YearSummary({ y }: { y: TCreditYear }) {
  const percent = Math.min(100, Math.round((y.hours / CREDIT_YEARLY_TARGET) * 100));
  const professionalShort = Math.max(0, CREDIT_PROFESSIONAL_MIN - y.professionalHours);
  const totalShort = Math.max(0, CREDIT_YEARLY_TARGET - y.hours);
  return (
    <Card
      className="cpe-credit-summary"
      title={`${y.year}年度`}
      extra={<Tag color={y.met ? 'green' : 'orange'}>{y.met ? '达标' : '未达标'}</Tag>}
    >
      <p className="cpe-credit-total">
        已获得 <strong>{y.hours}</strong> 学时 / 年度要求 {CREDIT_YEARLY_TARGET} 学时
        {totalShort > 0 && <span className="cpe-credit-short">（还差 {totalShort} 学时）</span>}
      </p>
      <Progress
        percent={percent}
        status={y.met ? 'success' : 'normal'}
        aria-label={`年度学时进度 ${y.hours}/${CREDIT_YEARLY_TARGET}`}
      />
      <dl className="cpe-credit-figures">
        <div className="cpe-credit-figure" data-category="public">
          <dt>公需科目</dt>
          <dd>
            <strong>{y.publicHours}</strong> 学时
          </dd>
          <dd className="cpe-credit-rule">一般约 {PUBLIC_ABOUT} 学时</dd>
        </div>
        <div className="cpe-credit-figure" data-category="professional">
          <dt>专业科目</dt>
          <dd>
            <strong>{y.professionalHours}</strong> 学时
          </dd>
          <dd className="cpe-credit-rule">
            {professionalShort === 0 ? (
              <Tag color="green">专业科目已达 {CREDIT_PROFESSIONAL_MIN} 学时</Tag>
            ) : (
              <Tag color="orange">
                专业科目不足 {CREDIT_PROFESSIONAL_MIN} 学时，还差 {professionalShort} 学时
              </Tag>
            )}
          </dd>
        </div>
      </dl>
    </Card>
  );
}

/** 学时档案 (portal /credits): the signed-in person's 学时 by year, against the yearly 90 (专业科目 at least 60). */
export function CreditRecordPage() {
  const site = useSite().data;
  usePageTitle('学时档案', site?.name);
  const credits = useMyCredits();
  const thisYear = platformYear();
  const [picked, setPicked] = useState<number | null>(null);

  const years = credits.data?.years ?? [];
  const year = picked ?? (years.some((y) => y.year === thisYear) ? thisYear : (years[0]?.year ?? thisYear));
  const summary: TCreditYear = years.find((y) => y.year === year) ?? {
    year,
    hours: 0,
    publicHours: 0,
    professionalHours: 0,
    met: false,
  };
  const entries = (credits.data?.items ?? []).filter((e) => e.year === year);

  return (
    <div className="cpe-cert-page cpe-credit-page">
      <div className="cpe-credit-head">
        <h1 className="cpe-cert-title">
          <FieldTimeOutlined /> 学时档案
        </h1>
        {credits.isSuccess && (
          <div className="cpe-credit-year">
            <span aria-hidden="true">年度</span>
            <Select<number>
              aria-label="年度"
              value={year}
              onChange={setPicked}
              style={{ width: 120 }}
              options={(years.some((y) => y.year === year) ? years : [summary, ...years]).map((y) => ({
                value: y.year,
                label: `${y.year}年度`,
              }))}
            />
          </div>
        )}
      </div>
      <Alert
        className="cpe-cert-note"
        type="info"
        showIcon
        message={`专业技术人员每年参加继续教育不少于 ${CREDIT_YEARLY_TARGET} 学时，其中专业科目一般不少于三分之二（${CREDIT_PROFESSIONAL_MIN} 学时）。`}
        description={
          <ul className="cpe-credit-sources">
            <li>公需科目：完成学习计划后发放合格证书时自动记入；</li>
            <li>专业科目：高研班结业审核通过后自动记入。</li>
          </ul>
        }
      />
      {credits.isPending ? (
        <Skeleton active />
      ) : credits.isError ? (
        <Alert
          type="error"
          showIcon
          message={toApiError(credits.error).message}
          action={
            <Button size="small" onClick={() => credits.refetch()}>
              重试
            </Button>
          }
        />
      ) : (
        <>
          <YearSummary y={summary} />
          <section className="cpe-cert-section cpe-credit-entries">
            <h2 className="cpe-cert-subtitle">{year}年度学时明细</h2>
            <Card className="cpe-credit-table-card">
              {entries.length === 0 ? (
                <Empty
                  image={Empty.PRESENTED_IMAGE_SIMPLE}
                  description={year === thisYear ? '本年度暂无学时记录' : `${year}年度暂无学时记录`}
                >
                  {year === thisYear && (
                    <Link to="/gxkm">
                      <Button type="primary">进入公需科目</Button>
                    </Link>
                  )}
                </Empty>
              ) : (
                <Table<TCreditEntry>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  scroll={{ x: 640 }}
                  dataSource={entries}
                  columns={COLUMNS}
                />
              )}
            </Card>
          </section>
        </>
      )}
    </div>
  );
}
