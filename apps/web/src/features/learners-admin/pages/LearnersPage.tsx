import { SearchOutlined, UndoOutlined } from '@ant-design/icons';
import { LEARNER_SORT_LABELS, LEARNER_SORTS } from '@cpe/shared/schemas/learners';
import { ID_TYPE_LABELS } from '@cpe/shared/validators/id-document';
import { Alert, Breadcrumb, Button, Empty, Form, Input, Result, Select, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { listPagination } from '../../../shared/listPagination';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useLearners } from '../api';
import type { Learner, LearnerQuery, LearnerSort } from '../types';

const SORT_OPTIONS = LEARNER_SORTS.map((s) => ({ value: s, label: LEARNER_SORT_LABELS[s] }));
const SEARCH_HINT = '姓名/证件号码/手机号';

const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** The list's state lives in the address: back, refresh and a shared link keep the search and the page. */
function queryOf(params: URLSearchParams): LearnerQuery {
  const sort = params.get('sort');
  return {
    q: params.get('q')?.trim().slice(0, 50) || undefined,
    sort: LEARNER_SORTS.includes(sort as LearnerSort) ? (sort as LearnerSort) : undefined,
    page: positive(params.get('page'), 1),
    pageSize: Math.min(100, positive(params.get('pageSize'), 20)),
  };
}

function paramsOf(q: LearnerQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.q) p.set('q', q.q);
  if (q.sort && q.sort !== 'createdAt:desc') p.set('sort', q.sort);
  if (q.page && q.page > 1) p.set('page', String(q.page));
  if (q.pageSize && q.pageSize !== 20) p.set('pageSize', String(q.pageSize));
  return p;
}

const mono = { fontVariantNumeric: 'tabular-nums' } as const;

export function LockTag({ locked }: { locked: boolean }) {
  return locked ? <Tag color="error">锁定</Tag> : null;
}

/** 学员管理 (console route /learners; 培训中心运营 and 系统管理员): find a person, open their record. */
export function LearnersPage() {
  const site = useSite().data;
  usePageTitle('学员管理', site?.staffConsoleName);
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: parsed again only when the address changes
  const query = useMemo(() => queryOf(params), [search]);
  const list = useLearners(query);
  const [form] = Form.useForm<{ q?: string; sort?: LearnerSort }>();

  useEffect(() => {
    form.setFieldsValue({ q: query.q ?? '', sort: query.sort ?? 'createdAt:desc' });
  }, [form, query]);

  const go = (next: LearnerQuery) => setParams(paramsOf(next));
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 20;
  const data = list.data;

  const columns: ColumnsType<Learner> = [
    {
      title: '姓名',
      dataIndex: 'realName',
      width: 120,
      render: (v: string, r) => (
        <span>
          <Link to={`/learners/${r.id}`}>{v}</Link> <LockTag locked={r.locked} />
        </span>
      ),
    },
    { title: '用户账号', dataIndex: 'username', width: 140, ellipsis: true },
    {
      title: '证件号码',
      dataIndex: 'idNumberMasked',
      width: 176,
      // Most people hold a 身份证; another document is named under its number.
      render: (v: string, r) => (
        <>
          <span style={mono}>{v}</span>
          {r.idType !== 'idCard' && <div className="cpe-muted">{ID_TYPE_LABELS[r.idType]}</div>}
        </>
      ),
    },
    {
      title: '手机号码',
      dataIndex: 'phoneMasked',
      width: 120,
      render: (v: string | null) =>
        v ? <span style={mono}>{v}</span> : <Typography.Text type="secondary">未绑定</Typography.Text>,
    },
    {
      title: '实名认证',
      dataIndex: 'realNameVerified',
      width: 84,
      render: (v: boolean) => (v ? <Tag color="success">已认证</Tag> : <Tag>未认证</Tag>),
    },
    { title: '订单', dataIndex: 'orderCount', width: 56, align: 'right' },
    { title: '学习计划', dataIndex: 'enrollmentCount', width: 76, align: 'right' },
    { title: '注册时间', dataIndex: 'createdAt', width: 160, render: (v: string) => formatDateTime(v) },
    {
      title: '操作',
      key: 'action',
      width: 56,
      fixed: 'right',
      align: 'center',
      render: (_v, r) => <Link to={`/learners/${r.id}`}>详情</Link>,
    },
  ];

  if (errorCode(list.error) === 'FORBIDDEN')
    return (
      <div className="cpe-console-page">
        <Result status="403" title="没有权限" subTitle="学员管理仅限培训中心运营和系统管理员使用。" />
      </div>
    );

  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '公需科目' }, { title: '学员管理' }]}
      />
      <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
        <Form
          form={form}
          name="learnerSearch"
          layout="inline"
          size="small"
          style={{ rowGap: 8, marginBottom: 12 }}
          onFinish={(v) => go({ q: v.q?.trim() || undefined, sort: v.sort, page: 1, pageSize })}
          initialValues={{ q: query.q ?? '', sort: query.sort ?? 'createdAt:desc' }}
        >
          <Form.Item name="q" label="查询" rules={[{ max: 50, message: '搜索内容最多50个字' }]}>
            <Input allowClear maxLength={50} placeholder={SEARCH_HINT} style={{ width: 280 }} />
          </Form.Item>
          <Form.Item name="sort" label="排序">
            <Select options={SORT_OPTIONS} style={{ width: 170 }} />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              查询
            </Button>
          </Form.Item>
          <Form.Item>
            <Button icon={<UndoOutlined />} onClick={() => go({ pageSize })}>
              重置
            </Button>
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '0 0 8px' }}>
          输入完整的证件号码（身份证、港澳台居民居住证、外国人永久居留身份证）或11位手机号精确查找；其他内容按姓名或用户账号查找。证件号码和手机号均已脱敏显示。
        </Typography.Paragraph>

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

        <Table<Learner>
          rowKey="id"
          size="small"
          bordered
          columns={columns}
          dataSource={data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 960 }}
          locale={{
            emptyText: list.isPending ? (
              '加载中…'
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={query.q ? '没有符合条件的学员' : '暂无学员'} />
            ),
          }}
          pagination={listPagination({
            page,
            pageSize,
            total: data?.total ?? 0,
            onChange: (p, ps) => go({ ...query, page: p, pageSize: ps }),
          })}
        />
      </div>
    </div>
  );
}
