import { DeleteOutlined, EditOutlined, PlusOutlined, SearchOutlined } from '@ant-design/icons';
import { formatDuration } from '@cpe/shared/schemas/courses';
import { Alert, App, Breadcrumb, Button, Empty, Input, Result, Space, Table, Tag, Typography } from 'antd';
import type { ColumnsType, SorterResult } from 'antd/es/table/interface';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { type CourseQuery, type CourseSummary, courseCoverUrl, useCourses, useDeleteCourse } from '../api';
import { CourseDrawer } from '../components/CourseDrawer';
import '../courses-admin.css';

/** 课程管理 (console route /courses; 培训中心运营 and 系统管理员): the 公需科目 courses plans are made of. */
export function CoursesPage() {
  const site = useSite().data;
  usePageTitle('课程管理', site?.staffConsoleName);
  const { message, modal } = App.useApp();
  const [query, setQuery] = useState<CourseQuery>({ page: 1, pageSize: 20, sort: 'updatedAt', order: 'desc' });
  const [search, setSearch] = useState('');
  const list = useCourses(query);
  const remove = useDeleteCourse();
  // `open` apart from the id, so the drawer keeps its content while it slides away.
  const [drawer, setDrawer] = useState<{ open: boolean; id: string | null; key: number }>({
    open: false,
    id: null,
    key: 0,
  });
  const openDrawer = (id: string | null) => setDrawer((d) => ({ open: true, id, key: d.key + 1 }));

  const confirmDelete = (c: CourseSummary) =>
    modal.confirm({
      title: `删除课程“${c.title}”？`,
      content:
        c.planCount > 0
          ? `该课程已被 ${c.planCount} 个学习计划使用，需先在学习计划管理中移除后才能删除。`
          : `课程及其 ${c.chapterCount} 个章节、防挂机题库将一并删除，删除后不可恢复。`,
      okText: '删除',
      okButtonProps: { danger: true, disabled: c.planCount > 0 },
      cancelText: '取消',
      focusable: { autoFocusButton: 'cancel' },
      onOk: async () => {
        try {
          await remove.mutateAsync(c.id);
          message.success('课程已删除');
        } catch (err) {
          if (!isUnauthenticated(err)) message.error(toApiError(err).message);
        }
      },
    });

  const sortOrder = (field: string) =>
    query.sort === field ? (query.order === 'asc' ? ('ascend' as const) : ('descend' as const)) : null;

  const columns: ColumnsType<CourseSummary> = [
    {
      title: '课程名称',
      dataIndex: 'title',
      key: 'title',
      sorter: true,
      sortOrder: sortOrder('title'),
      render: (_v, c) => (
        <div className="cpe-course-cell">
          {c.coverFileId ? (
            <img className="cpe-course-thumb" src={courseCoverUrl(c.coverFileId)} alt="" />
          ) : (
            <div className="cpe-course-thumb cpe-course-thumb-empty" aria-hidden>
              课
            </div>
          )}
          <div style={{ minWidth: 0 }}>
            <Typography.Link onClick={() => openDrawer(c.id)} className="cpe-course-title">
              {c.title}
            </Typography.Link>
            {c.description && (
              <Typography.Text type="secondary" ellipsis className="cpe-course-desc">
                {c.description}
              </Typography.Text>
            )}
          </div>
        </div>
      ),
    },
    { title: '主讲教师', dataIndex: 'teacher', width: 110 },
    {
      title: '学时',
      dataIndex: 'hours',
      key: 'hours',
      width: 80,
      align: 'right',
      sorter: true,
      sortOrder: sortOrder('hours'),
    },
    {
      title: '章节',
      dataIndex: 'chapterCount',
      width: 70,
      align: 'right',
      render: (n: number) => (n === 0 ? <Tag color="warning">无章节</Tag> : n),
    },
    {
      title: '总时长',
      dataIndex: 'totalSeconds',
      width: 90,
      align: 'right',
      render: (s: number) => <span className="cpe-num">{formatDuration(s)}</span>,
    },
    {
      title: '使用计划',
      dataIndex: 'planCount',
      width: 90,
      align: 'right',
      render: (n: number) => (n > 0 ? <Tag color="blue">{n} 个</Tag> : <span className="cpe-muted">未使用</span>),
    },
    {
      title: '更新时间',
      dataIndex: 'updatedAt',
      key: 'updatedAt',
      width: 150,
      sorter: true,
      sortOrder: sortOrder('updatedAt'),
      render: (v: string) => <span className="cpe-num">{formatDateTime(v).slice(0, 16)}</span>,
    },
    {
      title: '操作',
      key: 'action',
      width: 130,
      fixed: 'right',
      render: (_v, c) => (
        <Space size={4}>
          <Button type="link" size="small" icon={<EditOutlined />} onClick={() => openDrawer(c.id)}>
            编辑
          </Button>
          <Button type="link" size="small" danger icon={<DeleteOutlined />} onClick={() => confirmDelete(c)}>
            删除
          </Button>
        </Space>
      ),
    },
  ];

  if (errorCode(list.error) === 'FORBIDDEN')
    return (
      <div className="cpe-console-page">
        <Result status="403" title="没有权限" subTitle="课程管理仅限培训中心运营和系统管理员使用。" />
      </div>
    );
  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '公需科目' }, { title: '课程管理' }]}
      />
      <div className="cpe-console-panel">
        <div className="cpe-course-toolbar">
          <Input.Search
            allowClear
            maxLength={100}
            placeholder="课程名称 / 主讲教师"
            enterButton={<Button icon={<SearchOutlined />}>搜索</Button>}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={(v) => setQuery((q) => ({ ...q, q: v.trim() || undefined, page: 1 }))}
            style={{ maxWidth: 420 }}
            aria-label="搜索课程名称或主讲教师"
          />
          <Button type="primary" icon={<PlusOutlined />} onClick={() => openDrawer(null)}>
            新增课程
          </Button>
        </div>
        {error && (
          <Alert
            type="error"
            showIcon
            title={error.message}
            action={
              <Button size="small" onClick={() => list.refetch()}>
                重试
              </Button>
            }
            style={{ marginBottom: 12 }}
          />
        )}
        <Table<CourseSummary>
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 980 }}
          locale={{
            emptyText: (
              <Empty
                description={query.q ? `没有与“${query.q}”匹配的课程` : '还没有课程，点击“新增课程”开始建设课程库'}
              />
            ),
          }}
          onChange={(pagination, _filters, sorter) => {
            const s = sorter as SorterResult<CourseSummary>;
            const field = s.order ? (s.columnKey as CourseQuery['sort']) : 'updatedAt';
            setQuery((q) => ({
              ...q,
              page: pagination.current ?? 1,
              pageSize: pagination.pageSize ?? 20,
              sort: field,
              order: s.order === 'ascend' ? 'asc' : 'desc',
            }));
          }}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
            total: list.data?.total ?? 0,
            showSizeChanger: true,
            showTotal: (t) => `共 ${t} 门课程`,
          }}
        />
      </div>
      <CourseDrawer
        key={drawer.key}
        open={drawer.open}
        courseId={drawer.id}
        onClose={() => setDrawer((d) => ({ ...d, open: false }))}
        onCreated={(id) => setDrawer((d) => ({ ...d, id }))}
      />
    </div>
  );
}
