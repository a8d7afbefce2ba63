import { SearchOutlined } from '@ant-design/icons';
import type { TCreditPerson } from '@cpe/shared/schemas/credit-admin';
import { Alert, Breadcrumb, Button, Empty, Form, Grid, Input, Result, Table, Tag, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useEffect, useMemo } from 'react';
import { Link, useSearchParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { listPagination } from '../../../shared/listPagination';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { type PeopleQuery, useCreditPeople } from '../api';
import { shownHours } from '../format';
import '../credits-stats.css';

const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** The search lives in the address: back from a record, refresh and a shared link keep it. */
function queryOf(params: URLSearchParams): PeopleQuery {
  return {
    keyword: params.get('keyword')?.trim().slice(0, 40) || undefined,
    page: positive(params.get('page'), 1),
    pageSize: Math.min(100, positive(params.get('pageSize'), 20)),
  };
}

function paramsOf(q: PeopleQuery): URLSearchParams {
  const p = new URLSearchParams();
  if (q.keyword) p.set('keyword', q.keyword);
  if (q.page > 1) p.set('page', String(q.page));
  if (q.pageSize !== 20) p.set('pageSize', String(q.pageSize));
  return p;
}

/** 学时查询与更正 (console route /credits-admin): find a person, open the record to read or correct it. */
export function CreditPeoplePage() {
  const site = useSite().data;
  usePageTitle('学时查询与更正', site?.staffConsoleName);
  const [params, setParams] = useSearchParams();
  const search = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: parsed again only when the address changes
  const query = useMemo(() => queryOf(params), [search]);
  const list = useCreditPeople(query);
  const narrow = Grid.useBreakpoint().md === false;
  const [form] = Form.useForm<{ keyword?: string }>();
  useEffect(() => form.setFieldsValue({ keyword: query.keyword ?? '' }), [form, query]);
  const go = (next: PeopleQuery) => setParams(paramsOf(next));
  const back = search ? `?${search}` : '';
  const data = list.data;

  const columns: ColumnsType<TCreditPerson> = [
    {
      title: '姓名',
      dataIndex: 'realName',
      width: 100,
      render: (v: string, r) => (
        <Link to={`/credits-admin/${r.accountId}`} state={{ back }}>
          {v}
        </Link>
      ),
    },
    {
      title: '证件号码',
      dataIndex: 'idNumberMasked',
      width: 180,
      render: (v: string) => <span className="cpe-cs-mono">{v}</span>,
    },
    {
      title: '手机号码',
      dataIndex: 'phoneMasked',
      width: 120,
      render: (v: string | null) =>
        v ? <span className="cpe-cs-mono">{v}</span> : <Typography.Text type="secondary">未绑定</Typography.Text>,
    },
    {
      title: '工作单位',
      dataIndex: 'unitName',
      ellipsis: true,
      render: (v: string | null) => v ?? <Typography.Text type="secondary">未设置</Typography.Text>,
    },
    {
      title: `${data?.items[0]?.year ?? ''}年度学时`,
      key: 'hours',
      width: 180,
      render: (_v, r) => (
        <span className="cpe-cs-mono">
          {shownHours(r.hours)}（公需 {shownHours(r.publicHours)} · 专业 {shownHours(r.professionalHours)}）
        </span>
      ),
    },
    {
      title: '是否达标',
      dataIndex: 'met',
      width: 86,
      render: (met: boolean) => (met ? <Tag color="success">达标</Tag> : <Tag color="warning">未达标</Tag>),
    },
    {
      title: '操作',
      key: 'action',
      width: 84,
      fixed: 'right',
      align: 'center',
      render: (_v, r) => (
        <Link to={`/credits-admin/${r.accountId}`} state={{ back }}>
          学时档案
        </Link>
      ),
    },
  ];

  // On a phone: one stacked cell per person and the link, nothing to scroll sideways.
  const narrowColumns: ColumnsType<TCreditPerson> = [
    {
      title: '人员',
      key: 'person',
      render: (_v, r) => (
        <div className="cpe-cs-cell">
          <Link to={`/credits-admin/${r.accountId}`} state={{ back }}>
            {r.realName}
          </Link>
          <span className="cpe-cs-mono cpe-muted">{r.idNumberMasked}</span>
          <span className="cpe-muted">{r.unitName ?? '未设置工作单位'}</span>
          <span>
            {r.year}年度 {shownHours(r.hours)} 学时{' '}
            {r.met ? <Tag color="success">达标</Tag> : <Tag color="warning">未达标</Tag>}
          </span>
        </div>
      ),
    },
  ];

  if (errorCode(list.error) === 'CREDIT_ADMIN_FORBIDDEN')
    return (
      <div className="cpe-console-page">
        <Result status="403" title="没有权限" subTitle={toApiError(list.error).message} />
      </div>
    );
  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '学时管理' }, { title: '学时查询与更正' }]}
      />
      <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
        <Form
          form={form}
          name="creditPeopleSearch"
          layout="inline"
          className="cpe-cs-search"
          onFinish={(v) => go({ keyword: v.keyword?.trim() || undefined, page: 1, pageSize: query.pageSize })}
          initialValues={{ keyword: query.keyword ?? '' }}
        >
          <Form.Item
            name="keyword"
            label="查询"
            rules={[
              { required: true, whitespace: true, message: '请输入姓名、证件号码或手机号' },
              { max: 40, message: '查询内容不能超过40个字' },
            ]}
          >
            <Input allowClear maxLength={40} placeholder="姓名/证件号码/手机号" aria-label="姓名、证件号码或手机号" />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              查询
            </Button>
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" className="cpe-cs-hint">
          输入完整的证件号码或11位手机号精确查找，其他内容按姓名查找。证件号码和手机号均已脱敏显示；如需查看完整证件号码，请到“学员管理”中由具有“查看完整身份信息”角色的人员查看（记入审计日志）。
        </Typography.Paragraph>
        {error && (
          <Alert
            className="cpe-cs-alert"
            type="error"
            showIcon
            title={error.fields ? Object.values(error.fields).join('；') : error.message}
            action={
              <Button size="small" onClick={() => list.refetch()}>
                重试
              </Button>
            }
          />
        )}
        {query.keyword ? (
          <Table<TCreditPerson>
            rowKey="accountId"
            size="small"
            bordered
            columns={narrow ? narrowColumns : columns}
            dataSource={data?.items ?? []}
            loading={list.isFetching}
            scroll={narrow ? undefined : { x: 960 }}
            onRow={(r) => ({ 'data-account': r.accountId }) as HTMLAttributes<HTMLElement>}
            locale={{
              emptyText: list.isPending ? (
                '加载中…'
              ) : (
                <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有符合条件的人员" />
              ),
            }}
            pagination={listPagination({
              page: query.page,
              pageSize: query.pageSize,
              total: data?.total ?? 0,
              unit: '人',
              onChange: (page, pageSize) => go({ ...query, page, pageSize }),
            })}
          />
        ) : (
          <Empty
            className="cpe-cs-start"
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description="请输入姓名、证件号码或手机号查询人员的学时档案"
          />
        )}
      </div>
    </div>
  );
}
