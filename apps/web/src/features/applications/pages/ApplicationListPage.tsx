import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { applicationType } from '@cpe/shared/applications/index';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Grid, Pagination, Result, Skeleton, Table, type TableColumnsType, Tag } from 'antd';
import { createContext, type HTMLAttributes, type ReactNode, useContext } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import {
  APPLICATIONS_KEY,
  applicationPdfUrl,
  useApplicationCandidates,
  useApplications,
  useApplicationTypes,
  useCreateApplication,
  useDeleteApplication,
  useWithdrawApplication,
} from '../api';
import { ApplicationStageTag } from '../components/StatusTag';
import type { ApplicationCandidate, ApplicationListItem, ApplicationTypeInfo } from '../types';
import '../applications.css';
import '../filing.css';

const PAGE_SIZE = 20;

/** How a type is filed: in yearly batches, under an approved project (开班方案 …), or at any time (基地申报). */
type Mode = 'batched' | 'child' | 'plain';

/** What each type's list calls its columns, and what its candidates block says. */
interface TypeView {
  nameTitle: string;
  /** 举办时间 column (null: none). */
  heldTitle: string | null;
  /** 承办单位 column (null: none). */
  hostTitle: string | null;
  year: boolean;
  /** 上报截止时间 (dueAt) and 逾期 (结业上报). */
  due: boolean;
  empty: string;
  /** Types with a parent: the block of approved projects above the list. */
  candidates?: { heading: string; heldLabel: string; button: string; empty: string };
}

const TYPE_VIEWS: Record<string, TypeView> = {
  'advanced-seminar': {
    nameTitle: '项目名称',
    heldTitle: '举办时间',
    hostTitle: '承办单位',
    year: true,
    due: false,
    empty: '暂无申报，点击“新增申报”开始填报',
  },
  'class-plan': {
    nameTitle: '项目名称',
    heldTitle: '举办时间',
    hostTitle: '承办单位',
    year: true,
    due: false,
    empty: '暂无开班方案，请在上方选择审核通过的项目上报',
    candidates: {
      heading: '审核通过的市级高级研修项目',
      heldLabel: '举办时间',
      button: '上报开班方案',
      empty: '暂无审核通过的市级高级研修项目。项目申报审核通过后，可在此上报开班方案。',
    },
  },
  'plan-change': {
    nameTitle: '项目名称',
    heldTitle: '变化后举办时间',
    hostTitle: null,
    year: true,
    due: false,
    empty: '暂无计划变化情况上报，请在上方选择开班方案上报',
    candidates: {
      heading: '审核通过的开班方案',
      heldLabel: '开班日期',
      button: '上报计划变化',
      empty: '暂无审核通过的开班方案。开班方案审核通过后，举办时间、地点、授课专家或日程安排有变化的，可在此上报。',
    },
  },
  completion: {
    nameTitle: '项目名称',
    heldTitle: null,
    hostTitle: null,
    year: true,
    due: true,
    empty: '暂无结业上报，请在上方选择开班方案上报',
    candidates: {
      heading: '审核通过的开班方案',
      heldLabel: '开班日期',
      button: '上报结业',
      empty: '暂无审核通过的开班方案。开班方案审核通过、结业日期之后，可在此上报结业。',
    },
  },
  'education-base': {
    nameTitle: '申报基地',
    heldTitle: null,
    hostTitle: '专业领域',
    year: true,
    due: false,
    empty: '暂无申报，点击“新增申报”开始填报',
  },
  'engineer-base': {
    nameTitle: '申报基地',
    heldTitle: null,
    hostTitle: '专业领域',
    year: true,
    due: false,
    empty: '暂无申报，点击“新增申报”开始填报',
  },
};
const DEFAULT_VIEW: TypeView = {
  nameTitle: '项目名称',
  heldTitle: '举办时间',
  hostTitle: '承办单位',
  year: true,
  due: false,
  empty: '暂无申报，点击“新增申报”开始填报',
};

/** A stored instant as its China date (YYYY-MM-DD). */
const dayOf = (iso: string | null | undefined) => formatDateTime(iso).slice(0, 10);

const numberText = (item: ApplicationListItem) => `编号: ${item.number ?? '提交后生成'}`;

