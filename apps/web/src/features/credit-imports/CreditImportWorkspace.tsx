import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from '@ant-design/icons';
import {
  CREDIT_IMPORT_MAX_BYTES,
  CREDIT_IMPORT_MAX_HOURS,
  CREDIT_IMPORT_MAX_ROWS,
  errorFileExpiredMessage,
  type TCreditImport,
} from '@cpe/shared/schemas/credit-import';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Grid, Progress, Table, Tag, Upload } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useRef, useState } from 'react';
import { isUnauthenticated, toApiError } from '../../shared/api/client';
import { downloadFile } from '../../shared/api/download';
import { formatDateTime } from '../../shared/format';
import { listPagination } from '../../shared/listPagination';
import {
  type CreditImportScope,
  creditImportsKey,
  creditImportTemplateUrl,
  type UploadError,
  uploadCreditImport,
  useCreditImports,
} from './api';
import './credit-imports.css';

const NOTES = [
  '每行一条学时记录（一名人员参加的一个项目），请使用模板，勿修改表头；',
  '姓名、身份证号码须与本人一致，身份证号码末位X须大写；',
  '类别填写“公需科目”或“专业科目”，学习形式从模板的下拉列表中选择；',
  `学时为1至${CREDIT_IMPORT_MAX_HOURS}之间的整数；结束日期格式为YYYY-MM-DD或Excel日期，学时计入结束日期所在年度；`,
  '同一人员、项目、类别、学习形式、学时、结束日期都相同的记录只导入一次，重复上传不会重复计入；',
  '未通过校验的行不导入：下载错误文件，按“错误原因”修改后重新上传即可。',
];
/** The notes' last line, with how long the error file is kept (the server's IMPORT_ERROR_FILE_DAYS). */
const keptNote = (days: number) => `错误文件含人员身份证号码，导入后保存${days}天，到期自动删除，请及时下载。`;

type Phase = { kind: 'idle' } | { kind: 'uploading'; percent: number } | { kind: 'checking' };

const statusTag = (i: TCreditImport) => (
  <Tag color={i.entryStatus === 'confirmed' ? 'success' : 'processing'}>{i.entryStatusLabel}</Tag>
);

/**
 * 学时批量导入 on either side: template, notes, upload with progress, the result of the upload (counts, error file)
 * and the earlier imports. The console's imports become 已认定; a base's (单位中心) 待认定.
 */
