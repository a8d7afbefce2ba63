import { PaperClipOutlined, PlusOutlined } from '@ant-design/icons';
import {
  NOTICE_AUDIENCE_LABELS,
  NOTICE_STATUS_LABELS,
  NOTICE_STATUSES,
  type TNoticeAdmin,
  type TNoticeStatus,
} from '@cpe/shared/schemas/notices';
import { Alert, App, Button, Input, Modal, Result, Select, Space, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import {
  adminNoticeAttachmentUrl,
  useAdminNotices,
  useDeleteNotice,
  usePublishNotice,
  useWithdrawNotice,
} from '../api';
import { NoticeBodyPreview, NoticeEditor } from '../components/NoticeEditor';
import '../notices.css';

const STATUS_COLORS: Record<TNoticeStatus, string> = {
  draft: 'default',
  scheduled: 'gold',
  published: 'green',
  withdrawn: 'red',
};

/** 通知公告 (console /notices): search, filter, write, preview, publish, withdraw, delete drafts. */
export function NoticesAdminPage() {
  const site = useSite().data;
  usePageTitle('通知公告', site?.staffConsoleName);
  const [q, setQ] = useState<string | undefined>();
  const [status, setStatus] = useState<TNoticeStatus | undefined>();
  const [order, setOrder] = useState<'asc' | 'desc'>('desc');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const list = useAdminNotices({ q, status, order, page, pageSize });
  const publish = usePublishNotice();
  const withdraw = useWithdrawNotice();
  const remove = useDeleteNotice();
  const showError = useShowApiError();
  const { modal, message } = App.useApp();
  const [editing, setEditing] = useState<{ open: boolean; notice: TNoticeAdmin | null }>({ open: false, notice: null });
  const [preview, setPreview] = useState<TNoticeAdmin | null>(null);

  if (list.isError && !isUnauthenticated(list.error)) {
    const forbidden = errorCode(list.error) === 'FORBIDDEN';
    return (
      <Result
        status={forbidden ? '403' : 'error'}
        title={forbidden ? '没有权限' : '加载失败'}
        subTitle={forbidden ? '通知公告由系统管理员、培训中心和人社局审核人员管理' : toApiError(list.error).message}
      />
    );
  }
  const scope = list.data?.scope ?? null;

  const confirm = (title: string, content: string, okText: string, run: () => Promise<unknown>, done: string) =>
    modal.confirm({
      title,
      content,
      okText,
      cancelText: '取消',
      okButtonProps: okText === '删除' || okText === '撤回' ? { danger: true } : undefined,
      onOk: () =>
        run().then(
          () => void message.success(done),
          (err) => showError(err),
        ),
    });

  const columns: ColumnsType<TNoticeAdmin> = [
    {
      title: '标题',
      dataIndex: 'title',
      render: (title: string, n) => (
        <Space size={4} wrap>
          {n.pinned && <Tag color="red">置顶</Tag>}
          <Button type="link" className="cpe-notice-title-link" onClick={() => setPreview(n)}>
            {title}
          </Button>
          {n.attachments.length > 0 && <PaperClipOutlined aria-label="有附件" />}
        </Space>
      ),
    },
    {
      title: '发布范围',
      width: 130,
      render: (_: unknown, n) =>
        n.audience === 'district' ? (n.districtName ?? n.districtCode) : NOTICE_AUDIENCE_LABELS[n.audience],
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 96,
      render: (s: TNoticeStatus) => <Tag color={STATUS_COLORS[s]}>{NOTICE_STATUS_LABELS[s]}</Tag>,
    },
    {
      title: '发布时间',
      dataIndex: 'publishAt',
      width: 170,
      sorter: true,
      sortOrder: order === 'asc' ? 'ascend' : 'descend',
      sortDirections: ['descend', 'ascend', 'descend'],
      render: (v: string, n) => (
        <>
          {formatDateTime(v).slice(0, 16)}
          {n.withdrawAt && <div className="cpe-notice-muted">撤回：{formatDateTime(n.withdrawAt).slice(0, 16)}</div>}
        </>
      ),
    },
    { title: '最后修改', dataIndex: 'updatedByName', width: 100, render: (v: string | null) => v ?? '—' },
    {
      title: '操作',
      key: 'actions',
      width: 190,
      render: (_: unknown, n) => (
        <Space size={0} wrap>
          <Button type="link" size="small" onClick={() => setEditing({ open: true, notice: n })}>
            编辑
          </Button>
          <Button type="link" size="small" onClick={() => setPreview(n)}>
            预览
          </Button>
          {(n.status === 'draft' || n.status === 'withdrawn') && (
            <Button
              type="link"
              size="small"
              onClick={() =>
                confirm(
                  `确认发布“${n.title}”？`,
                  '发布后将按发布范围在门户显示（发布时间未到则到时显示）。',
                  '发布',
                  () => publish.mutateAsync(n.id),
                  '已发布',
                )
              }
            >
              发布
            </Button>
          )}
          {(n.status === 'published' || n.status === 'scheduled') && (
            <Button
              type="link"
              size="small"
              danger
              onClick={() =>
                confirm(
                  `确认撤回“${n.title}”？`,
                  '撤回后门户立即不再显示该通知公告。',
                  '撤回',
                  () => withdraw.mutateAsync(n.id),
                  '已撤回',
                )
              }
            >
              撤回
            </Button>
          )}
          {n.status === 'draft' && (
            <Button
              type="link"
              size="small"
              danger
              onClick={() =>
                confirm(
                  `确认删除草稿“${n.title}”？`,
                  '删除后不可恢复。',
                  '删除',
                  () => remove.mutateAsync(n.id),
                  '已删除',
                )
              }
            >
              删除
            </Button>
          )}
        </Space>
      ),
    },
  ];

  return (
    <div className="cpe-notices-admin">
      <div className="cpe-notices-admin-head">
        <h2>通知公告</h2>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing({ open: true, notice: null })}>
          新增通知公告
        </Button>
      </div>
      {scope && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message={`您可以向${scope.districtName}所辖范围发布通知公告，列表仅显示本区县的通知公告。`}
        />
      )}
      <Space wrap style={{ marginBottom: 12 }}>
        <Input.Search
          allowClear
          placeholder="按标题搜索"
          aria-label="按标题搜索"
          style={{ width: 260 }}
          onSearch={(v) => {
            setQ(v || undefined);
            setPage(1);
          }}
        />
        <Select
          allowClear
          placeholder="全部状态"
          aria-label="状态"
          style={{ width: 140 }}
          value={status}
          onChange={(v) => {
            setStatus(v);
            setPage(1);
          }}
          options={NOTICE_STATUSES.map((s) => ({ value: s, label: NOTICE_STATUS_LABELS[s] }))}
        />
      </Space>
      <Table<TNoticeAdmin>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        columns={columns}
        dataSource={list.data?.items ?? []}
        scroll={{ x: 900 }}
        locale={{ emptyText: '暂无通知公告' }}
        onChange={(_p, _f, sorter) => {
          const s = Array.isArray(sorter) ? sorter[0] : sorter;
          setOrder(s?.order === 'ascend' ? 'asc' : 'desc');
        }}
        pagination={{
          current: page,
          pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (t) => `共 ${t} 条`,
          onChange: (p, s) => {
            setPage(p);
            setPageSize(s);
          },
        }}
      />
      <NoticeEditor
        open={editing.open}
        notice={editing.notice}
        scope={scope}
        onClose={() => setEditing({ open: false, notice: null })}
      />
      <Modal open={!!preview} title="预览" width={820} footer={null} onCancel={() => setPreview(null)} destroyOnHidden>
        {preview && (
          <article className="cpe-notice-article">
            <h1>{preview.title}</h1>
            <p className="cpe-notice-meta">
              发布时间：{formatDateTime(preview.publishAt)}　发布范围：
              {preview.audience === 'district' ? preview.districtName : NOTICE_AUDIENCE_LABELS[preview.audience]}
              　状态：
              {NOTICE_STATUS_LABELS[preview.status]}
            </p>
            <NoticeBodyPreview source={preview.body} />
            {preview.attachments.length > 0 && (
              <ul className="cpe-notice-attachments">
                {preview.attachments.map((a) => (
                  <li key={a.id}>
                    <PaperClipOutlined /> <a href={adminNoticeAttachmentUrl(a.id)}>{a.name}</a>
                  </li>
                ))}
              </ul>
            )}
          </article>
        )}
      </Modal>
    </div>
  );
}
