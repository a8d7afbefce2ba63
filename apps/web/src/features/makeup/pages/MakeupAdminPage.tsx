import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import {
  MAKEUP_EVIDENCE_LABELS,
  MAKEUP_FIRST_YEAR,
  MAKEUP_LAST_YEAR,
  MAKEUP_STATUS_LABELS,
  MAKEUP_STATUSES,
} from '@cpe/shared/schemas/makeup';
import {
  Alert,
  Breadcrumb,
  Button,
  Checkbox,
  Col,
  Empty,
  Form,
  Input,
  Result,
  Row,
  Select,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useState } from 'react';
import { Link } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useAdminMakeupRequests } from '../api';
import { MakeupDetailDrawer } from '../components/MakeupDetailDrawer';
import { minutes, StatusTag } from '../format';
import type { AdminMakeupQuery, AdminMakeupRequest, MakeupStatus } from '../types';
import '../makeup.css';
import { listPagination } from '../../../shared/listPagination';

interface FilterValues {
  status?: MakeupStatus;
  year?: number;
  name?: string;
  overdue?: boolean;
}

const YEARS = Array.from({ length: MAKEUP_LAST_YEAR - MAKEUP_FIRST_YEAR + 1 }, (_, i) => MAKEUP_LAST_YEAR - i);
const STATUS_OPTIONS = MAKEUP_STATUSES.map((s) => ({ value: s, label: MAKEUP_STATUS_LABELS[s] }));
const YEAR_OPTIONS = YEARS.map((y) => ({ value: y, label: `${y}年` }));

/** 补学审核 (console route /makeup-requests; 培训中心运营 and 系统管理员): 2011–2022 make-up study requests. */
export function MakeupAdminPage() {
  const site = useSite().data;
  usePageTitle('补学审核', site?.staffConsoleName);
  const [query, setQuery] = useState<AdminMakeupQuery>({ status: 'pending', page: 1, pageSize: 20 });
  const list = useAdminMakeupRequests(query);
  const [form] = Form.useForm<FilterValues>();
  // `open` apart from the id, so the drawer keeps its content while it slides away.
  const [drawer, setDrawer] = useState<{ open: boolean; id: string | null }>({ open: false, id: null });

  const onFilter = (v: FilterValues) =>
    setQuery({
      status: v.status,
      year: v.year,
      name: v.name?.trim() || undefined,
      overdue: v.overdue || undefined,
      page: 1,
      pageSize: query.pageSize,
    });
  const onReset = () => {
    form.resetFields();
    setQuery({ status: 'pending', page: 1, pageSize: query.pageSize });
  };

  const columns: ColumnsType<AdminMakeupRequest> = [
    {
      title: '姓名',
      key: 'learner',
      width: 170,
      render: (_v, r) => (
        <div style={{ lineHeight: 1.4 }}>
          <div>{r.learnerName}</div>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
            {r.idNumberMasked}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '手机号',
      dataIndex: 'phoneMasked',
      width: 120,
      render: (v: string | null) => <span style={{ fontVariantNumeric: 'tabular-nums' }}>{v ?? '—'}</span>,
    },
    { title: '补学年度', dataIndex: 'year', width: 84, render: (y: number) => `${y}年` },
    {
      title: '证明方式',
      dataIndex: 'evidenceKind',
      width: 96,
      render: (k: AdminMakeupRequest['evidenceKind']) => MAKEUP_EVIDENCE_LABELS[k],
    },
    { title: '状态', dataIndex: 'status', width: 84, render: (s: MakeupStatus) => <StatusTag status={s} /> },
    { title: '提交时间', dataIndex: 'submittedAt', width: 140, render: (v: string) => minutes(v) },
    {
      title: '审核期限',
      key: 'dueAt',
      width: 190,
      render: (_v, r) =>
        r.status !== 'pending' ? (
          <span className="cpe-muted">{minutes(r.decidedAt) ? `${minutes(r.decidedAt)} 已审核` : '—'}</span>
        ) : (
          <span className={r.overdue ? 'cpe-mk-overdue-text' : undefined}>
            {minutes(r.dueAt)}
            {r.overdue && (
              <Tag color="red" style={{ marginInlineStart: 6 }}>
                已超期
              </Tag>
            )}
          </span>
        ),
    },
    {
      title: '操作',
      key: 'action',
      width: 72,
      fixed: 'right',
      align: 'center',
      render: (_v, r) => (
        <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setDrawer({ open: true, id: r.id })}>
          {r.status === 'pending' ? '审核' : '详情'}
        </Button>
      ),
    },
  ];

  if (errorCode(list.error) === 'FORBIDDEN')
    return (
      <div className="cpe-console-page">
        <Result status="403" title="没有权限" subTitle="补学审核仅限培训中心运营和系统管理员使用。" />
      </div>
    );

  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;
  const data = list.data;
  const col = { xs: 24, sm: 12, xl: 6 };

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '公需科目' }, { title: '补学审核' }]}
      />
      <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
        <Form<FilterValues>
          form={form}
          name="makeupFilter"
          labelCol={{ flex: '5em' }}
          wrapperCol={{ flex: '1 1 0', style: { minWidth: 0 } }}
          size="small"
          onFinish={onFilter}
          initialValues={{ status: 'pending' }}
        >
          <Row gutter={[16, 0]}>
            <Col {...col}>
              <Form.Item label="状态" name="status">
                <Select placeholder="全部状态" allowClear options={STATUS_OPTIONS} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label="年度" name="year">
                <Select placeholder="全部年度" allowClear options={YEAR_OPTIONS} />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item label="姓名" name="name">
                <Input maxLength={30} allowClear placeholder="学员姓名" />
              </Form.Item>
            </Col>
            <Col {...col}>
              <Form.Item name="overdue" valuePropName="checked" wrapperCol={{ flex: '1 1 0' }}>
                <Checkbox>仅看超期</Checkbox>
              </Form.Item>
            </Col>
            <Col span={24}>
              <div style={{ display: 'flex', justifyContent: 'flex-end', gap: 8, marginBottom: 12 }}>
                <Button type="primary" size="small" htmlType="submit" icon={<SearchOutlined />}>
                  筛选
                </Button>
                <Button size="small" icon={<UndoOutlined />} onClick={onReset}>
                  重置
                </Button>
              </div>
            </Col>
          </Row>
        </Form>

        <Alert
          style={{ marginBottom: 12 }}
          type="info"
          showIcon
          title="学员提交补学申请后，请在3个工作日内完成审核；审核通过即为学员免费开通该年度公需科目学习。超期未审核的申请以红色标出。"
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

        <Table<AdminMakeupRequest>
          rowKey="id"
          size="small"
          bordered
          columns={columns}
          dataSource={data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 960 }}
          rowClassName={(r) => (r.overdue && r.status === 'pending' ? 'cpe-mk-overdue' : '')}
          onRow={(r) => ({ 'data-name': r.learnerName, 'data-status': r.status }) as HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: list.isPending ? (
              '加载中…'
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的补学申请" />
            ),
          }}
          pagination={listPagination({
            page: query.page ?? 1,
            pageSize: query.pageSize ?? 20,
            total: data?.total ?? 0,
            onChange: (page, pageSize) => setQuery({ ...query, page, pageSize }),
          })}
        />
      </div>
      <MakeupDetailDrawer id={drawer.id} open={drawer.open} onClose={() => setDrawer((d) => ({ ...d, open: false }))} />
    </div>
  );
}
