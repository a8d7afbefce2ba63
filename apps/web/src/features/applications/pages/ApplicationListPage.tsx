import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { applicationType } from '@cpe/shared/applications/index';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Grid, Pagination, Result, Skeleton, Table, type TableColumnsType } from 'antd';
import { createContext, type HTMLAttributes, useContext } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import {
  APPLICATIONS_KEY,
  applicationPdfUrl,
  useApplications,
  useApplicationTypes,
  useCreateApplication,
  useDeleteApplication,
  useWithdrawApplication,
} from '../api';
import { ApplicationStatusTag } from '../components/StatusTag';
import type { ApplicationListItem, ApplicationTypeInfo } from '../types';
import '../applications.css';

const PAGE_SIZE = 20;
const EMPTY_TEXT = '暂无申报，点击“新增申报”开始填报';

const numberText = (item: ApplicationListItem) => `编号: ${item.number ?? '提交后生成'}`;
const deadlineText = (item: ApplicationListItem) => `申报截止时间: ${formatDateTime(item.deadline) || '—'}`;
/** 举办时间 on two lines (from, 至 to): dates never break at their hyphens. */
const heldText = (item: ApplicationListItem) =>
  item.heldFrom ? (
    <span className="cpe-app-dates">
      <span>{item.heldFrom}</span>
      {item.heldTo && item.heldTo !== item.heldFrom && <span>至 {item.heldTo}</span>}
    </span>
  ) : (
    ''
  );
const nameOf = (item: ApplicationListItem) => item.projectName || <span className="cpe-muted">（未填写项目名称）</span>;

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
const RowsContext = createContext<{ byKey: Map<string, ApplicationListItem>; columns: number }>({
  byKey: new Map(),
  columns: 0,
});

/** The seed's record layout: a header line (编号 left, 申报截止时间 right) above each data row. */
function RecordRow(props: HTMLAttributes<HTMLTableRowElement> & { 'data-row-key'?: string }) {
  const { byKey, columns } = useContext(RowsContext);
  const item = props['data-row-key'] ? byKey.get(props['data-row-key']) : undefined;
  if (!item) return <tr {...props} />;
  return (
    <>
      <tr className="cpe-app-record-head" data-testid="application-record-head">
        <td colSpan={columns}>
          <div className="cpe-app-record-line">
            <span>{numberText(item)}</span>
            <span>{deadlineText(item)}</span>
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
function RecordCards({ items, basePath }: { items: ApplicationListItem[]; basePath: string }) {
  if (items.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={EMPTY_TEXT} />;
  return (
    <ul className="cpe-app-cards">
      {items.map((item) => (
        <li key={item.id} className="cpe-app-card">
          <div className="cpe-app-card-head">
            <span>{numberText(item)}</span>
            <span>{deadlineText(item)}</span>
          </div>
          <div className="cpe-app-card-title">
            <span>{nameOf(item)}</span>
            <ApplicationStatusTag status={item.status} />
          </div>
          <dl className="cpe-app-card-facts">
            <dt>年度</dt>
            <dd>{item.year}</dd>
            <dt>举办时间</dt>
            <dd>{item.heldFrom ? heldText(item) : '—'}</dd>
            <dt>承办单位</dt>
            <dd>{item.hostUnit || '—'}</dd>
            <dt>提交时间</dt>
            <dd>{formatDateTime(item.submittedAt) || '未提交'}</dd>
          </dl>
          <RowActions item={item} basePath={basePath} />
        </li>
      ))}
    </ul>
  );
}

/**
 * 我的申报 of one type: 新增申报 while the year's batch is open, and the records with 预览 / 修改 / 撤回 /
 * 删除 as the server allows. `basePath` is where the form routes live (`${basePath}/:id`).
 * `layout` follows the two manuals: 单位中心 shows a 编号 / 申报截止时间 line above each record (seed §2.3.1);
 * the 内网 list has 申报截止时间 as its second column and a 刷新 button (seed §3.1).
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
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page')) || 1);
  const types = useApplicationTypes();
  const list = useApplications(type, page, PAGE_SIZE);
  const create = useCreateApplication();

  const info = types.data?.items.find((t) => t.key === type);
  const menuLabel = info?.menuLabel ?? applicationType(type)?.menuLabel ?? type;
  const notice = types.data ? batchNotice(info) : { closed: null, open: null };

  const onCreate = async () => {
    try {
      const detail = await create.mutateAsync(type);
      navigate(`${basePath}/${detail.id}`);
    } catch (err) {
      const e = toApiError(err);
      if (!isUnauthenticated(e)) message.error(e.message);
      void types.refetch();
    }
  };

  // Dates over two lines (举办时间 from / to, 提交时间 date / time): the eight columns fit the 单位中心
  // content at 1280 px without scrolling.
  const columns: TableColumnsType<ApplicationListItem> = [
    {
      key: 'index',
      title: '序号',
      width: 56,
      align: 'center',
      render: (_v, _r, i) => (page - 1) * PAGE_SIZE + i + 1,
    },
    ...(intranet
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
      title: '项目名称',
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
    { key: 'year', title: '年度', dataIndex: 'year', width: 60, align: 'center' },
    { key: 'held', title: '举办时间', width: 124, render: (_v, r) => heldText(r) },
    { key: 'hostUnit', title: '承办单位', dataIndex: 'hostUnit' },
    { key: 'submittedAt', title: '提交时间', width: 100, render: (_v, r) => formatDateTime(r.submittedAt) },
    { key: 'status', title: '状态', width: 84, render: (_v, r) => <ApplicationStatusTag status={r.status} /> },
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
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={onCreate}
            loading={create.isPending}
            disabled={!types.data || Boolean(notice.closed)}
          >
            新增申报
          </Button>
          {intranet && (
            <Button icon={<ReloadOutlined />} onClick={() => void list.refetch()} loading={list.isRefetching}>
              刷新
            </Button>
          )}
        </div>
      </div>
      {notice.closed && <Alert className="cpe-app-alert" type="warning" showIcon title={notice.closed} />}
      {notice.open && <div className="cpe-app-facts">{notice.open}</div>}

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
          <RecordCards items={items} basePath={basePath} />
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
        <RowsContext.Provider value={{ byKey: new Map(items.map((i) => [i.id, i])), columns: columns.length }}>
          <Table<ApplicationListItem>
            className="cpe-app-table"
            size="middle"
            rowKey="id"
            columns={columns}
            dataSource={items}
            loading={list.isFetching && list.isPlaceholderData}
            components={intranet ? undefined : { body: { row: RecordRow } }}
            locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={EMPTY_TEXT} /> }}
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