export function CreditImportWorkspace({ scope }: { scope: CreditImportScope }) {
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const queryClient = useQueryClient();
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const list = useCreditImports(scope, page, pageSize);
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<TCreditImport | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const abort = useRef<(() => void) | null>(null);
  const onConsole = scope === 'console';
  const blocked = list.data ? !list.data.canImport : false;
  const keptDays = list.data?.errorFileDays;

  const download = async (key: string, url: string, fallback: string) => {
    setBusy(key);
    try {
      await downloadFile(url, fallback);
    } catch (err) {
      if (!isUnauthenticated(err)) message.error(toApiError(err).message);
    } finally {
      setBusy(null);
    }
  };

  const send = async (file: File) => {
    setError(null);
    if (!/\.xlsx$/i.test(file.name)) {
      setError('请上传Excel文件（.xlsx），可先下载模板按模板填写');
      return;
    }
    if (file.size > CREDIT_IMPORT_MAX_BYTES) {
      setError('文件大小不能超过5M');
      return;
    }
    setResult(null);
    setPhase({ kind: 'uploading', percent: 0 });
    const up = uploadCreditImport(scope, file, (percent) =>
      setPhase(percent >= 100 ? { kind: 'checking' } : { kind: 'uploading', percent }),
    );
    abort.current = up.abort;
    try {
      const done = await up.done;
      setResult(done);
      setPage(1);
      await queryClient.invalidateQueries({ queryKey: creditImportsKey(scope) });
      requestAnimationFrame(() =>
        document.getElementById('cpe-ci-result')?.scrollIntoView({ behavior: 'smooth', block: 'nearest' }),
      );
    } catch (err) {
      const e = err as UploadError;
      if (e.code !== 'ABORTED') setError(e.fields?.file ?? e.message);
    } finally {
      abort.current = null;
      setPhase({ kind: 'idle' });
    }
  };

  const errorButton = (i: TCreditImport, size: 'small' | 'middle' = 'small') =>
    i.errorFileExpired ? (
      <span className="cpe-muted">{keptDays ? errorFileExpiredMessage(keptDays) : '错误文件已超过保存期限被删除'}</span>
    ) : i.errorFileUrl ? (
      <Button
        size={size}
        type={size === 'small' ? 'link' : 'default'}
        danger={size !== 'small'}
        icon={<DownloadOutlined />}
        loading={busy === i.id}
        onClick={() => download(i.id, i.errorFileUrl as string, '学时导入-错误行.xlsx')}
      >
        下载错误文件
      </Button>
    ) : (
      <span className="cpe-muted">—</span>
    );

  const who = (i: TCreditImport) => (i.unitName ? `${i.unitName}（${i.actorName}）` : `培训中心（${i.actorName}）`);

  const wide: ColumnsType<TCreditImport> = [
    { title: '导入时间', dataIndex: 'createdAt', width: 150, render: (v: string) => formatDateTime(v) },
    { title: '文件名', dataIndex: 'filename', ellipsis: true },
    ...(onConsole
      ? [{ title: '导入方', key: 'who', ellipsis: true, render: (_: unknown, i: TCreditImport) => who(i) }]
      : []),
    { title: '学时状态', key: 'status', width: 88, render: (_: unknown, i: TCreditImport) => statusTag(i) },
    { title: '总行数', dataIndex: 'rows', width: 72, align: 'right' },
    { title: '新导入', dataIndex: 'imported', width: 72, align: 'right' },
    { title: '已存在', dataIndex: 'duplicates', width: 72, align: 'right' },
    {
      title: '未通过',
      dataIndex: 'errors',
      width: 72,
      align: 'right',
      render: (v: number) => (v > 0 ? <span className="cpe-ci-bad">{v}</span> : v),
    },
    { title: '错误文件', key: 'file', width: 150, render: (_: unknown, i: TCreditImport) => errorButton(i) },
  ];
  // Phones: one cell per import, so nothing scrolls sideways.
  const narrow: ColumnsType<TCreditImport> = [
    {
      title: '导入记录',
      key: 'one',
      render: (_: unknown, i: TCreditImport) => (
        <div className="cpe-ci-card">
          <div className="cpe-ci-card-name">{i.filename}</div>
          <div className="cpe-muted">
            {formatDateTime(i.createdAt)}
            {onConsole ? ` · ${who(i)}` : ''}
          </div>
          <div className="cpe-ci-card-counts">
            {statusTag(i)} 共{i.rows}行，新导入{i.imported}，已存在{i.duplicates}，
            <span className={i.errors > 0 ? 'cpe-ci-bad' : undefined}>未通过{i.errors}</span>
          </div>
          {(i.errorFileUrl || i.errorFileExpired) && errorButton(i)}
        </div>
      ),
    },
  ];

  const uploading = phase.kind !== 'idle';
  return (
    <div className="cpe-ci">
      <div className="cpe-ci-intro">
        <p className="cpe-ci-lead">
          {onConsole
            ? '下载模板，按模板填写人员的学时后上传。系统逐行校验，通过的行直接记入学时档案，记为“已认定”。'
            : '下载模板，填写本基地培训班学员的学时后上传。系统逐行校验，通过的行记入学员的学时档案，记为“待认定”，经基地所在区县人社局认定后计入。'}
        </p>
        <Button
          icon={<FileExcelOutlined />}
          loading={busy === 'template'}
          onClick={() => download('template', creditImportTemplateUrl(scope), '学时批量导入模板.xlsx')}
        >
          下载模板
        </Button>
      </div>
      {blocked && (
        <Alert
          type="warning"
          showIcon
          title={list.data?.notAllowedReason ?? '暂不能导入'}
          description="继续教育基地经市人社局认定、在有效期内，方可导入本基地培训班的学时。可在“继续教育基地申报”中申报。"
        />
      )}
      <Alert
        type="info"
        showIcon
        title="填写说明"
        description={
          <ol className="cpe-ci-notes">
            {NOTES.map((n) => (
              <li key={n}>{n}</li>
            ))}
            {keptDays && <li>{keptNote(keptDays)}</li>}
          </ol>
        }
      />
      {!blocked && (
        <div className="cpe-ci-upload">
          <Upload.Dragger
            accept=".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            multiple={false}
            showUploadList={false}
            disabled={uploading || list.isPending}
            beforeUpload={(file) => {
              void send(file);
              return false;
            }}
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{uploading ? '正在导入，请稍候…' : '点击或拖拽学时导入文件到此处上传'}</p>
            <p className="ant-upload-hint">
              仅支持按模板填写的Excel文件（.xlsx），大小不超过5M，每次最多{CREDIT_IMPORT_MAX_ROWS}行
            </p>
          </Upload.Dragger>
          {phase.kind !== 'idle' && (
            <div className="cpe-ci-progress" aria-live="polite">
              <Progress
                percent={phase.kind === 'checking' ? 100 : phase.percent}
                status={phase.kind === 'checking' ? 'active' : 'normal'}
                showInfo={phase.kind === 'uploading'}
              />
              <div className="cpe-ci-progress-row">
                <span className="cpe-muted">
                  {phase.kind === 'checking' ? '上传完成，正在逐行校验并导入…' : `正在上传 ${phase.percent}%`}
                </span>
                {phase.kind === 'uploading' && (
                  <Button size="small" onClick={() => abort.current?.()}>
                    取消上传
                  </Button>
                )}
              </div>
            </div>
          )}
          {error && (
            <div className="cpe-ci-error" role="alert">
              {error}
            </div>
          )}
        </div>
      )}

      <div id="cpe-ci-result">
        {result && (
          <section className="cpe-ci-result" aria-labelledby="cpe-ci-result-title" data-testid="credit-import-result">
            <div className="cpe-ci-result-head">
              <h3 id="cpe-ci-result-title" className="cpe-ci-subtitle">
                导入结果 {statusTag(result)}
              </h3>
              <span className="cpe-muted">
                {result.filename} · {formatDateTime(result.createdAt)}
              </span>
            </div>
            <div className="cpe-ci-counts">
              <span className="cpe-ci-count">
                总行数<strong>{result.rows}</strong>
              </span>
              <span className="cpe-ci-count is-good">
                新导入<strong>{result.imported}</strong>
              </span>
              <span className="cpe-ci-count">
                已存在<strong>{result.duplicates}</strong>
              </span>
              <span className={result.errors > 0 ? 'cpe-ci-count is-bad' : 'cpe-ci-count'}>
                未通过<strong>{result.errors}</strong>
              </span>
            </div>
            {result.errors > 0 ? (
              <Alert
                type="warning"
                showIcon
                title={`${result.errors} 行未通过校验，未导入`}
                description={
                  <div className="cpe-ci-alert-body">
                    <span>
                      请下载错误文件，按“错误原因”修改后重新上传；已导入的行不会重复计入。
                      {keptDays ? `错误文件含人员身份证号码，保存${keptDays}天后自动删除。` : ''}
                    </span>
                    {errorButton(result, 'middle')}
                  </div>
                }
              />
            ) : (
              <Alert type="success" showIcon title="全部行通过校验" />
            )}
            {result.duplicates > 0 && (
              <p className="cpe-ci-note">{result.duplicates} 行与已有学时记录相同（此前已导入），未重复计入。</p>
            )}
            {!onConsole && result.imported > 0 && (
              <p className="cpe-ci-note">新导入的学时为“待认定”，经基地所在区县人社局认定后计入学时档案。</p>
            )}
          </section>
        )}
      </div>

      <section className="cpe-ci-history" aria-labelledby="cpe-ci-history-title">
        <h3 id="cpe-ci-history-title" className="cpe-ci-subtitle">
          {onConsole ? '导入记录' : '本单位的导入记录'}
        </h3>
        <Table<TCreditImport>
          size="small"
          rowKey="id"
          loading={list.isPending || (list.isFetching && list.isPlaceholderData)}
          dataSource={list.data?.items ?? []}
          columns={screens.md === false ? narrow : wide}
          showHeader={screens.md !== false}
          scroll={screens.md === false ? undefined : { x: onConsole ? 980 : 820 }}
          locale={{
            emptyText: list.isError ? `加载失败：${toApiError(list.error).message}` : '暂无导入记录',
          }}
          rowClassName={(r) => (r.id === result?.id ? 'cpe-ci-row-current' : '')}
          pagination={{
            ...listPagination({
              page,
              pageSize,
              total: list.data?.total ?? 0,
              onChange: (p, s) => {
                setPage(p);
                setPageSize(s);
              },
            }),
            hideOnSinglePage: true,
          }}
        />
      </section>
    </div>
  );
}
