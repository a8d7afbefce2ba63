import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import {
  type TAdminTicket,
  TICKET_STATUS_LABELS,
  TICKET_STATUSES,
  TICKET_TOPIC_LABELS,
  TICKET_TOPICS,
  type TTicketStatus,
  type TTicketTopic,
} from '@cpe/shared/schemas/help';
import { Alert, Breadcrumb, Button, Col, Empty, Form, Input, Result, Row, Select, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useEffect } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { TicketStatusTag } from '../../help/components/common';
import { useSite } from '../../identity/api';
import { type AdminTicketFilter, useAdminTickets } from '../api';
import '../help-admin.css';
import { listPagination } from '../../../shared/listPagination';

type Tab = TTicketStatus | 'all';

/** The list's state lives in the URL (tab, filters, sort, page), so a reload or a link shows the same list. */
function readFilter(p: URLSearchParams): AdminTicketFilter & { tab: Tab } {
  const status = p.get('status');
  const tab: Tab =
    status === 'all' ? 'all' : TICKET_STATUSES.includes(status as TTicketStatus) ? (status as Tab) : 'open';
  const topic = p.get('topic');
  return {
    tab,
    status: tab === 'all' ? undefined : tab,
    topic: TICKET_TOPICS.includes(topic as TTicketTopic) ? (topic as TTicketTopic) : undefined,
    keyword: p.get('keyword') ?? undefined,
    sort: p.get('sort') === 'lastMessageAt:asc' ? 'lastMessageAt:asc' : 'lastMessageAt:desc',
    page: Math.max(1, Number(p.get('page')) || 1),
    pageSize: [10, 20, 50, 100].includes(Number(p.get('pageSize'))) ? Number(p.get('pageSize')) : 20,
  };
}

