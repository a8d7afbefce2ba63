import { PlusOutlined } from '@ant-design/icons';
import {
  CREDIT_BASIS_LABELS,
  CREDIT_CATEGORY_LABELS,
  CREDIT_FORMS,
  type TCreditStandard,
  type TCreditStandardInput,
  ZCreditStandardInput,
} from '@cpe/shared/schemas/credits';
import {
  App,
  AutoComplete,
  Badge,
  Breadcrumb,
  Button,
  Col,
  Form,
  type FormRule,
  Input,
  InputNumber,
  Modal,
  Radio,
  Result,
  Row,
  Space,
  Switch,
  Table,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useState } from 'react';
import { Link } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { zodMessage, zodRule } from '../../../shared/form/rules';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useCreditStandards, useSaveCreditStandard } from '../api';
import '../credits-admin.css';

type FormValues = Omit<TCreditStandardInput, 'yearlyCap'> & { yearlyCap: number | null | undefined };

const shape = ZCreditStandardInput.shape;
/** A field the shared schema checks but the person may leave empty (its default applies). */
const optional = (schema: Parameters<typeof zodMessage>[0]): FormRule => ({
  validator: async (_r, value: unknown) => {
    const message = zodMessage(schema, value);
    if (message) throw new Error(message);
  },
});

const FORM_OPTIONS = CREDIT_FORMS.map((f) => ({ value: f }));
const CATEGORY_OPTIONS = Object.entries(CREDIT_CATEGORY_LABELS).map(([value, label]) => ({ value, label }));
const BASIS_OPTIONS = Object.entries(CREDIT_BASIS_LABELS).map(([value, label]) => ({ value, label }));

const inputOf = (s: TCreditStandard): TCreditStandardInput => ({
  form: s.form,
  level: s.level,
  category: s.category,
  basis: s.basis,
  hours: s.hours,
  yearlyCap: s.yearlyCap,
  active: s.active,
  sort: s.sort,
});

/** 新增 / 编辑 one standard, checked by the schema the server checks with. */
function StandardModal({
  editing,
  nextSort,
  onClose,
}: {
  editing: TCreditStandard | 'new' | null;
  nextSort: number;
  onClose: () => void;
}) {
  const [form] = Form.useForm<FormValues>();
  const save = useSaveCreditStandard();
  const { message } = App.useApp();
  const showError = useShowApiError();
  const row = editing === 'new' ? null : editing;
  const basis = Form.useWatch('basis', form);

  const onFinish = async (v: FormValues) => {
    const parsed = ZCreditStandardInput.safeParse({ ...v, yearlyCap: v.yearlyCap ?? null });
    if (!parsed.success) {
      message.error(parsed.error.issues[0]?.message ?? '请检查填写的内容');
      return;
    }
    try {
      await save.mutateAsync({ id: row?.id, input: parsed.data });
      message.success(row ? '学时折算标准已保存' : '学时折算标准已新增');
      onClose();
    } catch (err) {
      if (!isUnauthenticated(err)) showError(err, form);
    }
  };

  return (
    <Modal
      open={editing !== null}
      title={row ? `编辑学时折算标准：${row.label}` : '新增学时折算标准'}
      okText="保存"
      cancelText="取消"
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      width={600}
    >
      <Form<FormValues>
        form={form}
        name="creditStandard"
        layout="vertical"
        preserve={false}
        initialValues={
          row
            ? inputOf(row)
            : { level: '', category: 'professional', basis: 'day', active: true, sort: nextSort, yearlyCap: null }
        }
        onFinish={onFinish}
      >
        <Row gutter={16}>
          <Col xs={24} sm={12}>
            <Form.Item name="form" label="学习形式" rules={[zodRule(shape.form)]}>
              <AutoComplete options={FORM_OPTIONS} maxLength={20} placeholder="如：学术会议" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="level" label="级别" rules={[optional(shape.level)]} extra="同一学习形式分级别折算时填写">
              <Input maxLength={20} placeholder="如：核心期刊（可不填）" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="category" label="类别" rules={[zodRule(shape.category, '请选择类别')]}>
              <Radio.Group options={CATEGORY_OPTIONS} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="basis" label="折算方式" rules={[zodRule(shape.basis, '请选择折算方式')]}>
              <Radio.Group options={BASIS_OPTIONS} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item
              name="hours"
              label={basis === 'item' ? '每项学时' : '每天学时'}
              rules={[zodRule(shape.hours, '请填写学时')]}
            >
              <InputNumber min={1} max={200} precision={0} suffix="学时" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="yearlyCap" label="年度上限" rules={[optional(shape.yearlyCap)]} extra="不填表示不设上限">
              <InputNumber min={1} max={500} precision={0} suffix="学时" style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="sort" label="排序" rules={[optional(shape.sort)]} extra="数字小的排在前面">
              <InputNumber min={0} max={999} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12}>
            <Form.Item name="active" label="启用" valuePropName="checked">
              <Switch />
            </Form.Item>
          </Col>
        </Row>
      </Form>
    </Modal>
  );
}

/**
 * 继续教育管理 → 学时管理 → 学时折算标准 (route /credit-standards; 培训中心运营 and 系统管理员): how many 学时 a
 * 学时登记 of each 学习形式 may claim. A retired standard is 停用, not deleted: entries filed under it keep it.
 */
