import { type TCreditReviewItem, ZCreditReturn } from '@cpe/shared/schemas/credits';
import { Alert, App, Badge, Button, Descriptions, Drawer, Form, Grid, Input, Modal, Table, Tabs } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useState } from 'react';
import { isUnauthenticated, toApiError } from '../../shared/api/client';
import { applyApiError } from '../../shared/api/form-errors';
import { zodRule } from '../../shared/form/rules';
import { formatDateTime } from '../../shared/format';
import { listPagination } from '../../shared/listPagination';
import { type UnitCreditClaimsQuery, unitCreditFileUrl, useDecideUnitCreditClaim, useUnitCreditClaims } from './api';
import { CreditHistory, CreditStatusTag, datesText, EvidenceList } from './parts';
import './credits.css';

type Tab = UnitCreditClaimsQuery['status'];
const TABS: Array<{ key: Tab; label: string; empty: string }> = [
  { key: 'pending', label: '待确认', empty: '暂无待确认的学时登记' },
  { key: 'done', label: '已处理', empty: '暂无已处理的学时登记' },
  { key: 'all', label: '全部', empty: '暂无学时登记' },
];

const reasonRule = zodRule(ZCreditReturn.shape.reason, '请填写退回原因');

/** 学时 as filed, and what the standard allowed then. */
const hoursText = (c: TCreditReviewItem) =>
  c.standardHours === null ? `${c.hours}学时` : `${c.hours}学时（上限${c.standardHours}学时）`;

