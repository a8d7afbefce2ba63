import { PlusOutlined } from '@ant-design/icons';
import { ZOrgDistrictRequest } from '@cpe/shared/schemas/identity';
import { ZUnitTypeRequest } from '@cpe/shared/schemas/units';
import { App, Badge, Button, Form, Input, InputNumber, Modal, Switch, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { useShowApiError } from '../../../shared/api/form-errors';
import { zodRule } from '../../../shared/form/rules';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { type OrgDistrictInput, useOrgNodes, useSaveOrgNode, useSaveUnitType, useUnitTypes } from '../api';
import type { OrgNode } from '../types';
import '../units.css';

const KINDS: Record<string, { label: string; color: string }> = {
  city: { label: '市人社局', color: 'red' },
  district: { label: '区县人社局', color: 'blue' },
  department: { label: '市级主管部门', color: 'green' },
};

/** 新增 / 修改 a 区县人社局: the tree is data an administrator keeps current, not code. */
function NodeModal({ editing, onClose }: { editing: OrgNode | 'new' | null; onClose: () => void }) {
  const [form] = Form.useForm<OrgDistrictInput>();
  const save = useSaveOrgNode();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const node = editing === 'new' ? null : editing;
  const shape = ZOrgDistrictRequest.shape;

  const onFinish = async (v: OrgDistrictInput) => {
    try {
      await save.mutateAsync({ ...v, id: node?.id });
      message.success(node ? '已保存' : '已新增');
      onClose();
    } catch (err) {
      showError(err, form);
    }
  };

  return (
    <Modal
      open={editing !== null}
      title={node ? `修改：${node.name}` : '新增区县人社局'}
      okText="保存"
      cancelText="取消"
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          node ? { name: node.name, areaCode: node.areaCode ?? '', active: node.active } : { active: true }
        }
        onFinish={onFinish}
      >
        <Form.Item name="name" label="名称" rules={[zodRule(shape.name)]}>
          <Input maxLength={60} placeholder="如：渝中区人力资源和社会保障局" />
        </Form.Item>
        <Form.Item
          name="areaCode"
          label="行政区划代码"
          extra="GB/T 2260 区县代码，6位数字"
          rules={[zodRule(shape.areaCode)]}
        >
          <Input maxLength={6} disabled={node?.kind === 'department'} />
        </Form.Item>
        <Form.Item name="active" label="启用（作为申报地区(部门)供单位选择）" valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface UnitTypeRow {
  id: number;
  name: string;
  sort: number;
  active: boolean;
}

/** 单位类型: the list units choose from; a retired type stays on the units that have it. */
function UnitTypesCard() {
  const types = useUnitTypes();
  const save = useSaveUnitType();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const [form] = Form.useForm<Omit<UnitTypeRow, 'id'>>();
  const [editing, setEditing] = useState<UnitTypeRow | 'new' | null>(null);
  const row = editing === 'new' ? null : editing;
  const shape = ZUnitTypeRequest.shape;
  const onFinish = async (v: Omit<UnitTypeRow, 'id'>) => {
    try {
      await save.mutateAsync({ ...v, id: row?.id });
      message.success('已保存');
      setEditing(null);
    } catch (err) {
      showError(err, form);
    }
  };
  return (
    <div style={{ marginTop: 24 }}>
      <div style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 12 }}>
        <h2 style={{ margin: 0, fontSize: 16 }}>单位类型</h2>
        <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          新增单位类型
        </Button>
      </div>
      <Table<UnitTypeRow>
        rowKey="id"
        size="small"
        bordered
        loading={types.isLoading}
        dataSource={types.data?.items ?? []}
        pagination={false}
        locale={{ emptyText: '暂无数据' }}
        columns={[
          { title: '排序', dataIndex: 'sort', width: 80 },
          { title: '单位类型', dataIndex: 'name' },
          {
            title: '状态',
            dataIndex: 'active',
            width: 90,
            render: (a: boolean) => <Badge status={a ? 'success' : 'default'} text={a ? '启用' : '停用'} />,
          },
          {
            title: '操作',
            width: 80,
            render: (_v, r) => (
              <Button type="link" size="small" onClick={() => setEditing(r)}>
                修改
              </Button>
            ),
          },
        ]}
      />
      <Modal
        open={editing !== null}
        title={row ? `修改：${row.name}` : '新增单位类型'}
        okText="保存"
        cancelText="取消"
        confirmLoading={save.isPending}
        onOk={() => form.submit()}
        onCancel={() => setEditing(null)}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          initialValues={row ?? { sort: ((types.data?.items.length ?? 0) + 1) * 10, active: true }}
          onFinish={onFinish}
        >
          <Form.Item name="name" label="单位类型" rules={[zodRule(shape.name)]}>
            <Input maxLength={30} />
          </Form.Item>
          <Form.Item name="sort" label="排序" rules={[zodRule(shape.sort)]}>
            <InputNumber min={0} max={9999} />
          </Form.Item>
          <Form.Item name="active" label="启用" valuePropName="checked">
            <Switch />
          </Form.Item>
        </Form>
      </Modal>
    </div>
  );
}

/** 组织机构: 市人社局, the 区县人社局 and the approved 市级主管部门. */
export function OrgNodesPage() {
  const site = useSite().data;
  usePageTitle('组织机构与单位类型', site?.staffConsoleName);
  const nodes = useOrgNodes();
  const [editing, setEditing] = useState<OrgNode | 'new' | null>(null);

  const columns: ColumnsType<OrgNode> = [
    { title: '序号', width: 64, align: 'center', render: (_v, _r, i) => i + 1 },
    { title: '名称', dataIndex: 'name' },
    {
      title: '类别',
      dataIndex: 'kind',
      width: 130,
      render: (k: string) => <Tag color={KINDS[k]?.color}>{KINDS[k]?.label ?? k}</Tag>,
    },
    { title: '行政区划代码', dataIndex: 'areaCode', width: 130, render: (c: string | null) => c ?? '—' },
    {
      title: '状态',
      dataIndex: 'active',
      width: 90,
      render: (a: boolean) => <Badge status={a ? 'success' : 'default'} text={a ? '启用' : '停用'} />,
    },
    {
      title: '操作',
      width: 80,
      render: (_v, r) =>
        r.kind === 'city' ? null : (
          <Button type="link" size="small" onClick={() => setEditing(r)}>
            修改
          </Button>
        ),
    },
  ];

  return (
    <div className="cpe-console-page">
      <div className="cpe-units-toolbar" style={{ display: 'flex', justifyContent: 'space-between', marginBottom: 12 }}>
        <h2 style={{ margin: 0, fontSize: 16 }}>组织机构</h2>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          新增区县人社局
        </Button>
      </div>
      <Table<OrgNode>
        rowKey="id"
        size="small"
        bordered
        loading={nodes.isLoading}
        columns={columns}
        dataSource={nodes.data?.items ?? []}
        pagination={{ pageSize: 50, showTotal: (t) => `共 ${t} 条` }}
        locale={{ emptyText: '暂无数据' }}
        scroll={{ x: 720 }}
      />
      <NodeModal editing={editing} onClose={() => setEditing(null)} />
      <UnitTypesCard />
    </div>
  );
}
