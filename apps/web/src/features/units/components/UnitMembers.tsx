import { type TUnitMember, ZUnitMemberReason } from '@cpe/shared/schemas/unit-members';
import { Alert, App, Badge, Button, Form, Grid, Input, Modal, Popconfirm, Table, Tabs } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { zodRule } from '../../../shared/form/rules';
import { formatDateTime } from '../../../shared/format';
import { listPagination } from '../../../shared/listPagination';
import { type UnitMemberTab, useDecideMember, useUnitMembers } from '../members-api';
import '../members.css';

const TABS: Array<{ key: UnitMemberTab; label: string; empty: string }> = [
  { key: 'pending', label: '待确认', empty: '暂无待确认的申请' },
  { key: 'confirmed', label: '已确认', empty: '暂无已确认的单位人员' },
  { key: 'left', label: '已离开', empty: '暂无已离开的人员' },
];

/** The moment a tab is about: applied, joined, left. */
const TIME_COLUMN: Record<UnitMemberTab, { title: string; of: (m: TUnitMember) => string | null }> = {
  pending: { title: '申请时间', of: (m) => m.requestedAt },
  confirmed: { title: '加入时间', of: (m) => m.joinedAt },
  left: { title: '离开时间', of: (m) => m.leftAt },
};

const reasonRule = zodRule(ZUnitMemberReason.shape.reason, '请填写原因');