/** The right of a record's header line: the batch's or the reviewer's deadline, or a report's own due date. */
function deadlineText(item: ApplicationListItem, mode: Mode): ReactNode {
  if (item.status === 'returned' && item.deadline) return `修改截止时间: ${formatDateTime(item.deadline)}`;
  if (item.dueAt)
    return (
      <span>
        上报截止时间: {dayOf(item.dueAt)}
        {item.overdue && (
          <Tag color="red" className="cpe-filing-overdue">
            逾期
          </Tag>
        )}
      </span>
    );
  if (mode === 'batched') return `申报截止时间: ${formatDateTime(item.deadline) || '—'}`;
  return null;
}

/** 举办时间 on two lines (from, 至 to): dates never break at their hyphens. */
const heldText = (from: string | null, to: string | null) =>
  from ? (
    <span className="cpe-app-dates">
      <span>{from}</span>
      {to && to !== from && <span>至 {to}</span>}
    </span>
  ) : (
    ''
  );
const nameOf = (item: ApplicationListItem) => item.projectName || <span className="cpe-muted">（未填写名称）</span>;

/** Why 新增申报 is closed, or null when the batch is open. */
function batchNotice(info: ApplicationTypeInfo | undefined): { closed: string | null; open: string | null } {
  const batch = info?.batch;
  if (!batch) return { closed: '本年度申报尚未开放', open: null };
  if (batch.open) return { closed: null, open: `${batch.year}年度申报截止时间：${formatDateTime(batch.deadline)}` };
  if (new Date(batch.opensAt).getTime() > Date.now())
    return { closed: `本年度申报尚未开放，开放时间：${formatDateTime(batch.opensAt)}`, open: null };
  return { closed: `本年度申报已截止（截止时间：${formatDateTime(batch.deadline)}）`, open: null };
}

/** The rows of the current page by key, for the row renderer (antd hands it only the key). */
const RowsContext = createContext<{ byKey: Map<string, ApplicationListItem>; columns: number; mode: Mode }>({
  byKey: new Map(),
  columns: 0,
  mode: 'batched',
});

/** The seed's record layout: a header line (编号 left, 申报截止时间 right) above each data row. */
function RecordRow(props: HTMLAttributes<HTMLTableRowElement> & { 'data-row-key'?: string }) {
  const { byKey, columns, mode } = useContext(RowsContext);
  const item = props['data-row-key'] ? byKey.get(props['data-row-key']) : undefined;
  if (!item) return <tr {...props} />;
  return (
    <>
      <tr className="cpe-app-record-head" data-testid="application-record-head">
        <td colSpan={columns}>
          <div className="cpe-app-record-line">
            <span>{numberText(item)}</span>
            <span>{deadlineText(item, mode)}</span>
          </div>
        </td>
      </tr>
      <tr {...props} />
    </>
  );
}

function RowActions({ item, basePath }: { item: ApplicationListItem; basePath: string }) {
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const withdraw = useWithdrawApplication();
  const remove = useDeleteApplication();
  const name = item.projectName || '该申报书';
  const fail = (err: unknown) => {
    const e = toApiError(err);
    if (!isUnauthenticated(e)) message.error(e.message);
  };
  return (
    <span className="cpe-app-actions">
      <Link to={`${basePath}/${item.id}?view=preview`}>预览</Link>
      {item.actions.edit && <Link to={`${basePath}/${item.id}`}>修改</Link>}
      {item.number && (
        <a href={applicationPdfUrl(item.id)} target="_blank" rel="noopener">
          PDF
        </a>
      )}
      {item.actions.withdraw && (
        <Button
          type="link"
          size="small"
          loading={withdraw.isPending}
          onClick={() =>
            modal.confirm({
              title: '确认撤回申报书？',
              content: `撤回“${name}”后可修改并重新提交；审核开始后不能撤回。`,
              okText: '撤回',
              cancelText: '取消',
              onOk: () =>
                withdraw.mutateAsync(item.id).then(
                  () => message.success('已撤回，可修改后重新提交'),
                  (err: unknown) => {
                    fail(err);
                    // APPLICATION_REVIEW_STARTED: read the list again, the row loses 撤回.
                    void queryClient.invalidateQueries({ queryKey: [...APPLICATIONS_KEY, 'list'] });
                  },
                ),
            })
          }
        >
          撤回
        </Button>
      )}
      {item.actions.delete && (
        <Button
          type="link"
          size="small"
          danger
          loading={remove.isPending}
          onClick={() =>
            modal.confirm({
              title: '确认删除该草稿？',
              content: `“${name}”删除后不可恢复。`,
              okText: '删除',
              okButtonProps: { danger: true },
              cancelText: '取消',
              onOk: () => remove.mutateAsync(item.id).then(() => message.success('已删除'), fail),
            })
          }
        >
          删除
        </Button>
      )}
    </span>
  );
}