export function CreditStandardsPage() {
  const site = useSite().data;
  usePageTitle('学时折算标准', site?.staffConsoleName);
  const standards = useCreditStandards();
  const save = useSaveCreditStandard();
  const { modal, message } = App.useApp();
  const [editing, setEditing] = useState<TCreditStandard | 'new' | null>(null);
  // Each opening gets a fresh form: a form instance that is reused keeps what the last one held (新增's blanks over
  // 编辑's values), whatever its initialValues say. Closing keeps the key, so the modal still animates away.
  const [opening, setOpening] = useState(0);
  const edit = (s: TCreditStandard | 'new') => {
    setOpening((n) => n + 1);
    setEditing(s);
  };
  const items = standards.data?.items ?? [];

  const onToggle = (s: TCreditStandard) =>
    modal.confirm({
      title: s.active ? `停用“${s.label}”？` : `启用“${s.label}”？`,
      content: s.active
        ? '停用后，个人登记学时时不能再选择该学习形式；已提交和已认定的学时不受影响。'
        : '启用后，个人登记学时时可以选择该学习形式。',
      okText: s.active ? '停用' : '启用',
      okButtonProps: { danger: s.active },
      cancelText: '取消',
      onOk: async () => {
        try {
          await save.mutateAsync({ id: s.id, input: { ...inputOf(s), active: !s.active } });
          message.success(s.active ? '已停用' : '已启用');
        } catch (err) {
          if (!isUnauthenticated(err)) message.error(toApiError(err).message);
        }
      },
    });

  const columns: ColumnsType<TCreditStandard> = [
    { title: '学习形式', dataIndex: 'form', width: 110 },
    { title: '级别', dataIndex: 'level', width: 100, render: (v: string) => v || <span className="cpe-muted">—</span> },
    {
      title: '类别',
      dataIndex: 'category',
      width: 90,
      render: (v: TCreditStandard['category']) => CREDIT_CATEGORY_LABELS[v],
    },
    {
      title: '折算方式',
      dataIndex: 'basis',
      width: 90,
      render: (v: TCreditStandard['basis']) => CREDIT_BASIS_LABELS[v],
    },
    {
      title: '学时',
      dataIndex: 'hours',
      width: 100,
      render: (v: number, r) => (
        <span className="cpe-ca-num">
          {v} 学时/{r.basis === 'day' ? '天' : '项'}
        </span>
      ),
    },
    {
      title: '年度上限',
      dataIndex: 'yearlyCap',
      width: 96,
      render: (v: number | null) =>
        v === null ? <span className="cpe-muted">不设上限</span> : <span className="cpe-ca-num">{v} 学时</span>,
    },
    {
      title: '状态',
      dataIndex: 'active',
      width: 80,
      render: (a: boolean) => <Badge status={a ? 'success' : 'default'} text={a ? '启用' : '停用'} />,
    },
    { title: '排序', dataIndex: 'sort', width: 64, align: 'right' },
    {
      title: '更新时间',
      dataIndex: 'updatedAt',
      width: 150,
      render: (v: string) => <span className="cpe-ca-num">{formatDateTime(v).slice(0, 16)}</span>,
    },
    {
      title: '操作',
      key: 'action',
      width: 110,
      fixed: 'right',
      render: (_v, r) => (
        <Space size={0}>
          <Button type="link" size="small" className="cpe-ca-link" onClick={() => edit(r)}>
            编辑
          </Button>
          <Button type="link" size="small" className="cpe-ca-link" danger={r.active} onClick={() => onToggle(r)}>
            {r.active ? '停用' : '启用'}
          </Button>
        </Space>
      ),
    },
  ];

  if (standards.isError) {
    const code = errorCode(standards.error);
    return (
      <div className="cpe-console-page">
        <Result
          status={code === 'FORBIDDEN' ? '403' : 'error'}
          title={code === 'FORBIDDEN' ? '没有权限' : '加载失败'}
          subTitle={
            code === 'FORBIDDEN'
              ? '学时折算标准仅限培训中心运营和系统管理员维护。'
              : toApiError(standards.error).message
          }
          extra={code !== 'FORBIDDEN' && <Button onClick={() => standards.refetch()}>重试</Button>}
        />
      </div>
    );
  }

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '学时管理' }, { title: '学时折算标准' }]}
      />
      <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
        <div className="cpe-ca-toolbar">
          <h2 className="cpe-console-page-title">学时折算标准</h2>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => edit('new')}>
            新增
          </Button>
        </div>
        <Table<TCreditStandard>
          rowKey="id"
          size="small"
          bordered
          loading={standards.isFetching}
          columns={columns}
          dataSource={items}
          scroll={{ x: 990 }}
          rowClassName={(r) => (r.active ? '' : 'cpe-ca-inactive')}
          onRow={(r) => ({ 'data-label': r.label, 'data-active': String(r.active) }) as HTMLAttributes<HTMLElement>}
          locale={{ emptyText: standards.isPending ? '加载中…' : '暂无学时折算标准，请点击“新增”' }}
          pagination={{ pageSize: 50, size: 'small', hideOnSinglePage: true, showTotal: (t) => `共 ${t} 条` }}
        />
        <p className="cpe-ca-rule">个人登记时，学时按“每天学时×天数”或“每项学时”计算，且不超过该形式的年度上限。</p>
      </div>
      <StandardModal
        key={opening}
        editing={editing}
        nextSort={Math.min(999, items.reduce((m, s) => Math.max(m, s.sort), 0) + 10)}
        onClose={() => setEditing(null)}
      />
    </div>
  );
}
