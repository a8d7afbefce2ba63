import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Empty, Result, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useSavePlan, useTrainingPlans } from '../api';
import { PlanEditor } from '../components/PlanEditor';
import { PlanStatusTag } from '../components/PlanStatus';
import { formatFen } from '../money';
import type { Plan, PlanInput } from '../types';
import '../purchase-admin.css';

/** A plan as the body PUT /api/training-plans/:id takes: 发布 / 下架 saves it with only `published` changed. */
function inputOf(plan: Plan, published: boolean): PlanInput {
  return {
    name: plan.name,
    year: plan.year,
    priceFen: plan.priceFen,
    requiredHours: plan.requiredHours,
    saleFrom: plan.saleFrom,
    saleTo: plan.saleTo,
    description: plan.description,
    coverFileId: plan.coverFileId,
    courseIds: plan.courses.map((c) => c.id),
    published,
  };
}

/** 学习计划管理 (console route /training-plans; 培训中心运营 and 系统管理员): the 公需科目 plans sold on the portal. */
export function PlansPage() {
  const site = useSite().data;
  usePageTitle('学习计划管理', site?.staffConsoleName);
  const { message, modal } = App.useApp();
  const list = useTrainingPlans();
  const save = useSavePlan();
  // `open` apart from `plan`, so the drawer keeps its content while it slides away; each opening is a
  // fresh editor (`seq` as its key), never the values left from the last one.
  const [editor, setEditor] = useState<{ open: boolean; plan: Plan | null; seq: number }>({
    open: false,
    plan: null,
    seq: 0,
  });
  const [toggling, setToggling] = useState<string | null>(null);

  const openEditor = (plan: Plan | null) => setEditor((e) => ({ open: true, plan, seq: e.seq + 1 }));

  const setPublished = async (plan: Plan, published: boolean) => {
    setToggling(plan.id);
    try {
      await save.mutateAsync({ id: plan.id, input: inputOf(plan, published) });
      message.success(published ? `已发布「${plan.name}」` : `已下架「${plan.name}」`);
    } catch (err) {
      if (!isUnauthenticated(err)) {
        const e = toApiError(err);
        // A plan that no longer passes the rules (e.g. saved before they tightened): say which, then 编辑.
        message.error(e.fields ? `${Object.values(e.fields)[0]}，请先编辑学习计划` : e.message);
      }
    } finally {
      setToggling(null);
    }
  };

  const confirmToggle = (plan: Plan) => {
    const publish = !plan.published;
    const short = plan.totalHours < plan.requiredHours;
    modal.confirm({
      title: publish ? `发布「${plan.name}」？` : `下架「${plan.name}」？`,
      content: publish
        ? `发布后门户可见，在销售期（${formatDateTime(plan.saleFrom)} 至 ${formatDateTime(plan.saleTo)}）内可以购买。${
            short ? `注意：课程学时合计 ${plan.totalHours} 学时，低于要求学时 ${plan.requiredHours} 学时。` : ''
          }`
        : '下架后门户不再展示该计划，也不能再下单；已下单的订单不受影响。',
      okText: publish ? '发布' : '下架',
      okButtonProps: { danger: !publish },
      cancelText: '取消',
      // Enter right after 下架 keeps the plan on sale: taking it off needs a deliberate choice.
      focusable: { autoFocusButton: publish ? 'ok' : 'cancel' },
      onOk: () => setPublished(plan, publish),
    });
  };

  const columns: ColumnsType<Plan> = [
    { title: '计划名称', dataIndex: 'name' },
    { title: '年度', dataIndex: 'year', width: 72, align: 'center' },
    { title: '价格', dataIndex: 'priceFen', width: 108, align: 'right', render: (fen: number) => formatFen(fen) },
    { title: '要求学时', dataIndex: 'requiredHours', width: 88, align: 'right' },
    {
      title: '课程学时合计',
      dataIndex: 'totalHours',
      width: 112,
      align: 'right',
      render: (total: number, p) =>
        total < p.requiredHours ? (
          <span className="cpe-plan-short" title={`低于要求学时 ${p.requiredHours} 学时`}>
            {total}（不足）
          </span>
        ) : (
          total
        ),
    },
    {
      title: '销售期',
      key: 'sale',
      width: 168,
      render: (_v, p) => (
        <span className="cpe-plan-period">
          <span>{formatDateTime(p.saleFrom)}</span>
          <span>至 {formatDateTime(p.saleTo)}</span>
        </span>
      ),
    },
    { title: '状态', key: 'status', width: 84, render: (_v, p) => <PlanStatusTag plan={p} /> },
    {
      title: '操作',
      key: 'action',
      width: 116,
      fixed: 'right',
      render: (_v, p) => (
        <span className="cpe-plan-row-actions">
          <Button type="link" size="small" onClick={() => openEditor(p)} aria-label={`编辑「${p.name}」`}>
            编辑
          </Button>
          <Button
            type="link"
            size="small"
            danger={p.published}
            loading={toggling === p.id}
            disabled={toggling !== null && toggling !== p.id}
            onClick={() => confirmToggle(p)}
            aria-label={`${p.published ? '下架' : '发布'}「${p.name}」`}
          >
            {p.published ? '下架' : '发布'}
          </Button>
        </span>
      ),
    },
  ];

  if (list.isError && !isUnauthenticated(list.error)) {
    if (errorCode(list.error) === 'FORBIDDEN')
      return <Result status="403" title="没有权限" subTitle="学习计划管理仅限培训中心运营和系统管理员使用。" />;
    return (
      <Result
        status="error"
        title="加载失败"
        subTitle={toApiError(list.error).message}
        extra={<Button onClick={() => list.refetch()}>重试</Button>}
      />
    );
  }

  return (
    <div className="cpe-console-page">
      <h1 className="cpe-console-page-title">学习计划管理</h1>
      <div className="cpe-console-panel cpe-plan-panel">
        <div className="cpe-plan-toolbar">
          <span className="cpe-plan-hint">公需科目学习计划：发布后在门户展示，销售期内可以购买。</span>
          <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => openEditor(null)}>
            新增学习计划
          </Button>
        </div>
        <Table<Plan>
          rowKey="id"
          size="small"
          bordered
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 960 }}
          locale={{
            emptyText: list.isPending ? (
              '加载中…'
            ) : (
              <Empty description="还没有学习计划">
                <Button type="primary" icon={<PlusOutlined />} onClick={() => openEditor(null)}>
                  新增学习计划
                </Button>
              </Empty>
            ),
          }}
          pagination={{
            pageSize: 20,
            hideOnSinglePage: true,
            showTotal: (total) => `共 ${total} 个学习计划`,
            size: 'small',
          }}
        />
      </div>
      <PlanEditor
        key={editor.seq}
        open={editor.open}
        plan={editor.plan}
        onClose={() => setEditor((e) => ({ ...e, open: false }))}
      />
    </div>
  );
}