/** Phones: one card per record, the same header line and actions. */
function RecordCards({
  items,
  basePath,
  view,
  mode,
}: {
  items: ApplicationListItem[];
  basePath: string;
  view: TypeView;
  mode: Mode;
}) {
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={view.empty} />;
  return (
    <ul className="cpe-app-cards">
      {items.map((item) => {
        const right = deadlineText(item, mode);
        return (
          <li key={item.id} className="cpe-app-card">
            <div className="cpe-app-card-head">
              <span>{numberText(item)}</span>
              {right && <span>{right}</span>}
            </div>
            <div className="cpe-app-card-title">
              <span>{nameOf(item)}</span>
              <ApplicationStageTag stage={item.stage} label={item.stageLabel} />
            </div>
            <dl className="cpe-app-card-facts">
              {view.year && (
                <>
                  <dt>年度</dt>
                  <dd>{item.year}</dd>
                </>
              )}
              {view.heldTitle && (
                <>
                  <dt>举办时间</dt>
                  <dd>{item.heldFrom ? heldText(item.heldFrom, item.heldTo) : '—'}</dd>
                </>
              )}
              {view.hostTitle && (
                <>
                  <dt>{view.hostTitle}</dt>
                  <dd>{item.hostUnit || '—'}</dd>
                </>
              )}
              <dt>提交时间</dt>
              <dd>{formatDateTime(item.submittedAt) || '未提交'}</dd>
            </dl>
            <RowActions item={item} basePath={basePath} />
          </li>
        );
      })}
    </ul>
  );
}

/**
 * 开班方案上报 / 计划变化情况上报 / 结业上报: the filer's approved projects this type follows, each with what
 * has been filed under it and its 上报 button (or why not now, in grey).
 */
function CandidateBlock({
  type,
  view,
  basePath,
  onFile,
  filing,
}: {
  type: string;
  view: NonNullable<TypeView['candidates']>;
  basePath: string;
  onFile: (parentId: string) => void;
  /** The candidate whose draft is being created. */
  filing: string | null;
}) {
  const q = useApplicationCandidates(type, true);
  let body: ReactNode;
  if (q.isPending) body = <Skeleton active paragraph={{ rows: 2 }} />;
  else if (q.isError)
    body = (
      <Alert
        type="error"
        showIcon
        title="审核通过的项目加载失败"
        description={toApiError(q.error).message}
        action={
          <Button size="small" onClick={() => q.refetch()}>
            重试
          </Button>
        }
      />
    );
  else if (q.data.items.length === 0)
    body = <Empty className="cpe-filing-empty" image={Empty.PRESENTED_IMAGE_SIMPLE} description={view.empty} />;
  else
    body = (
      <ul className="cpe-filing-candidates">
        {q.data.items.map((c) => (
          <CandidateItem
            key={c.id}
            candidate={c}
            view={view}
            basePath={basePath}
            onFile={onFile}
            loading={filing === c.id}
            busy={filing !== null}
          />
        ))}
      </ul>
    );
  return (
    <section className="cpe-filing-block" aria-labelledby={`candidates-${type}`}>
      <h3 className="cpe-filing-heading" id={`candidates-${type}`}>
        {view.heading}
      </h3>
      {body}
    </section>
  );
}

