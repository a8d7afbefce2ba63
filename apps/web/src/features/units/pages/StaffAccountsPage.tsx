import { PlusOutlined } from '@ant-design/icons';
import { STAFF_ROLE_LABELS, ZStaffCreateRequest, zRealName, zUsername } from '@cpe/shared/schemas/identity';
import { Alert, App, Badge, Button, Checkbox, Form, Input, Modal, Popconfirm, Radio, Select, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { zodRule } from '../../../shared/form/rules';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useStaffMe } from '../../identity/staff-api';
import { useCreateStaff, useOrgNodes, useStaffAccounts, useUpdateStaff } from '../api';
import type { StaffAccount } from '../types';
import '../units.css';
import { listPagination } from '../../../shared/listPagination';

interface StaffFormValues {
  username?: string;
  password?: string;
  displayName?: string;
  roles?: string[];
  orgNodeId?: string | null;
  status?: 'active' | 'disabled';
}

const ROLE_OPTIONS = Object.entries(STAFF_ROLE_LABELS).map(([value, label]) => ({ value, label }));
const ROLE_COLORS: Record<string, string> = {
  sysadmin: 'red',
  reviewer: 'blue',
  'recovery-handler': 'purple',
  'training-operator': 'green',
};
const NODE_KINDS: Record<string, string> = { city: '市人社局', district: '区县人社局' };

const positive = (v: string | null, fallback: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : fallback;
};