/** 退回 asks for the reason the person reads in 学时档案 (不予认定). */
function ReturnModal({ target, onClose }: { target: TCreditReviewItem | null; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const decide = useDecideUnitCreditClaim();
  const { message } = App.useApp();

  const onOk = async () => {
    if (!target) return;
    const { reason } = await form.validateFields();
    try {
      await decide.mutateAsync({ id: target.id, action: 'return', reason: reason.trim() });
      message.success(`已退回${target.holderName}的学时登记`);
      onClose();
    } catch (err) {
      if (isUnauthenticated(err)) return;
      const rest = applyApiError(err, form);
      if (rest) message.error(rest);
      // Decided meanwhile (withdrawn, or by another administrator): the list is fetched again, nothing left here.
      if (toApiError(err).status !== 400) onClose();
    }
  };

  return (
    <Modal
      open={!!target}
      title={`退回${target?.holderName ?? ''}的学时登记`}
      okText="确认退回"
      okButtonProps={{ danger: true, loading: decide.isPending }}
      cancelText="取消"
      onOk={onOk}
      onCancel={onClose}
      afterClose={() => form.resetFields()}
      forceRender
    >
      <p className="cpe-muted">
        退回后该学时登记为“不予认定”，本人会在学时档案中看到退回原因，可修改后重新提交。
        {target ? `（${target.title}，${target.hours}学时）` : ''}
      </p>
      <Form form={form} layout="vertical" name="credit-claim-return">
        <Form.Item label="退回原因" name="reason" rules={[reasonRule]}>
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="请填写退回原因（2-200个字）" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One 学时登记: the person, the claim, the evidence (pictures shown, PDFs as links) and its history. */
function ClaimDrawer({
  claim,
  onClose,
  onConfirm,
  onReturn,
  busy,
}: {
  claim: TCreditReviewItem | null;
  onClose: () => void;
  onConfirm: (c: TCreditReviewItem) => void;
  onReturn: (c: TCreditReviewItem) => void;
  busy: boolean;
}) {
  const screens = Grid.useBreakpoint();
  const c = claim;
  return (
    <Drawer
      title="学时登记详情"
      open={!!c}
      onClose={onClose}
      size={screens.md === false ? '100%' : 640}
      className="cpe-credit-drawer"
      footer={
        c?.status === 'pending-unit' ? (
          <div className="cpe-credit-drawer-actions">
            <Button danger onClick={() => onReturn(c)} disabled={busy}>
              退回
            </Button>
            <Button type="primary" onClick={() => onConfirm(c)} loading={busy}>
              确认
            </Button>
          </div>
        ) : null
      }
    >
      {c && (
        <>
          <Descriptions
            size="small"
            bordered
            column={1}
            styles={{ label: { width: 96 } }}
            items={[
              { key: 'name', label: '姓名', children: c.holderName },
              { key: 'id', label: '证件号码', children: c.idNumberMasked },
              { key: 'status', label: '状态', children: <CreditStatusTag status={c.status} /> },
              { key: 'form', label: '学习形式', children: `${c.form}（${c.categoryLabel}）` },
              { key: 'title', label: '项目名称', children: c.title },
              { key: 'host', label: '主办单位', children: c.host ?? '—' },
              { key: 'dates', label: '起止日期', children: datesText(c) || '—' },
              { key: 'hours', label: '学时', children: hoursText(c) },
              { key: 'content', label: '学习内容', children: <span className="cpe-credit-content">{c.content}</span> },
              { key: 'at', label: '提交时间', children: formatDateTime(c.createdAt) },
              ...(c.reason
                ? [
                    {
                      key: 'reason',
                      label: '退回原因',
                      children: <span className="cpe-credit-reason">{c.reason}</span>,
                    },
                  ]
                : []),
            ]}
          />
          <h3 className="cpe-credit-drawer-title">证明材料</h3>
          <EvidenceList files={c.evidence} urlOf={(fileId) => unitCreditFileUrl(c.id, fileId)} inline />
          <h3 className="cpe-credit-drawer-title">处理记录</h3>
          <CreditHistory events={c.events} />
        </>
      )}
    </Drawer>
  );
}

/**
 * 单位中心 → 学时审核: the 学时登记 of the unit's people waiting for the unit (确认 sends them on to the bureau's 认定,
 * 退回 makes them 不予认定 with a reason), those it has decided and all of them; a search by 姓名 / 项目名称, pages, and a
 * drawer with the evidence.
 */
export function UnitCreditClaims() {
  const [q, setQ] = useState<UnitCreditClaimsQuery>({ status: 'pending', page: 1, pageSize: 20 });
  const [openId, setOpenId] = useState<string | null>(null);
  const [returning, setReturning] = useState<TCreditReviewItem | null>(null);
  const list = useUnitCreditClaims(q);
  const decide = useDecideUnitCreditClaim();
  const { modal, message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;
  const data = list.data;
  // The drawer shows the row as the list now has it, so a decision made there shows at once.
  const open = openId ? (data?.items.find((c) => c.id === openId) ?? null) : null;

  const confirm = (c: TCreditReviewItem) =>
    modal.confirm({
      title: `确认${c.holderName}的学时登记？`,
      content: `“${c.title}”${c.hours}学时。确认后提交人社部门认定。`,
      okText: '确认',
      cancelText: '取消',
      onOk: async () => {
        try {
          await decide.mutateAsync({ id: c.id, action: 'confirm' });
          message.success(`已确认${c.holderName}的学时登记，待人社部门认定`);
        } catch (err) {
          if (!isUnauthenticated(err)) message.error(toApiError(err).message);
        }
      },
    });

  const actions = (c: TCreditReviewItem) => (
    <span className="cpe-credit-row-actions">
      <Button type="link" size="small" onClick={() => setOpenId(c.id)}>
        查看
      </Button>
      {c.status === 'pending-unit' && (
        <>
          <Button type="link" size="small" onClick={() => confirm(c)}>
            确认
          </Button>
          <Button type="link" size="small" danger onClick={() => setReturning(c)}>
            退回
          </Button>
        </>
      )}
    </span>
  );

  const columns: ColumnsType<TCreditReviewItem> = narrow
    ? [
        {
          title: '学时登记',
          key: 'claim',
          render: (_v, c) => (
            <div className="cpe-credit-cell">
              <span>
                <strong>{c.holderName}</strong> <span className="cpe-muted">{c.idNumberMasked}</span>
              </span>
              <span className="cpe-credit-entry-title">{c.title}</span>
              <span className="cpe-muted">
                {c.form} · {datesText(c)}
              </span>
              <span className="cpe-muted">
                {hoursText(c)} · 提交于 {formatDateTime(c.createdAt).slice(0, 16)}
              </span>
              <span>
                <CreditStatusTag status={c.status} />
              </span>
              {actions(c)}
            </div>
          ),
        },
      ]
    : [
        {
          title: '姓名 / 证件号码',
          key: 'person',
          width: 164,
          render: (_v, c) => (
            <div className="cpe-credit-cell">
              <span>{c.holderName}</span>
              <span className="cpe-muted cpe-credit-mono">{c.idNumberMasked}</span>
            </div>
          ),
        },
        { title: '学习形式', dataIndex: 'form', width: 88 },
        {
          title: '项目名称 / 起止日期',
          key: 'title',
          render: (_v, c) => (
            <div className="cpe-credit-cell">
              <span className="cpe-credit-entry-title">{c.title}</span>
              <span className="cpe-muted">{datesText(c)}</span>
            </div>
          ),
        },
        {
          title: '学时',
          key: 'hours',
          width: 72,
          align: 'right',
          render: (_v, c) => (
            <div className="cpe-credit-cell is-end">
              <span>{c.hours}</span>
              {c.standardHours !== null && <span className="cpe-muted">上限{c.standardHours}</span>}
            </div>
          ),
        },
        {
          title: '提交时间',
          dataIndex: 'createdAt',
          width: 100,
          render: (iso: string) => {
            const [day, clock] = formatDateTime(iso).split(' ');
            return (
              <div className="cpe-credit-cell">
                <span>{day}</span>
                <span className="cpe-muted">{clock}</span>
              </div>
            );
          },
        },
        { title: '状态', key: 'status', width: 96, render: (_v, c) => <CreditStatusTag status={c.status} /> },
        { title: '操作', key: 'actions', width: 112, render: (_v, c) => actions(c) },
      ];

  const search = (
    <Input.Search
      className="cpe-credit-claims-search"
      placeholder="按姓名或项目名称查找"
      aria-label="按姓名或项目名称查找"
      allowClear
      maxLength={40}
      enterButton="查询"
      onSearch={(v) => setQ((prev) => ({ ...prev, keyword: v.trim() || undefined, page: 1 }))}
    />
  );
  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;

  return (
    <div className="cpe-unit-center-section cpe-credit-claims">
      <h2 className="cpe-unit-center-title">学时审核</h2>
      <Alert
        className="cpe-unit-alert"
        type="info"
        showIcon
        title="本单位人员提交的学时登记（学术会议、进修访学等）由单位确认后，再由人社部门认定计入学时档案。请核对证明材料与学时，不属实的请退回并说明原因。"
      />
      {narrow && <div className="cpe-credit-claims-bar">{search}</div>}
      <Tabs
        className="cpe-unit-tabs"
        activeKey={q.status}
        onChange={(k) => setQ((prev) => ({ ...prev, status: k as Tab, page: 1 }))}
        tabBarExtraContent={narrow ? undefined : search}
        items={TABS.map((t) => ({
          key: t.key,
          label:
            t.key === 'pending' ? (
              <span className="cpe-credit-claims-tab">
                {t.label}
                <Badge count={data?.pending ?? 0} size="small" overflowCount={999} />
              </span>
            ) : (
              t.label
            ),
        }))}
      />
      {error && (
        <Alert
          className="cpe-unit-alert"
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
      <div className="cpe-unit-table">
        <Table<TCreditReviewItem>
          rowKey="id"
          size="small"
          bordered
          columns={columns}
          dataSource={data?.items ?? []}
          loading={list.isFetching}
          scroll={narrow ? undefined : { x: 800 }}
          onRow={(c) => ({ 'data-status': c.status }) as HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: list.isPending
              ? '加载中…'
              : q.keyword
                ? `没有姓名或项目名称包含“${q.keyword}”的学时登记`
                : (TABS.find((t) => t.key === q.status)?.empty ?? '无数据'),
          }}
          pagination={listPagination({
            page: q.page,
            pageSize: q.pageSize,
            total: data?.total ?? 0,
            unit: '条',
            onChange: (page, pageSize) => setQ((prev) => ({ ...prev, page, pageSize })),
          })}
        />
      </div>
      <ClaimDrawer
        claim={open}
        onClose={() => setOpenId(null)}
        onConfirm={confirm}
        onReturn={setReturning}
        busy={decide.isPending}
      />
      <ReturnModal target={returning} onClose={() => setReturning(null)} />
    </div>
  );
}
