import { EditOutlined, LeftOutlined } from '@ant-design/icons';
import {
  CREDIT_PROFESSIONAL_MIN,
  CREDIT_YEARLY_TARGET,
  type TCreditEntry,
  type TCreditYear,
} from '@cpe/shared/schemas/credits';
import {
  Alert,
  Breadcrumb,
  Button,
  Descriptions,
  Empty,
  Grid,
  Progress,
  Result,
  Select,
  Skeleton,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { platformYear } from '../../../shared/platform-time';
import { usePageTitle } from '../../../shared/usePageTitle';
import { CreditEntryDetail, CreditStatusTag, EvidenceList, isCorrection } from '../../credits/parts';
import { ADMIN_CREDIT_QUEUE, adminCreditFileUrl } from '../../credits-admin/api';
import { useSite } from '../../identity/api';
import { useStaffMe } from '../../identity/staff-api';
import { useCreditPerson } from '../api';
import { CorrectionModal } from '../components/CorrectionModal';
import { shownHours, signedHours } from '../format';
import '../../credits/credits.css';
import '../credits-stats.css';

/** 证明材料 on the console: the files where this reader may open them, otherwise how many there are. */
function EntryDetail({ e, evidence }: { e: TCreditEntry; evidence: boolean }) {
  return (
    <CreditEntryDetail
      e={e}
      evidence={
        evidence ? (
          <EvidenceList files={e.evidence} urlOf={(fileId) => adminCreditFileUrl(ADMIN_CREDIT_QUEUE, e.id, fileId)} />
        ) : (
          `${e.evidence.length} 份（在“学时认定”中查看）`
        )
      }
    />
  );
}

/** The reason under the status, so a correction's (or a 退回's) reason is read without opening the row. */
function reasonLine(e: TCreditEntry) {
  if (!e.reason) return null;
  if (isCorrection(e)) return <span className="cpe-cs-correction-reason">更正原因：{e.reason}</span>;
  if (e.status === 'rejected' || e.status === 'revoked')
    return <span className="cpe-credit-reason">原因：{e.reason}</span>;
  return null;
}

const statusCell = (e: TCreditEntry) => (
  <div className="cpe-credit-cell">
    <span>
      <CreditStatusTag status={e.status} />
    </span>
    {reasonLine(e)}
  </div>
);

const hoursCell = (e: TCreditEntry) => (
  <span className={isCorrection(e) ? (e.hours < 0 ? 'cpe-cs-minus' : 'cpe-cs-plus') : undefined}>
    {signedHours(e.hours, isCorrection(e))}
  </span>
);

const WIDE: ColumnsType<TCreditEntry> = [
  { title: '类别', dataIndex: 'categoryLabel', width: 90 },
  { title: '学习形式', dataIndex: 'form', width: 96 },
  {
    title: '名称',
    key: 'title',
    render: (_v, e) => (
      <div className="cpe-credit-cell">
        <span className="cpe-credit-entry-title">{e.title}</span>
        <span className="cpe-muted">
          {e.sourceLabel}
          {e.host ? ` · ${e.host}` : ''}
        </span>
      </div>
    ),
  },
  { title: '学时', key: 'hours', width: 64, align: 'right', render: (_v, e) => hoursCell(e) },
  { title: '状态', key: 'status', width: 220, render: (_v, e) => statusCell(e) },
  { title: '记录时间', dataIndex: 'createdAt', width: 150, render: (iso: string) => formatDateTime(iso) },
];

const NARROW: ColumnsType<TCreditEntry> = [
  {
    title: '学时记录',
    key: 'entry',
    render: (_v, e) => (
      <div className="cpe-credit-cell">
        <span className="cpe-credit-entry-title">{e.title}</span>
        <span className="cpe-muted">
          {e.categoryLabel} · {e.form} · {e.sourceLabel}
        </span>
        {statusCell(e)}
      </div>
    ),
  },
  { title: '学时', key: 'hours', width: 56, align: 'right', render: (_v, e) => hoursCell(e) },
];

function YearFigures({ y }: { y: TCreditYear }) {
  // Shown clamped at 0 (see format.ts): a negative correction may take the stored sum below 0.
  const hours = shownHours(y.hours);
  const professional = shownHours(y.professionalHours);
  return (
    <div className="cpe-cs-year" data-testid="credit-year-figures">
      <div className="cpe-cs-year-total">
        <span>
          {y.year}年度已认定 <strong>{hours}</strong> / {CREDIT_YEARLY_TARGET} 学时
        </span>
        <Tag color={y.met ? 'success' : 'warning'}>{y.met ? '达标' : '未达标'}</Tag>
      </div>
      <Progress
        percent={Math.min(100, Math.round((hours / CREDIT_YEARLY_TARGET) * 100))}
        status={y.met ? 'success' : 'normal'}
        aria-label={`年度学时进度 ${hours}/${CREDIT_YEARLY_TARGET}`}
      />
      <div className="cpe-cs-year-parts">
        <span>公需科目 {shownHours(y.publicHours)} 学时</span>
        <span className={professional < CREDIT_PROFESSIONAL_MIN ? 'cpe-credit-short' : undefined}>
          专业科目 {professional} 学时（要求不少于 {CREDIT_PROFESSIONAL_MIN}）
        </span>
        {y.pendingHours > 0 && <span className="cpe-credit-pending">另有 {y.pendingHours} 学时待确认/认定</span>}
      </div>
    </div>
  );
}

/**
 * 学时档案 of one person on the console (route /credits-admin/:accountId): the years' figures, every entry with its
 * status, reason and history, and 学时更正 for those allowed. `?year=` picks the year shown.
 */
export function CreditPersonPage() {
  const site = useSite().data;
  const { accountId } = useParams();
  const location = useLocation();
  const back = (location.state as { back?: string } | null)?.back ?? '';
  const person = useCreditPerson(accountId);
  const me = useStaffMe().data;
  const [params, setParams] = useSearchParams();
  const [correcting, setCorrecting] = useState(false);
  const narrow = Grid.useBreakpoint().md === false;
  const thisYear = platformYear();
  const d = person.data;
  usePageTitle(d ? `${d.person.realName}的学时档案` : '学时档案', site?.staffConsoleName);

  const crumbs = (
    <Breadcrumb
      style={{ marginBottom: 12 }}
      items={[
        { title: <Link to="/">首页</Link> },
        { title: '学时管理' },
        { title: <Link to={`/credits-admin${back}`}>学时查询与更正</Link> },
        { title: d?.person.realName ?? '学时档案' },
      ]}
    />
  );
  const code = errorCode(person.error);
  if (code === 'CREDIT_ADMIN_FORBIDDEN' || code === 'CREDIT_PERSON_OUT_OF_SCOPE' || code === 'CREDIT_PERSON_NOT_FOUND')
    return (
      <div className="cpe-console-page">
        {crumbs}
        <Result
          status={code === 'CREDIT_PERSON_NOT_FOUND' ? '404' : '403'}
          title={code === 'CREDIT_PERSON_NOT_FOUND' ? '人员不存在' : '没有权限'}
          subTitle={toApiError(person.error).message}
          extra={<Link to={`/credits-admin${back}`}>返回学时查询</Link>}
        />
      </div>
    );

  const years = d?.record.years ?? [];
  const asked = Number(params.get('year'));
  const year =
    Number.isInteger(asked) && years.some((y) => y.year === asked)
      ? asked
      : years.some((y) => y.year === thisYear)
        ? thisYear
        : (years[0]?.year ?? thisYear);
  const summary = years.find((y) => y.year === year);
  const entries = (d?.record.items ?? []).filter((e) => e.year === year);
  const correctionYears = Array.from({ length: 10 }, (_, i) => thisYear - i);
  const evidence = Boolean(me?.roles.includes('reviewer') || me?.roles.includes('sysadmin'));

  return (
    <div className="cpe-console-page">
      {crumbs}
      <div className="cpe-console-panel cpe-cs-person" style={{ paddingTop: 16 }}>
        <Link to={`/credits-admin${back}`} className="cpe-cs-back">
          <LeftOutlined /> 返回查询结果
        </Link>
        {person.isPending ? (
          <Skeleton active />
        ) : person.isError ? (
          isUnauthenticated(person.error) ? null : (
            <Alert
              type="error"
              showIcon
              title={toApiError(person.error).message}
              action={
                <Button size="small" onClick={() => person.refetch()}>
                  重试
                </Button>
              }
            />
          )
        ) : d ? (
          <>
            <div className="cpe-cs-person-head">
              <h2 className="cpe-console-page-title">{d.person.realName}的学时档案</h2>
              {d.canCorrect && (
                <Button type="primary" icon={<EditOutlined />} onClick={() => setCorrecting(true)}>
                  学时更正
                </Button>
              )}
            </div>
            <Descriptions
              size="small"
              bordered
              column={{ xs: 1, sm: 1, md: 2 }}
              items={[
                {
                  key: 'id',
                  label: '证件号码',
                  children: (
                    <span>
                      <span className="cpe-cs-mono">{d.person.idNumberMasked}</span>
                      {d.canOpenLearner && (
                        <Link className="cpe-cs-reveal" to={`/learners/${d.person.accountId}`}>
                          在学员管理中查看完整信息
                        </Link>
                      )}
                    </span>
                  ),
                },
                { key: 'phone', label: '手机号码', children: d.person.phoneMasked ?? '未绑定' },
                { key: 'unit', label: '工作单位', children: d.person.unitName ?? '未设置', span: 'filled' as const },
              ]}
            />
            <div className="cpe-cs-year-bar">
              <span>年度</span>
              <Select<number>
                aria-label="年度"
                value={year}
                style={{ width: 120 }}
                options={years.map((y) => ({ value: y.year, label: `${y.year}年度` }))}
                onChange={(y) => setParams({ year: String(y) }, { replace: true })}
              />
            </div>
            {summary && <YearFigures y={summary} />}
            <h3 className="cpe-cs-subtitle">{year}年度学时明细</h3>
            <Typography.Paragraph type="secondary" className="cpe-cs-hint">
              列出全部记录（含待确认、不予认定、已撤销），只有“已认定”的学时计入合计。点击一行查看来源、原因和处理记录。
            </Typography.Paragraph>
            <Table<TCreditEntry>
              rowKey="id"
              size="small"
              columns={narrow ? NARROW : WIDE}
              dataSource={entries}
              pagination={false}
              scroll={narrow ? undefined : { x: 760 }}
              expandable={{
                expandedRowRender: (e) => <EntryDetail e={e} evidence={evidence} />,
                expandRowByClick: true,
              }}
              onRow={(e) =>
                ({
                  'data-entry': e.id,
                  'data-source': e.source,
                  'data-status': e.status,
                }) as HTMLAttributes<HTMLElement>
              }
              locale={{
                emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={`${year}年度暂无学时记录`} />,
              }}
            />
            <CorrectionModal
              open={correcting}
              accountId={d.person.accountId}
              personName={d.person.realName}
              year={year}
              years={correctionYears}
              onClose={() => setCorrecting(false)}
            />
          </>
        ) : null}
      </div>
    </div>
  );
}