/** 新增 / 编辑 one staff member: roles and 所属单位 decide what they may do and review. */
function StaffModal({
  open,
  editing,
  onClose,
}: {
  open: boolean;
  /** null: 新增工作人员. */
  editing: StaffAccount | null;
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<StaffFormValues>();
  const [error, setError] = useState<string | null>(null);
  const create = useCreateStaff();
  const update = useUpdateStaff();
  const nodes = useOrgNodes();
  const busy = create.isPending || update.isPending;

  const nodeOptions = useMemo(() => {
    const items = (nodes.data?.items ?? []).filter((n) => n.kind === 'city' || n.kind === 'district');
    return ['city', 'district'].map((kind) => ({
      label: NODE_KINDS[kind],
      title: NODE_KINDS[kind],
      options: items.filter((n) => n.kind === kind).map((n) => ({ value: n.id, label: n.name })),
    }));
  }, [nodes.data]);

  const save = async () => {
    let v: StaffFormValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setError(null);
    const common = {
      displayName: (v.displayName ?? '').trim(),
      roles: v.roles ?? [],
      orgNodeId: v.orgNodeId ?? null,
    };
    try {
      if (editing) {
        await update.mutateAsync({ id: editing.id, ...common, status: v.status ?? 'active' });
        message.success('已保存');
      } else {
        await create.mutateAsync({ username: (v.username ?? '').trim(), password: v.password ?? '', ...common });
        message.success('已新增工作人员');
      }
      onClose();
    } catch (err) {
      if (isUnauthenticated(err)) return;
      setError(applyApiError(err, form));
    }
  };

  return (
    <Modal
      open={open}
      title={editing ? '编辑工作人员' : '新增工作人员'}
      okText="保存"
      onOk={save}
      onCancel={onClose}
      okButtonProps={{ loading: busy }}
      cancelButtonProps={{ disabled: busy }}
      destroyOnHidden
      width={560}
    >
      {error && <Alert className="cpe-unit-alert" type="error" showIcon title={error} />}
      <Form<StaffFormValues>
        form={form}
        name="staff"
        labelCol={{ span: 5 }}
        wrapperCol={{ span: 18 }}
        size="small"
        initialValues={
          editing
            ? {
                displayName: editing.displayName,
                roles: editing.roles,
                orgNodeId: editing.orgNodeId,
                status: editing.status,
              }
            : { roles: ['reviewer'], orgNodeId: null }
        }
      >
        {editing ? (
          <Form.Item label="用户名">
            <span>{editing.username}</span>
          </Form.Item>
        ) : (
          <>
            <Form.Item label="用户名" name="username" rules={[zodRule(zUsername)]}>
              <Input maxLength={30} autoComplete="off" placeholder="字母开头，4-30位字母、数字或下划线" />
            </Form.Item>
            <Form.Item
              label="初始密码"
              name="password"
              rules={[zodRule(ZStaffCreateRequest.shape.password, '请输入初始密码')]}
              extra="8-20位，包含大写字母、小写字母、数字和特殊字符中的任意三种"
            >
              <Input.Password maxLength={20} autoComplete="new-password" />
            </Form.Item>
          </>
        )}
        <Form.Item label="姓名" name="displayName" rules={[zodRule(zRealName, '请输入姓名')]}>
          <Input maxLength={30} />
        </Form.Item>
        <Form.Item
          label="角色"
          name="roles"
          rules={[{ required: true, type: 'array', min: 1, message: '请至少选择一个角色' }]}
        >
          <Checkbox.Group options={ROLE_OPTIONS} />
        </Form.Item>
        <Form.Item
          label="所属单位"
          name="orgNodeId"
          extra="区县人社局的审核员只审核本区县的单位注册；市人社局或不选所属单位时可审核全部。"
        >
          <Select
            allowClear
            placeholder="不限（全市）"
            options={nodeOptions}
            loading={nodes.isPending}
            showSearch={{ optionFilterProp: 'label' }}
            onClear={() => form.setFieldValue('orgNodeId', null)}
          />
        </Form.Item>
        {editing && (
          <Form.Item label="状态" name="status">
            <Radio.Group
              options={[
                { value: 'active', label: '启用' },
                { value: 'disabled', label: '停用' },
              ]}
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

/** 工作人员与角色 (console route /staff-accounts, 系统管理员): the staff, their roles, 所属单位 and status. */
export function StaffAccountsPage() {
  const site = useSite().data;
  usePageTitle('工作人员与角色', site?.staffConsoleName);
  const { message } = App.useApp();
  const me = useStaffMe().data;
  const [params, setParams] = useSearchParams();
  const keyword = params.get('keyword')?.trim() || undefined;
  const page = positive(params.get('page'), 1);
  const pageSize = Math.min(100, positive(params.get('pageSize'), 20));
  const list = useStaffAccounts({ keyword, page, pageSize });
  const update = useUpdateStaff();
  const [modal, setModal] = useState<{ open: boolean; editing: StaffAccount | null }>({ open: false, editing: null });
  const [toggling, setToggling] = useState<string | null>(null);

  const setQuery = (next: { keyword?: string | undefined; page?: number; pageSize?: number }) => {
    const s = new URLSearchParams();
    const k = 'keyword' in next ? next.keyword : keyword;
    if (k) s.set('keyword', k);
    const p = next.page ?? page;
    if (p > 1) s.set('page', String(p));
    const ps = next.pageSize ?? pageSize;
    if (ps !== 20) s.set('pageSize', String(ps));
    setParams(s);
  };

  const toggle = async (s: StaffAccount) => {
    setToggling(s.id);
    try {
      await update.mutateAsync({
        id: s.id,
        displayName: s.displayName,
        roles: s.roles,
        orgNodeId: s.orgNodeId,
        status: s.status === 'active' ? 'disabled' : 'active',
      });
      message.success(s.status === 'active' ? `已停用 ${s.displayName}` : `已启用 ${s.displayName}`);
    } catch (err) {
      if (!isUnauthenticated(err)) {
        const e = toApiError(err);
        message.error(e.fields ? Object.values(e.fields)[0] : e.message);
      }
    } finally {
      setToggling(null);
    }
  };

  const columns: ColumnsType<StaffAccount> = [
    {
      title: '序号',
      key: 'index',
      width: 56,
      align: 'center',
      render: (_v, _r, i) => (page - 1) * pageSize + i + 1,
    },
    { title: '用户名', dataIndex: 'username', width: 130 },
    { title: '姓名', dataIndex: 'displayName', width: 120 },
    {
      title: '角色',
      dataIndex: 'roles',
      width: 240,
      render: (roles: string[]) =>
        roles.length === 0 ? (
          <span className="cpe-muted">无</span>
        ) : (
          roles.map((r) => (
            <Tag key={r} color={ROLE_COLORS[r]}>
              {STAFF_ROLE_LABELS[r] ?? r}
            </Tag>
          ))
        ),
    },
    {
      title: '所属单位',
      dataIndex: 'orgNodeName',
      width: 220,
      render: (v: string | null) => v ?? <span className="cpe-muted">不限（全市）</span>,
    },
    {
      title: '状态',
      dataIndex: 'status',
      width: 80,
      render: (s: StaffAccount['status']) =>
        s === 'active' ? <Badge status="success" text="启用" /> : <Badge status="default" text="停用" />,
    },
    {
      title: '操作',
      key: 'action',
      width: 130,
      fixed: 'right',
      render: (_v, r) => (
        <span className="cpe-unit-row-actions">
          <Button type="link" size="small" onClick={() => setModal({ open: true, editing: r })}>
            编辑
          </Button>
          <Popconfirm
            title={r.status === 'active' ? `确认停用 ${r.displayName}？` : `确认启用 ${r.displayName}？`}
            description={r.status === 'active' ? '停用后该账号不能登录内网。' : undefined}
            okText={r.status === 'active' ? '停用' : '启用'}
            cancelText="取消"
            onConfirm={() => toggle(r)}
            disabled={r.id === me?.id}
          >
            <Button
              type="link"
              size="small"
              danger={r.status === 'active'}
              loading={toggling === r.id}
              disabled={r.id === me?.id || (toggling !== null && toggling !== r.id)}
              title={r.id === me?.id ? '不能停用自己' : undefined}
            >
              {r.status === 'active' ? '停用' : '启用'}
            </Button>
          </Popconfirm>
        </span>
      ),
    },
  ];

  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;
  const forbidden = errorCode(list.error) === 'FORBIDDEN';
  return (
    <div className="cpe-console-page">
      <h1 className="cpe-console-page-title">工作人员与角色</h1>
      <div className="cpe-console-panel cpe-unit-console-panel">
        <div className="cpe-unit-toolbar">
          <Input.Search
            key={keyword ?? ''}
            defaultValue={keyword}
            placeholder="按姓名查询"
            allowClear
            enterButton="查询"
            size="small"
            maxLength={30}
            style={{ maxWidth: 320 }}
            onSearch={(v) => setQuery({ keyword: v.trim() || undefined, page: 1 })}
          />
          <Button
            type="primary"
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setModal({ open: true, editing: null })}
            disabled={forbidden}
          >
            新增工作人员
          </Button>
        </div>
        {error && (
          <Alert
            className="cpe-unit-alert"
            type="error"
            showIcon
            title={forbidden ? '仅系统管理员可管理工作人员与角色' : error.message}
          />
        )}
        <Table<StaffAccount>
          rowKey="id"
          size="small"
          bordered
          columns={columns}
          dataSource={list.data?.items ?? []}
          loading={list.isFetching}
          scroll={{ x: 980 }}
          locale={{ emptyText: list.isPending ? '加载中…' : '无数据' }}
          pagination={listPagination({
            page,
            pageSize,
            total: list.data?.total ?? 0,
            onChange: (p, ps) => setQuery({ page: p, pageSize: ps }),
          })}
        />
      </div>
      <StaffModal
        key={modal.editing?.id ?? 'new'}
        open={modal.open}
        editing={modal.editing}
        onClose={() => setModal((m) => ({ ...m, open: false }))}
      />
    </div>
  );
}
