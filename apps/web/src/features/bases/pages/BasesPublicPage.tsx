import { EnvironmentOutlined, FieldTimeOutlined, NumberOutlined } from '@ant-design/icons';
import { countiesUnder } from '@cpe/shared/areas/index';
import { BASE_KIND_VALUES, type TBaseKind, type TBasePublic } from '@cpe/shared/schemas/bases';
import { Alert, Breadcrumb, Button, Empty, Grid, Input, Pagination, Select, Spin, Table, Tabs } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { toApiError } from '../../../shared/api/client';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { usePublicBases } from '../api';
import { KIND_TABS, validity } from '../format';
import '../bases.css';

const COUNTY_OPTIONS = countiesUnder('50').map((c) => ({ value: c.code, label: c.name }));
const PAGE_SIZE = 10;

const columns: ColumnsType<TBasePublic> = [
  { title: '编号', dataIndex: 'number', width: 140 },
  { title: '单位名称', dataIndex: 'unitName' },
  { title: '专业领域', dataIndex: 'field', width: 200 },
  { title: '所在区县', dataIndex: 'areaName', width: 110 },
  {
    title: '有效期',
    key: 'validity',
    width: 230,
    render: (_v, b) => <span className="cpe-base-nowrap">{validity(b)}</span>,
  },
];

/** One base as a card on a phone: the table's columns do not fit 375 px. */
function BaseCard({ base }: { base: TBasePublic }) {
  return (
    <li className="cpe-base-card">
      <div className="cpe-base-card-name">{base.unitName}</div>
      {base.field && <div className="cpe-base-card-field">{base.field}</div>}
      <dl className="cpe-base-card-facts">
        <div>
          <dt>
            <NumberOutlined /> 编号
          </dt>
          <dd>{base.number}</dd>
        </div>
        <div>
          <dt>
            <EnvironmentOutlined /> 所在区县
          </dt>
          <dd>{base.areaName}</dd>
        </div>
        <div>
          <dt>
            <FieldTimeOutlined /> 有效期
          </dt>
          <dd>{validity(base)}</dd>
        </div>
      </dl>
    </li>
  );
}

/** 继续教育基地名单 (portal /bases, no login): the 继续教育基地 and 工程师基地 in force, searchable. */
export function BasesPublicPage() {
  const site = useSite().data;
  usePageTitle('继续教育基地名单', site?.name);
  const screens = Grid.useBreakpoint();
  const [params, setParams] = useSearchParams();
  const kindParam = params.get('kind');
  const kind: TBaseKind = BASE_KIND_VALUES.includes(kindParam as TBaseKind) ? (kindParam as TBaseKind) : 'education';
  const keyword = params.get('keyword') ?? '';
  const area = params.get('area') ?? undefined;
  const page = Math.max(1, Number(params.get('page')) || 1);
  const [draft, setDraft] = useState(keyword);
  useEffect(() => setDraft(keyword), [keyword]);

  const list = usePublicBases({ kind, keyword: keyword || undefined, area, page, pageSize: PAGE_SIZE });
  const items = list.data?.items ?? [];
  const filtered = Boolean(keyword || area);
  const label = KIND_TABS.find((t) => t.key === kind)?.label ?? '基地';

  /** Any change of tab or filter starts again at page 1. */
  const go = (next: { kind?: TBaseKind; keyword?: string; area?: string | null; page?: number }) => {
    const p = new URLSearchParams();
    const merged = {
      kind: next.kind ?? kind,
      keyword: next.keyword ?? keyword,
      area: next.area === null ? '' : (next.area ?? area ?? ''),
      page: next.page ?? 1,
    };
    if (merged.kind !== 'education') p.set('kind', merged.kind);
    if (merged.keyword.trim()) p.set('keyword', merged.keyword.trim());
    if (merged.area) p.set('area', merged.area);
    if (merged.page > 1) p.set('page', String(merged.page));
    setParams(p);
  };

  const empty = (
    <Empty
      description={filtered ? `没有符合条件的${label}，请调整搜索条件` : `暂无${label}`}
      image={Empty.PRESENTED_IMAGE_SIMPLE}
    >
      {filtered && <Button onClick={() => go({ keyword: '', area: null })}>清除搜索条件</Button>}
    </Empty>
  );

  return (
    <div className="cpe-base-page">
      <Breadcrumb
        className="cpe-base-breadcrumb"
        items={[{ title: <Link to="/">首页</Link> }, { title: '在线学习中心' }, { title: '继续教育基地名单' }]}
      />
      <header className="cpe-base-hero">
        <h1 className="cpe-base-title">继续教育基地名单</h1>
        <p className="cpe-base-lead">
          经主管部门、区县人社局审核，市人社局认定的专业技术人员继续教育基地和工程师基地，有效期三年。以下为有效期内的基地。
        </p>
      </header>
      <section className="cpe-base-panel">
        <Tabs
          activeKey={kind}
          onChange={(k) => go({ kind: k as TBaseKind, keyword: '', area: null })}
          items={KIND_TABS.map((t) => ({ key: t.key, label: t.label }))}
        />
        <div className="cpe-base-search">
          <Input.Search
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onSearch={(v) => go({ keyword: v })}
            placeholder="单位名称、编号或专业领域"
            allowClear
            enterButton="搜索"
            maxLength={50}
            aria-label="搜索基地"
            className="cpe-base-search-keyword"
          />
          <Select
            value={area}
            onChange={(v?: string) => go({ area: v ?? null })}
            options={COUNTY_OPTIONS}
            placeholder="所在区县（全部）"
            allowClear
            showSearch
            optionFilterProp="label"
            aria-label="所在区县"
            className="cpe-base-search-area"
          />
        </div>
        {list.isError ? (
          <Alert
            type="error"
            showIcon
            message={toApiError(list.error).message}
            action={
              <Button size="small" onClick={() => list.refetch()}>
                重试
              </Button>
            }
          />
        ) : screens.md ? (
          <Table<TBasePublic>
            rowKey="id"
            columns={columns}
            dataSource={items}
            loading={list.isFetching}
            locale={{ emptyText: list.isPending ? ' ' : empty }}
            pagination={{
              current: page,
              pageSize: PAGE_SIZE,
              total: list.data?.total ?? 0,
              showSizeChanger: false,
              showTotal: (t) => `共 ${t} 个${label}`,
              onChange: (p) => go({ page: p }),
            }}
          />
        ) : (
          <Spin spinning={list.isFetching}>
            {items.length === 0 ? (
              list.isPending ? (
                <div className="cpe-base-loading" />
              ) : (
                empty
              )
            ) : (
              <>
                <p className="cpe-base-total">
                  共 {list.data?.total ?? 0} 个{label}
                </p>
                <ul className="cpe-base-cards">
                  {items.map((b) => (
                    <BaseCard key={b.id} base={b} />
                  ))}
                </ul>
                <Pagination
                  className="cpe-base-pager"
                  simple
                  current={page}
                  pageSize={PAGE_SIZE}
                  total={list.data?.total ?? 0}
                  onChange={(p) => go({ page: p })}
                />
              </>
            )}
          </Spin>
        )}
      </section>
    </div>
  );
}
