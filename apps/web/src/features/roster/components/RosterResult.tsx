import { CheckCircleFilled, CloseCircleFilled, DownloadOutlined, UserAddOutlined } from '@ant-design/icons';
import { invalidRowsExpiredMessage, ROSTER_ROW_STATUS_LABELS, rosterExpiredMessage } from '@cpe/shared/schemas/roster';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Descriptions, Grid, Input, Progress, Result, Spin, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { downloadFile } from '../../../shared/api/download';
import { formatDateTime } from '../../../shared/format';
import { listPagination } from '../../../shared/listPagination';
import { reportUrl, rosterKey, useRoster, useStartImport } from '../api';
import type { RosterDetail, RosterRow, RosterRowStatus, RosterScope } from '../types';

export const ROW_STATUS: Record<RosterRowStatus, { label: string; color: string }> = {
  valid: { label: ROSTER_ROW_STATUS_LABELS.valid, color: 'success' },
  invalid: { label: ROSTER_ROW_STATUS_LABELS.invalid, color: 'error' },
  existing: { label: ROSTER_ROW_STATUS_LABELS.existing, color: 'default' },
  created: { label: ROSTER_ROW_STATUS_LABELS.created, color: 'processing' },
};

export const IMPORT_STATUS: Record<RosterDetail['status'], { label: string; color: string }> = {
  validated: { label: '待导入', color: 'warning' },
  importing: { label: '导入中', color: 'processing' },
  done: { label: '已完成', color: 'success' },
  expired: { label: '已过期', color: 'default' },
};

const TABS: Array<{ key: RosterRowStatus | 'all'; label: string }> = [
  { key: 'all', label: '全部' },
  { key: 'valid', label: ROSTER_ROW_STATUS_LABELS.valid },
  { key: 'invalid', label: ROSTER_ROW_STATUS_LABELS.invalid },
  { key: 'existing', label: ROSTER_ROW_STATUS_LABELS.existing },
  { key: 'created', label: ROSTER_ROW_STATUS_LABELS.created },
];

const COLUMNS: ColumnsType<RosterRow> = [
  { title: '行号', dataIndex: 'line', width: 64, align: 'center' },
  {
    title: '姓名',
    dataIndex: 'name',
    width: 120,
    render: (v: string) => v || <span className="cpe-muted">（空）</span>,
  },
  {
    title: '证件号码',
    dataIndex: 'idNumberMasked',
    width: 190,
    render: (v: string) => <span className="cpe-roster-mono">{v || '（空）'}</span>,
  },
  {
    title: '结果',
    dataIndex: 'status',
    width: 90,
    render: (s: RosterRowStatus) => <Tag color={ROW_STATUS[s].color}>{ROW_STATUS[s].label}</Tag>,
  },
  {
    title: '说明',
    dataIndex: 'reason',
    // Not the username: for these accounts it is the full ID number, which the table shows masked.
    render: (v: string | null, r) =>
      v ? (
        <span className={r.status === 'invalid' ? 'cpe-roster-reason is-error' : 'cpe-roster-reason'}>{v}</span>
      ) : null,
  },
];

const reasonOf = (r: RosterRow) =>
  r.reason ? (
    <span className={r.status === 'invalid' ? 'cpe-roster-reason is-error' : 'cpe-roster-reason'}>{r.reason}</span>
  ) : null;

/** Phones: the reason under the name, so it gets the row's width. */
const PHONE_COLUMNS: ColumnsType<RosterRow> = [
  { title: '行号', dataIndex: 'line', width: 48, align: 'center' },
  {
    title: '姓名 / 说明',
    key: 'name',
    render: (_: unknown, r) => (
      <div>
        <div>{r.name || <span className="cpe-muted">（空）</span>}</div>
        {reasonOf(r)}
      </div>
    ),
  },
  {
    title: '结果',
    dataIndex: 'status',
    width: 76,
    render: (s: RosterRowStatus) => <Tag color={ROW_STATUS[s].color}>{ROW_STATUS[s].label}</Tag>,
  },
];