/** 拒绝 / 移出 ask for the reason the person will read in 个人中心. */
function ReasonModal({
  target,
  onClose,
}: {
  target: { member: TUnitMember; action: 'decline' | 'remove' } | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const decide = useDecideMember();
  const { message } = App.useApp();
  const decline = target?.action === 'decline';

  const onOk = async () => {
    if (!target) return;
    const { reason } = await form.validateFields();
    try {
      await decide.mutateAsync({ id: target.member.id, action: target.action, reason: reason.trim() });
      message.success(decline ? `已拒绝${target.member.realName}的申请` : `已将${target.member.realName}移出本单位`);
      onClose();
    } catch (err) {
      const rest = applyApiError(err, form);
      if (rest) message.error(rest);
      // The row changed meanwhile: the lists are fetched again, nothing left to decide here.
      if (toApiError(err).status !== 400) onClose();
    }
  };

  return (
    <Modal
      open={!!target}
      title={
        decline ? `拒绝${target?.member.realName ?? ''}的加入申请` : `将${target?.member.realName ?? ''}移出本单位`
      }
      okText={decline ? '确认拒绝' : '确认移出'}
      okButtonProps={{ danger: true, loading: decide.isPending }}
      cancelText="取消"
      onOk={onOk}
      onCancel={onClose}
      afterClose={() => form.resetFields()}
      forceRender
    >
      <p className="cpe-muted">
        {decline
          ? '拒绝后，申请人会在个人中心看到拒绝原因，可另行申请。'
          : '移出后，本单位不能再查看其学时档案；该人员会在个人中心看到移出原因。'}
      </p>
      <Form form={form} layout="vertical" name="unit-member-reason">
        <Form.Item label={decline ? '拒绝原因' : '移出原因'} name="reason" rules={[reasonRule]}>
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="请填写原因（2-200个字）" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * 单位中心 → 单位人员: the unit's join requests (确认 / 拒绝), its members (移出) and those who left, by tab, with a
 * name search and pages.
 */
export function UnitMembers() {
  const [tab, setTab] = useState<UnitMemberTab>('pending');
  const [keyword, setKeyword] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [reasonFor, setReasonFor] = useState<{ member: TUnitMember; action: 'decline' | 'remove' } | null>(null);
  const list = useUnitMembers({ status: tab, keyword: keyword || undefined, page, pageSize });
  const decide = useDecideMember();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const narrow = screens.md === false;

  const confirm = async (m: TUnitMember) => {
    try {
      await decide.mutateAsync({ id: m.id, action: 'confirm' });
      message.success(`已确认${m.realName}加入本单位`);
    } catch (err) {
      message.error(toApiError(err).message);
    }
  };

  const data = list.data;
  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;
  const time = TIME_COLUMN[tab];
  const timeCell = (m: TUnitMember) => {
    const [day, clock] = formatDateTime(time.of(m)).split(' ');
    return (
      <div className="cpe-unit-cell-stack">
        <span>{day}</span>
        <span className="cpe-muted">{clock}</span>
      </div>
    );
  };
  const actions = (m: TUnitMember) => {
    if (tab === 'pending')
      return (
        <span className="cpe-unit-members-actions">
          <Popconfirm
            title={`确认${m.realName}加入本单位？`}
            description="确认后本单位可以查看其学时档案。"
            okText="确认"
            cancelText="取消"
            onConfirm={() => confirm(m)}
          >
            <Button type="link" size="small" loading={decide.isPending && decide.variables?.id === m.id}>
              确认
            </Button>
          </Popconfirm>
          <Button type="link" size="small" danger onClick={() => setReasonFor({ member: m, action: 'decline' })}>
            拒绝
          </Button>
        </span>
      );
    if (tab === 'confirmed')
      return (
        <Button type="link" size="small" danger onClick={() => setReasonFor({ member: m, action: 'remove' })}>
          移出
        </Button>
      );
    return null;
  };
  const reasonCell = (m: TUnitMember) =>
    m.reason ? <span className="cpe-unit-members-reason">{m.reason}</span> : <span className="cpe-muted">—</span>;

  const columns: ColumnsType<TUnitMember> = narrow
    ? [
        {
          title: '人员',
          key: 'person',
          render: (_v, m) => (
            <div className="cpe-unit-cell-stack">
              <span>{m.realName}</span>
              <span className="cpe-muted cpe-unit-members-mono">{m.idNumberMasked}</span>
              {m.phoneMasked && <span className="cpe-muted cpe-unit-members-mono">{m.phoneMasked}</span>}
              {tab === 'left' && reasonCell(m)}
            </div>
          ),
        },
        { title: time.title, key: 'time', width: 104, render: (_v, m) => timeCell(m) },
        ...(tab === 'left'
          ? []
          : [{ title: '操作', key: 'action', width: 84, render: (_v: unknown, m: TUnitMember) => actions(m) }]),
      ]
    : [
        { title: '姓名', dataIndex: 'realName', width: 96 },
        {
          title: '证件号码',
          dataIndex: 'idNumberMasked',
          width: 176,
          render: (v: string) => <span className="cpe-unit-members-mono">{v}</span>,
        },
        {
          title: '手机号',
          dataIndex: 'phoneMasked',
          width: 116,
          render: (v: string) =>
            v ? <span className="cpe-unit-members-mono">{v}</span> : <span className="cpe-muted">未绑定</span>,
        },
        { title: '来源', dataIndex: 'sourceLabel', width: 104 },
        { title: time.title, key: 'time', width: 104, render: (_v, m) => timeCell(m) },
        tab === 'left'
          ? { title: '原因', key: 'reason', render: (_v, m) => reasonCell(m) }
          : { title: '操作', key: 'action', width: tab === 'pending' ? 104 : 72, render: (_v, m) => actions(m) },
      ];

  const search = (
    <Input.Search
      className="cpe-unit-members-search"
      placeholder="按姓名查找"
      aria-label="按姓名查找"
      allowClear
      maxLength={40}
      enterButton="查询"
      onSearch={(v) => {
        setKeyword(v.trim());
        setPage(1);
      }}
    />
  );

  return (
    <div className="cpe-unit-center-section cpe-unit-members">
      <h2 className="cpe-unit-center-title">单位人员</h2>
      <Alert
        className="cpe-unit-alert"
        type="info"
        showIcon
        title="个人在“个人中心 → 工作单位”中申请加入本单位，经您确认后成为本单位人员，本单位即可查看其学时档案。"
      />
      {narrow && <div className="cpe-unit-members-bar">{search}</div>}
      <Tabs
        className="cpe-unit-tabs"
        activeKey={tab}
        onChange={(k) => {
          setTab(k as UnitMemberTab);
          setPage(1);
        }}
        tabBarExtraContent={narrow ? undefined : search}
        items={TABS.map((t) => ({
          key: t.key,
          label:
            t.key === 'pending' ? (
              <span className="cpe-unit-members-tab">
                {t.label}
                <Badge count={data?.pendingCount ?? 0} size="small" overflowCount={999} />
              </span>
            ) : (
              t.label
            ),
        }))}
      />

      {error && <Alert className="cpe-unit-alert" type="error" showIcon title={error.message} />}

      <div className="cpe-unit-table">
        <Table<TUnitMember>
          rowKey="id"
          size="middle"
          bordered
          columns={columns}
          dataSource={data?.items ?? []}
          loading={list.isFetching}
          locale={{
            emptyText: list.isPending
              ? '加载中…'
              : keyword
                ? `没有姓名包含“${keyword}”的人员`
                : (TABS.find((t) => t.key === tab)?.empty ?? '无数据'),
          }}
          pagination={listPagination({
            page,
            pageSize,
            total: data?.total ?? 0,
            unit: '人',
            onChange: (p, s) => {
              setPage(p);
              setPageSize(s);
            },
          })}
        />
      </div>
      <ReasonModal target={reasonFor} onClose={() => setReasonFor(null)} />
    </div>
  );
}
