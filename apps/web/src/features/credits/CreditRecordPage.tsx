import { DownloadOutlined, FieldTimeOutlined, FormOutlined } from '@ant-design/icons';
import {
  CREDIT_PROFESSIONAL_MIN,
  CREDIT_YEARLY_TARGET,
  type TCreditEntry,
  type TCreditYear,
  ZCreditProofQuery,
} from '@cpe/shared/schemas/credits';
import { Alert, App, Button, Card, Empty, Grid, Modal, Progress, Select, Skeleton, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { isUnauthenticated, toApiError } from '../../shared/api/client';
import { downloadFile } from '../../shared/api/download';
import { formatDateTime } from '../../shared/format';
import { platformYear } from '../../shared/platform-time';
import { usePageTitle } from '../../shared/usePageTitle';
import { useSite } from '../identity/api';
import { useMyCredits } from '../seminars/api';
import { creditProofUrl, myCreditFileUrl, useWithdrawCreditClaim } from './api';
import { CreditEntryDetail, CreditStatusTag, datesText, EvidenceList, RESUBMITTABLE, WITHDRAWABLE } from './parts';
import '../certificates/certificates.css';
import './credits.css';

const PUBLIC_ABOUT = CREDIT_YEARLY_TARGET - CREDIT_PROFESSIONAL_MIN;

/** 撤回 (after a confirmation) and 修改后重新提交, where the entry's status allows them. */
function EntryActions({ e }: { e: TCreditEntry }) {
  const { modal, message } = App.useApp();
  const withdraw = useWithdrawCreditClaim();
  if (e.source !== 'claim') return null;
  if (WITHDRAWABLE.includes(e.status))
    return (
      <Button
        type="link"
        size="small"
        className="cpe-credit-action"
        loading={withdraw.isPending}
        onClick={() =>
          modal.confirm({
            title: '确认撤回该学时登记？',
            content: `“${e.title}”撤回后不再由单位确认和人社部门认定，之后可以修改后重新提交。`,
            okText: '确认撤回',
            okButtonProps: { danger: true },
            cancelText: '取消',
            onOk: async () => {
              try {
                await withdraw.mutateAsync(e.id);
                message.success('已撤回');
              } catch (err) {
                if (!isUnauthenticated(err)) message.error(toApiError(err).message);
              }
            },
          })
        }
      >
        撤回
      </Button>
    );
  if (RESUBMITTABLE.includes(e.status))
    return (
      <Link to={`/credits/claims/${e.id}`} className="cpe-credit-action">
        修改后重新提交
      </Link>
    );
  return null;
}

function EntryDetail({ e }: { e: TCreditEntry }) {
  return <CreditEntryDetail e={e} evidence={<EvidenceList files={e.evidence} urlOf={myCreditFileUrl} />} />;
}

/** The reason under the status of a 不予认定 / 已撤销 entry, so it is read without opening the row. */
const reasonLine = (e: TCreditEntry) =>
  e.reason && (e.status === 'rejected' || e.status === 'revoked') ? (
    <span className="cpe-credit-reason">原因：{e.reason}</span>
  ) : null;

function titleCell(e: TCreditEntry) {
  const dates = datesText(e);
  return (
    <div className="cpe-credit-cell">
      <span className="cpe-credit-entry-title">{e.title}</span>
      <span className="cpe-muted">
        {e.sourceLabel}
        {e.host ? ` · ${e.host}` : ''}
      </span>
      {dates && <span className="cpe-muted">{dates}</span>}
    </div>
  );
}

const WIDE_COLUMNS: ColumnsType<TCreditEntry> = [
  { title: '类别', dataIndex: 'categoryLabel', width: 90 },
  { title: '学习形式', dataIndex: 'form', width: 100 },
  { title: '名称', key: 'title', render: (_v, e) => titleCell(e) },
  { title: '学时', dataIndex: 'hours', width: 64, align: 'right' },
  {
    title: '状态',
    key: 'status',
    width: 170,
    render: (_v, e) => (
      <div className="cpe-credit-cell">
        <span>
          <CreditStatusTag status={e.status} />
        </span>
        {reasonLine(e)}
      </div>
    ),
  },
  { title: '记录时间', dataIndex: 'createdAt', width: 112, render: (iso: string) => formatDateTime(iso).slice(0, 10) },
  { title: '操作', key: 'actions', width: 128, render: (_v, e) => <EntryActions e={e} /> },
];

/** On a phone: one stacked cell and the 学时, nothing to scroll sideways. */
const NARROW_COLUMNS: ColumnsType<TCreditEntry> = [
  {
    title: '学时记录',
    key: 'entry',
    render: (_v, e) => (
      <div className="cpe-credit-cell">
        <span className="cpe-credit-entry-title">{e.title}</span>
        <span className="cpe-muted">
          {e.categoryLabel} · {e.form} · {e.sourceLabel}
        </span>
        {datesText(e) && <span className="cpe-muted">{datesText(e)}</span>}
        <span>
          <CreditStatusTag status={e.status} />
        </span>
        {reasonLine(e)}
        <EntryActions e={e} />
      </div>
    ),
  },
  { title: '学时', dataIndex: 'hours', width: 56, align: 'right' },
];

/** 下载学时证明: a range of years (one by default, the year on screen), the signed PDF the server makes. */
function ProofModal({
  open,
  years,
  year,
  onClose,
}: {
  open: boolean;
  years: number[];
  year: number;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [range, setRange] = useState<{ from: number; to: number }>({ from: year, to: year });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const options = years.map((y) => ({ value: y, label: `${y}年度` }));

  const onOk = async () => {
    setError(null);
    const parsed = ZCreditProofQuery.safeParse({ yearFrom: range.from, yearTo: range.to });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? '年度不正确');
      return;
    }
    setBusy(true);
    try {
      const name =
        range.from === range.to ? `${range.to}年度学时证明.pdf` : `${range.from}—${range.to}年度学时证明.pdf`;
      await downloadFile(creditProofUrl(range.from, range.to), name);
      message.success('学时证明已下载，请在浏览器的下载中查看');
      onClose();
    } catch (err) {
      if (!isUnauthenticated(err)) setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open={open}
      title="下载学时证明"
      okText="下载"
      cancelText="取消"
      onOk={onOk}
      okButtonProps={{ loading: busy, icon: <DownloadOutlined /> }}
      onCancel={onClose}
      afterOpenChange={(visible) => {
        if (visible) {
          setRange({ from: year, to: year });
          setError(null);
        }
      }}
    >
      <p className="cpe-muted">学时证明列出所选年度已认定的学时，加盖电子签章，可通过证书查验核验真伪。</p>
      <div className="cpe-credit-proof-range">
        <Select<number>
          aria-label="起始年度"
          value={range.from}
          options={options}
          onChange={(from) => setRange((r) => ({ from, to: Math.max(from, r.to) }))}
        />
        <span>至</span>
        <Select<number>
          aria-label="截止年度"
          value={range.to}
          options={options}
          onChange={(to) => setRange((r) => ({ from: Math.min(r.from, to), to }))}
        />
      </div>
      {error && <Alert className="cpe-credit-proof-error" type="error" showIcon title={error} />}
    </Modal>
  );
}

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
      {y.pendingHours > 0 && (
        <p className="cpe-credit-pending" data-testid="credit-pending">
          另有{y.pendingHours}学时待确认/认定
        </p>
      )}
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

/**
 * 学时档案 (portal /credits): the signed-in person's 学时 by year, against the yearly 90 (专业科目 at least 60), every
 * entry whatever its status with its history, 学时登记 and 下载学时证明. `?year=` picks the year shown.
 */
export function CreditRecordPage() {
  const site = useSite().data;
  usePageTitle('学时档案', site?.name);
  const credits = useMyCredits();
  const thisYear = platformYear();
  const [params, setParams] = useSearchParams();
  const [proofOpen, setProofOpen] = useState(false);
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;

  const years = credits.data?.years ?? [];
  const asked = Number(params.get('year'));
  const picked = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : null;
  const year = picked ?? (years.some((y) => y.year === thisYear) ? thisYear : (years[0]?.year ?? thisYear));
  const summary: TCreditYear = years.find((y) => y.year === year) ?? {
    year,
    hours: 0,
    publicHours: 0,
    professionalHours: 0,
    met: false,
    pendingHours: 0,
  };
  const listed = years.some((y) => y.year === year) ? years : [summary, ...years].sort((a, b) => b.year - a.year);
  const entries = (credits.data?.items ?? []).filter((e) => e.year === year);
  const setYear = (y: number) => setParams({ year: String(y) }, { replace: true });

  return (
    <div className="cpe-cert-page cpe-credit-page">
      <div className="cpe-credit-head">
        <h1 className="cpe-cert-title">
          <FieldTimeOutlined /> 学时档案
        </h1>
        <div className="cpe-credit-tools">
          {credits.isSuccess && (
            <div className="cpe-credit-year">
              <span aria-hidden="true">年度</span>
              <Select<number>
                aria-label="年度"
                value={year}
                onChange={setYear}
                style={{ width: 120 }}
                options={listed.map((y) => ({ value: y.year, label: `${y.year}年度` }))}
              />
            </div>
          )}
          <Link to="/credits/claim">
            <Button type="primary" icon={<FormOutlined />}>
              学时登记
            </Button>
          </Link>
          <Button icon={<DownloadOutlined />} onClick={() => setProofOpen(true)} disabled={!credits.isSuccess}>
            下载学时证明
          </Button>
        </div>
      </div>
      <Alert
        className="cpe-cert-note"
        type="info"
        showIcon
        title={`专业技术人员每年参加继续教育不少于 ${CREDIT_YEARLY_TARGET} 学时，其中专业科目一般不少于三分之二（${CREDIT_PROFESSIONAL_MIN} 学时）。`}
        description={
          <ul className="cpe-credit-sources">
            <li>公需科目：完成学习计划后发放合格证书时自动记入；</li>
            <li>专业科目：高研班结业审核通过后自动记入。</li>
            <li>学术会议、进修访学等其他学习：点击“学时登记”提交，经工作单位确认、人社部门认定后记入。</li>
          </ul>
        }
      />
      {credits.isPending ? (
        <Skeleton active />
      ) : credits.isError ? (
        <Alert
          type="error"
          showIcon
          title={toApiError(credits.error).message}
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
                    <div className="cpe-credit-empty-actions">
                      <Link to="/gxkm">
                        <Button type="primary">进入公需科目</Button>
                      </Link>
                      <Link to="/credits/claim">
                        <Button>学时登记</Button>
                      </Link>
                    </div>
                  )}
                </Empty>
              ) : (
                <Table<TCreditEntry>
                  rowKey="id"
                  size="small"
                  pagination={false}
                  scroll={narrow ? undefined : { x: 820 }}
                  dataSource={entries}
                  columns={narrow ? NARROW_COLUMNS : WIDE_COLUMNS}
                  onRow={(e) => ({ 'data-status': e.status }) as HTMLAttributes<HTMLElement>}
                  expandable={{
                    expandedRowRender: (e) => <EntryDetail e={e} />,
                    columnWidth: 40,
                  }}
                />
              )}
            </Card>
          </section>
        </>
      )}
      <ProofModal
        open={proofOpen}
        year={year}
        years={Array.from(new Set([thisYear, ...years.map((y) => y.year)])).sort((a, b) => b - a)}
        onClose={() => setProofOpen(false)}
      />
    </div>
  );
}