/** One import: counts, 导入 with its progress, 下载结果报告, and the rows by status a page at a time. */
export function RosterResult({ scope, id }: { scope: RosterScope; id: string }) {
  const [tab, setTab] = useState<RosterRowStatus | 'all'>('all');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const status = tab === 'all' ? undefined : tab;
  const detail = useRoster(scope, id, { page, pageSize, status });
  const start = useStartImport(scope);
  const [downloading, setDownloading] = useState(false);
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const importStatus = detail.data?.status;
  const screens = Grid.useBreakpoint();

  // The list of imports shows each one's status and counts: refresh it as this one moves on.
  useEffect(() => {
    if (importStatus) void queryClient.invalidateQueries({ queryKey: [...rosterKey(scope), 'list'] });
  }, [importStatus, queryClient, scope]);

  if (detail.isPending) return <Spin className="cpe-roster-spin" />;
  if (detail.isError)
    return (
      <Result
        status="error"
        title="加载失败"
        subTitle={toApiError(detail.error).message}
        extra={<Button onClick={() => detail.refetch()}>重试</Button>}
      />
    );
  const d = detail.data;
  const toImport = d.valid - d.existingCount - d.createdCount;

  const onImport = () => {
    // The confirm dialog is imperative: the optional address lives in this closure until 确认导入.
    let notifyEmail = '';
    modal.confirm({
      title: `确认导入通过的${toImport}行？`,
      content: (
        <div className="cpe-roster-confirm">
          <p>
            将为{toImport}
            名学员创建账号，用户名为身份证号码，初始密码为edu@身份证号码后六位，首次登录须修改密码。未通过的行不会导入。已填写手机号码的学员会收到开通短信。
          </p>
          <label htmlFor="cpe-roster-notify-email">导入完成后通知邮箱（选填）</label>
          <Input
            id="cpe-roster-notify-email"
            type="email"
            maxLength={100}
            placeholder="例如 hr@example.com"
            onChange={(e) => {
              notifyEmail = e.target.value;
            }}
          />
        </div>
      ),
      okText: '确认导入',
      cancelText: '取消',
      onOk: async () => {
        try {
          await start.mutateAsync({ id: d.id, notifyEmail: notifyEmail.trim() || undefined });
        } catch (err) {
          const e = toApiError(err);
          // A mistyped address keeps the dialog open so it can be corrected; anything else closes it.
          if (e.fields?.notifyEmail) {
            message.error(e.fields.notifyEmail);
            throw err;
          }
          message.error(e.message);
          void detail.refetch();
        }
      },
    });
  };

  const onReport = async () => {
    setDownloading(true);
    try {
      await downloadFile(reportUrl(scope, d.id), '学员注册结果.xlsx');
    } catch (err) {
      if (!isUnauthenticated(err)) message.error(toApiError(err).message);
    } finally {
      setDownloading(false);
    }
  };

  const percent = Math.round(d.progress * 100);
  const h = d.header;
  const expiredNote = invalidRowsExpiredMessage(d.invalidRowsDays);
  return (
    <section className="cpe-roster-result" aria-labelledby="cpe-roster-result-title">
      <div className="cpe-roster-result-head">
        <h3 id="cpe-roster-result-title" className="cpe-roster-subtitle">
          校验结果 <Tag color={IMPORT_STATUS[d.status].color}>{IMPORT_STATUS[d.status].label}</Tag>
        </h3>
        <span className="cpe-muted">
          {d.fileName} · 上传于 {formatDateTime(d.createdAt)}
        </span>
      </div>
      {(h.unitName || h.district || h.contact || h.phone) && (
        <Descriptions
          className="cpe-roster-header"
          size="small"
          column={{ xs: 1, sm: 2, md: 4 }}
          items={[
            { key: 'unitName', label: '单位全称', children: h.unitName || '—' },
            { key: 'district', label: '区县', children: h.district || '—' },
            { key: 'contact', label: '联系人', children: h.contact || '—' },
            { key: 'phone', label: '联系电话', children: h.phone || '—' },
          ]}
        />
      )}
      <div className="cpe-roster-counts" data-testid="roster-counts" aria-live="polite">
        <span className="cpe-roster-count">
          总行数 <strong>{d.total}</strong>
        </span>
        <span className="cpe-roster-count is-valid">
          <CheckCircleFilled /> 通过 <strong>{d.valid}</strong>
        </span>
        <span className="cpe-roster-count is-invalid">
          <CloseCircleFilled /> 未通过 <strong>{d.invalid}</strong>
        </span>
        <span className="cpe-roster-count">
          已注册 <strong>{d.existingCount}</strong>
        </span>
        {(d.status === 'importing' || d.status === 'done') && (
          <span className="cpe-roster-count is-created">
            已创建 <strong>{d.createdCount}</strong>
          </span>
        )}
      </div>

      {d.status === 'validated' && d.invalid > 0 && (
        <Alert
          className="cpe-roster-alert"
          type="warning"
          showIcon
          title={`有${d.invalid}行未通过校验，不会导入。可修改后重新上传这些学员，或查看下方“未通过”的原因。`}
        />
      )}
      {d.status === 'validated' && (
        <p className="cpe-roster-note cpe-muted">
          请在上传后{d.invalidRowsDays}天内确认导入；逾期名单将过期，通过校验的行随之删除，须重新上传。
        </p>
      )}
      {d.status === 'expired' && (
        <Alert
          className="cpe-roster-alert"
          type="warning"
          showIcon
          data-testid="roster-expired"
          title={rosterExpiredMessage(d.invalidRowsDays)}
        />
      )}
      {d.status === 'importing' && (
        <div className="cpe-roster-progress" data-testid="roster-progress">
          <span>正在导入，请稍候…</span>
          <Progress percent={percent} status="active" />
        </div>
      )}
      {d.status === 'done' && (
        <Alert
          className="cpe-roster-alert"
          type="success"
          showIcon
          title={`导入完成：新建账号${d.createdCount}个，已注册${d.existingCount}个，未通过${d.invalid}行。`}
          description="新学员的用户名为身份证号码，初始密码为edu@身份证号码后六位，首次登录须修改密码。"
        />
      )}

      {d.invalidRowsExpired ? (
        <p className="cpe-roster-note cpe-muted" data-testid="roster-invalid-expired">
          {expiredNote}，未通过的行不再显示，也不在结果报告中。
        </p>
      ) : (
        d.invalid > 0 && (
          <p className="cpe-roster-note cpe-muted">
            未通过的行含证件号码和手机号码，上传后保存{d.invalidRowsDays}天，到期自动删除，届时也不再列入结果报告。
          </p>
        )
      )}

      <div className="cpe-roster-actions">
        {d.status === 'validated' && (
          <Button
            type="primary"
            icon={<UserAddOutlined />}
            disabled={toImport <= 0}
            loading={start.isPending}
            onClick={onImport}
          >
            导入通过的{toImport}行
          </Button>
        )}
        <Button icon={<DownloadOutlined />} loading={downloading} onClick={onReport}>
          下载结果报告
        </Button>
      </div>

      <Tabs
        className="cpe-roster-tabs"
        activeKey={tab}
        onChange={(k) => {
          setTab(k as RosterRowStatus | 'all');
          setPage(1);
        }}
        items={TABS.map((t) => ({ key: t.key, label: t.label }))}
      />
      <Table<RosterRow>
        className="cpe-roster-rows"
        size="small"
        rowKey="line"
        loading={detail.isFetching && detail.isPlaceholderData}
        dataSource={d.rows}
        columns={screens.sm === false ? PHONE_COLUMNS : COLUMNS}
        scroll={screens.sm === false ? undefined : { x: 640 }}
        locale={{
          emptyText:
            d.status === 'expired' && (tab === 'valid' || (tab === 'all' && d.rowsTotal === 0))
              ? rosterExpiredMessage(d.invalidRowsDays)
              : d.invalidRowsExpired && (tab === 'invalid' || d.rowsTotal === 0)
                ? expiredNote
                : '没有符合条件的行',
        }}
        pagination={listPagination({
          page,
          pageSize,
          total: d.rowsTotal,
          sizes: [20, 50, 100],
          unit: '行',
          small: false,
          onChange: (p, s) => {
            setPage(p);
            setPageSize(s);
          },
        })}
      />
    </section>
  );
}