function CandidateItem({
  candidate: c,
  view,
  basePath,
  onFile,
  loading,
  busy,
}: {
  candidate: ApplicationCandidate;
  view: NonNullable<TypeView['candidates']>;
  basePath: string;
  onFile: (parentId: string) => void;
  loading: boolean;
  busy: boolean;
}) {
  const held = c.heldFrom ? (c.heldTo && c.heldTo !== c.heldFrom ? `${c.heldFrom} 至 ${c.heldTo}` : c.heldFrom) : '—';
  // A 开班方案 has its own 开班日期 and 结业日期; a 市级高级研修项目 its 举办时间.
  const dates =
    view.heldLabel === '开班日期' ? (
      <>
        <span>开班日期：{c.heldFrom ?? '—'}</span>
        <span>结业日期：{c.heldTo ?? '—'}</span>
      </>
    ) : (
      <span>
        {view.heldLabel}：{held}
      </span>
    );
  return (
    <li className="cpe-filing-candidate" data-testid="application-candidate">
      <div className="cpe-filing-candidate-main">
        <div className="cpe-filing-candidate-title">{c.projectName || '（未填写项目名称）'}</div>
        <div className="cpe-filing-candidate-facts">
          <span>编号：{c.number ?? '—'}</span>
          {dates}
          {c.hostUnit && <span>承办单位：{c.hostUnit}</span>}
          {c.dueAt && (
            <span>
              上报截止：{dayOf(c.dueAt)}
              {c.overdue && (
                <Tag color="red" className="cpe-filing-overdue">
                  逾期
                </Tag>
              )}
            </span>
          )}
        </div>
        {c.children.length > 0 && (
          <div className="cpe-filing-children">
            <span className="cpe-muted">已上报：</span>
            {c.children.map((child) => (
              <Link key={child.id} to={`${basePath}/${child.id}?view=preview`} className="cpe-filing-child">
                {child.number ?? '草稿'}
                <ApplicationStageTag stage={child.stage} label={child.stageLabel} />
              </Link>
            ))}
          </div>
        )}
      </div>
      <div className="cpe-filing-candidate-action">
        {c.canFile ? (
          <Button type="primary" loading={loading} disabled={busy && !loading} onClick={() => onFile(c.id)}>
            {view.button}
          </Button>
        ) : (
          <span className="cpe-filing-refusal">{c.refusal ?? '暂不能上报'}</span>
        )}
      </div>
    </li>
  );
}

/**
 * 我的申报 of one type, and the way to start one: 新增申报 while the year's batch is open (市级高级研修项目),
 * at any time (基地申报), or from an approved project listed above the records (开班方案 / 计划变化 / 结业).
 * The records carry 预览 / 修改 / 撤回 / 删除 as the server allows. `basePath` is where the form routes live
 * (`${basePath}/:id`). `layout` follows the two manuals: 单位中心 shows a 编号 / 申报截止时间 line above each
 * record (seed §2.3.1); the 内网 list has 申报截止时间 as its second column and a 刷新 button (seed §3.1).
 */