/** 在线客服 (console /tickets; 培训中心运营 and 系统管理员): learners' tickets by status. */
export function TicketsAdminPage() {
  const site = useSite().data;
  usePageTitle('在线客服', site?.staffConsoleName);
  const [params, setParams] = useSearchParams();
  const f = readFilter(params);
  const { tab, ...filter } = f;
  const list = useAdminTickets(filter);
  const navigate = useNavigate();
  const [form] = Form.useForm<{ topic?: TTicketTopic; keyword?: string }>();

  useEffect(() => form.setFieldsValue({ topic: f.topic, keyword: f.keyword }), [form, f.topic, f.keyword]);

  const update = (patch: Record<string, string | number | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(patch)) {
      if (v === undefined || v === '') next.delete(k);
      else next.set(k, String(v));
    }
    setParams(next);
  };

  const counts = list.data?.counts;
  const columns: ColumnsType<TAdminTicket> = [
    {
      title: '工单号',
      dataIndex: 'ticketNo',
      width: 130,
      render: (v: string, r) => <Link to={`/tickets/${r.id}`}>{v}</Link>,
    },
    {
      title: '标题',
      dataIndex: 'subject',
      ellipsis: true,
      render: (v: string, r) => (
        <>
          {r.awaitingStaff && (
            <Tag color="red" style={{ marginInlineEnd: 6 }}>
              待处理
            </Tag>
          )}
          {v}
        </>
      ),
    },
    { title: '咨询类别', dataIndex: 'topic', width: 110, render: (t: TTicketTopic) => TICKET_TOPIC_LABELS[t] },
    {
      title: '学员',
      key: 'learner',
      width: 150,
      render: (_v, r) => (
        <div style={{ lineHeight: 1.4 }}>
          <div>{r.learnerName}</div>
          <div className="cpe-muted" style={{ fontSize: 12 }}>
            {r.phoneMasked ?? r.username}
          </div>
        </div>
      ),
    },
    { title: '状态', dataIndex: 'status', width: 84, render: (s: TTicketStatus) => <TicketStatusTag status={s} /> },
    {
      title: '最后消息时间',
      dataIndex: 'lastMessageAt',
      width: 160,
      sorter: true,
      sortOrder: f.sort === 'lastMessageAt:asc' ? 'ascend' : 'descend',
      sortDirections: ['descend', 'ascend', 'descend'],
      render: (v: string) => formatDateTime(v).slice(0, 16),
    },
    { title: '处理人', dataIndex: 'assigneeName', width: 100, render: (v: string | null) => v ?? '—' },
    {
      title: '操作',
      key: 'action',
      width: 72,
      fixed: 'right',
      align: 'center',
      render: (_v, r) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => navigate(`/tickets/${r.id}`)}>
          {r.status === 'closed' ? '查看' : '回复'}
        </Button>
      ),
    },
  ];

  if (errorCode(list.error) === 'FORBIDDEN')
    return (
      <div className="cpe-console-page">
        <Result status="403" title="没有权限" subTitle="在线客服仅限培训中心运营和系统管理员使用。" />
      </div>
    );
  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;
  const label = (s: Tab, text: string) => `${text}${counts ? ` (${s === 'all' ? counts.all : counts[s]})` : ''}`;

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '咨询服务' }, { title: '在线客服' }]}
      />
      <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
        <Form
          form={form}
          name="ticketFilter"
          size="small"
          labelCol={{ flex: '5em' }}
          wrapperCol={{ flex: '1 1 0', style: { minWidth: 0 } }}
          onFinish={(v) => update({ topic: v.topic, keyword: v.keyword?.trim(), page: undefined })}
        >
          <Row gutter={[16, 0]}>
            <Col xs={24} sm={12} xl={8}>
              <Form.Item label="咨询类别" name="topic">
                <Select
                  allowClear
                  placeholder="全部类别"
                  options={TICKET_TOPICS.map((t) => ({ value: t, label: TICKET_TOPIC_LABELS[t] }))}
                />
              </Form.Item>
            </Col>
            <Col xs={24} sm={12} xl={8}>
              <Form.Item label="关键字" name="keyword">
                <Input allowClear maxLength={50} placeholder="工单号、标题、姓名或用户账号" />
              </Form.Item>
            </Col>
            <Col xs={24} xl={8}>
              <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8, marginBottom: 12 }}>
                <Button type="primary" size="small" htmlType="submit" icon={<SearchOutlined />}>
                  筛选
                </Button>
                <Button
                  size="small"
                  icon={<UndoOutlined />}
                  onClick={() => {
                    form.resetFields();
                    setParams(tab === 'open' ? {} : { status: tab });
                  }}
                >
                  重置
                </Button>
              </div>
            </Col>
          </Row>
        </Form>
        <Tabs
          activeKey={tab}
          onChange={(k) => update({ status: k === 'open' ? undefined : k, page: undefined })}
          items={[
            { key: 'open', label: label('open', TICKET_STATUS_LABELS.open) },
            { key: 'answered', label: label('answered', TICKET_STATUS_LABELS.answered) },
            { key: 'closed', label: label('closed', TICKET_STATUS_LABELS.closed) },
            { key: 'all', label: label('all', '全部') },
          ]}
        />
        {error && (
          <Alert
            style={{ marginBottom: 12 }}
            type="error"
            showIcon
            title={error.message}
            action={
              <Button size="small" onClick={() => list.refetch()}>
                重试
              </Button>
            }
          />
        )}
        <Table<TAdminTicket>
          rowKey="id"
          size="small"
          bordered
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 960 }}
          onRow={(r) => ({ 'data-ticket-no': r.ticketNo }) as HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: list.isPending ? (
              '加载中…'
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的咨询" />
            ),
          }}
          onChange={(p, _filters, sorter) => {
            const s = Array.isArray(sorter) ? sorter[0] : sorter;
            const sort = s?.order === 'ascend' ? 'lastMessageAt:asc' : undefined;
            const ps = p.pageSize ?? f.pageSize;
            update({
              sort,
              pageSize: ps === 20 ? undefined : ps,
              page:
                ps !== f.pageSize || sort !== (f.sort === 'lastMessageAt:asc' ? f.sort : undefined)
                  ? undefined
                  : p.current,
            });
          }}
          pagination={listPagination({ page: f.page, pageSize: f.pageSize, total: list.data?.total ?? 0 })}
        />
      </div>
    </div>
  );
}