export function ApplicationListPage({
  type,
  basePath,
  layout = 'portal',
}: {
  type: string;
  basePath: string;
  layout?: 'portal' | 'console';
}) {
  const intranet = layout === 'console';
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const types = useApplicationTypes();
  const list = useApplications(type, page, PAGE_SIZE);
  const create = useCreateApplication();

  const info = types.data?.items.find((t) => t.key === type);
  const def = applicationType(type);
  const menuLabel = info?.menuLabel ?? def?.menuLabel ?? type;
  const batched = info?.batched ?? def?.batched ?? true;
  const parentType = info ? info.parentType : (def?.parent?.type ?? null);
  const mode: Mode = parentType ? 'child' : batched ? 'batched' : 'plain';
  const view = TYPE_VIEWS[type] ?? DEFAULT_VIEW;
  const notice = types.data && mode === 'batched' ? batchNotice(info) : { closed: null, open: null };
  const creatingFor =
    create.isPending && typeof create.variables === 'object' ? (create.variables.parentId ?? null) : null;

  const onCreate = async (parentId?: string) => {
    try {
      const detail = await create.mutateAsync(parentId ? { type, parentId } : type);
      navigate(`${basePath}/${detail.id}`);
    } catch (err) {
      const e = toApiError(err);
      if (!isUnauthenticated(e)) message.error(e.fields?.parentId ?? e.message);
      void types.refetch();
    }
  };

  // Dates over two lines (举办时间 from / to, 提交时间 date / time): the columns fit the 单位中心 content at
  // 1280 px without scrolling.
  const columns: TableColumnsType<ApplicationListItem> = [
    {
      key: 'index',
      title: '序号',
      width: 56,
      align: 'center',
      render: (_v, _r, i) => (page - 1) * PAGE_SIZE + i + 1,
    },
    ...(intranet && mode === 'batched'
      ? [
          {
            key: 'deadline',
            title: '申报截止时间',
            width: 108,
            render: (_v: unknown, r: ApplicationListItem) => formatDateTime(r.deadline),
          },
        ]
      : []),
    {
      key: 'projectName',
      title: view.nameTitle,
      render: (_v, r) =>
        intranet ? (
          <span className="cpe-app-dates">
            <span>{nameOf(r)}</span>
            <span className="cpe-muted">{numberText(r)}</span>
          </span>
        ) : (
          nameOf(r)
        ),
    },
    ...(view.year ? [{ key: 'year', title: '年度', dataIndex: 'year', width: 60, align: 'center' as const }] : []),
    ...(view.heldTitle
      ? [
          {
            key: 'held',
            title: view.heldTitle,
            width: 124,
            render: (_v: unknown, r: ApplicationListItem) => heldText(r.heldFrom, r.heldTo),
          },
        ]
      : []),
    ...(view.hostTitle ? [{ key: 'hostUnit', title: view.hostTitle, dataIndex: 'hostUnit' }] : []),
    ...(view.due && intranet
      ? [
          {
            key: 'due',
            title: '上报截止时间',
            width: 120,
            render: (_v: unknown, r: ApplicationListItem) =>
              r.dueAt ? (
                <span className="cpe-app-dates">
                  <span>{dayOf(r.dueAt)}</span>
                  {r.overdue && (
                    <span>
                      <Tag color="red">逾期</Tag>
                    </span>
                  )}
                </span>
              ) : (
                ''
              ),
          },
        ]
      : []),
    { key: 'submittedAt', title: '提交时间', width: 100, render: (_v, r) => formatDateTime(r.submittedAt) },
    {
      key: 'status',
      title: '状态',
      width: 112,
      render: (_v, r) => <ApplicationStageTag stage={r.stage} label={r.stageLabel} />,
    },
    { key: 'actions', title: '操作', width: 156, render: (_v, r) => <RowActions item={r} basePath={basePath} /> },
  ];

  const items = list.data?.items ?? [];
  const total = list.data?.total ?? 0;
  const setPage = (p: number) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (p > 1) next.set('page', String(p));
      else next.delete('page');
      return next;
    });

  return (
    <div className="cpe-app-page">
      <div className="cpe-app-page-head">
        <p className="cpe-app-current">{intranet ? menuLabel : `您当前选择的是：${menuLabel}`}</p>
        <div className="cpe-app-toolbar">
          {mode !== 'child' && (
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => onCreate()}
              loading={create.isPending}
              disabled={!types.data || Boolean(notice.closed)}
            >
              新增申报
            </Button>
          )}
          {intranet && (
            <Button
              icon={<ReloadOutlined />}
              onClick={() => {
                void list.refetch();
                void queryClient.invalidateQueries({ queryKey: [...APPLICATIONS_KEY, 'candidates'] });
              }}
              loading={list.isRefetching}
            >
              刷新
            </Button>
          )}
        </div>
      </div>
      {notice.closed && <Alert className="cpe-app-alert" type="warning" showIcon title={notice.closed} />}
      {notice.open && <div className="cpe-app-facts">{notice.open}</div>}
      {mode === 'child' && view.candidates && (
        <CandidateBlock
          type={type}
          view={view.candidates}
          basePath={basePath}
          onFile={(id) => void onCreate(id)}
          filing={creatingFor}
        />
      )}
      {mode === 'child' && <h3 className="cpe-filing-heading">{`已上报的${def?.label ?? menuLabel}`}</h3>}

      {list.isPending ? (
        <Skeleton active paragraph={{ rows: 6 }} />
      ) : list.isError ? (
        <Result
          status="error"
          title="加载失败"
          subTitle={toApiError(list.error).message}
          extra={<Button onClick={() => list.refetch()}>重试</Button>}
        />
      ) : screens.md === false ? (
        <>
          <RecordCards items={items} basePath={basePath} view={view} mode={mode} />
          {total > PAGE_SIZE && (
            <Pagination
              className="cpe-app-pagination"
              current={page}
              pageSize={PAGE_SIZE}
              total={total}
              onChange={setPage}
              simple
            />
          )}
        </>
      ) : (
        <RowsContext.Provider value={{ byKey: new Map(items.map((i) => [i.id, i])), columns: columns.length, mode }}>
          <Table<ApplicationListItem>
            className="cpe-app-table"
            size="middle"
            rowKey="id"
            columns={columns}
            dataSource={items}
            loading={list.isFetching && list.isPlaceholderData}
            components={intranet ? undefined : { body: { row: RecordRow } }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={view.empty} /> }}
            scroll={{ x: 800 }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total,
              onChange: setPage,
              showTotal: (n) => `共 ${n} 条`,
              hideOnSinglePage: true,
            }}
          />
        </RowsContext.Provider>
      )}
    </div>
  );
}
