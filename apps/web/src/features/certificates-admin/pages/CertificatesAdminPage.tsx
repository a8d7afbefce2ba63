import { SearchOutlined, StopOutlined, UndoOutlined } from '@ant-design/icons';
import {
  CERT_STATUS_LABELS,
  CERT_STATUSES,
  type TAdminCertificate,
  type TAdminCertificateQuery,
  type TCertStatus,
} from '@cpe/shared/schemas/certificates';
import {
  Alert,
  App,
  Breadcrumb,
  Button,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Row,
  Select,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useState } from 'react';
import { toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useAdminCertificates, useRevokeCertificate } from '../../certificates/api';
import { useSite } from '../../identity/api';

interface FilterValues {
  certNo?: string;
  name?: string;
  plan?: string;
  year?: number | null;
  status?: TCertStatus;
}

const STATUS_OPTIONS = CERT_STATUSES.map((s) => ({ value: s, label: CERT_STATUS_LABELS[s] }));

/** 证书管理 (console /certificates; 培训中心运营 and 系统管理员): search issued 合格证书 and 撤销 with a reason. */
export function CertificatesAdminPage() {
  const site = useSite().data;
  usePageTitle('证书管理', site?.staffConsoleName);
  const [query, setQuery] = useState<TAdminCertificateQuery>({ page: 1, pageSize: 20 });
  const list = useAdminCertificates(query);
  const [form] = Form.useForm<FilterValues>();
  const [revoking, setRevoking] = useState<TAdminCertificate | null>(null);

  const onFilter = (v: FilterValues) =>
    setQuery({
      certNo: v.certNo?.trim() || undefined,
      name: v.name?.trim() || undefined,
      plan: v.plan?.trim() || undefined,
      year: v.year ?? undefined,
      status: v.status,
      page: 1,
      pageSize: query.pageSize,
    });

  const columns: ColumnsType<TAdminCertificate> = [
    { title: '证书编号', dataIndex: 'certNo', width: 150 },
    { title: '姓名', dataIndex: 'holderName', width: 90 },
    { title: '证件号码', dataIndex: 'idNumberMasked', width: 170 },
    { title: '学习计划', dataIndex: 'planName', ellipsis: true },
    { title: '年度', dataIndex: 'year', width: 70 },
    { title: '学时', dataIndex: 'hours', width: 60 },
    { title: '组织机构', dataIndex: 'orgName', ellipsis: true, render: (v: string | null) => v ?? '未选择' },
    { title: '发证日期', dataIndex: 'issuedAt', width: 110, render: (v: string) => formatDateTime(v).slice(0, 10) },
    {
      title: '状态',
      dataIndex: 'status',
      width: 90,
      render: (s: TCertStatus, r) => (
        <Tag color={s === 'valid' ? 'green' : 'red'} title={r.revokeReason ?? undefined}>
          {CERT_STATUS_LABELS[s]}
        </Tag>
      ),
    },
    {
      title: '操作',
      key: 'op',
      width: 90,
      fixed: 'right',
      render: (_v, r) =>
        r.status === 'valid' ? (
          <Button size="small" danger icon={<StopOutlined />} onClick={() => setRevoking(r)}>
            撤销
          </Button>
        ) : (
          <span title={r.revokeReason ?? ''}>已撤销</span>
        ),
    },
  ];

  return (
    <div>
      <Breadcrumb items={[{ title: '培训管理' }, { title: '证书管理' }]} style={{ marginBottom: 12 }} />
      <Form form={form} onFinish={onFilter} className="cpe-filter" layout="vertical">
        <Row gutter={12}>
          <Col xs={24} sm={12} lg={5}>
            <Form.Item label="证书编号" name="certNo">
              <Input allowClear placeholder="GX开头，可输入前几位" maxLength={14} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={4}>
            <Form.Item label="姓名" name="name">
              <Input allowClear maxLength={30} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} lg={6}>
            <Form.Item label="学习计划" name="plan">
              <Input allowClear maxLength={60} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} lg={3}>
            <Form.Item label="年度" name="year">
              <InputNumber min={2000} max={2100} precision={0} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={12} sm={6} lg={3}>
            <Form.Item label="状态" name="status">
              <Select allowClear options={STATUS_OPTIONS} placeholder="全部" />
            </Form.Item>
          </Col>
          <Col xs={24} lg={3} style={{ display: 'flex', alignItems: 'flex-end', gap: 8, paddingBottom: 24 }}>
            <Button type="primary" htmlType="submit" icon={<SearchOutlined />}>
              筛选
            </Button>
            <Button
              icon={<UndoOutlined />}
              onClick={() => {
                form.resetFields();
                setQuery({ page: 1, pageSize: query.pageSize });
              }}
            >
              重置
            </Button>
          </Col>
        </Row>
      </Form>
      {list.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={toApiError(list.error).message}
          action={
            <Button size="small" onClick={() => list.refetch()}>
              重试
            </Button>
          }
        />
      )}
      <Table<TAdminCertificate>
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={list.data?.items ?? []}
        loading={list.isFetching}
        scroll={{ x: 1100 }}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无证书" /> }}
        pagination={{
          current: query.page,
          pageSize: query.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          showTotal: (t) => `共 ${t} 条`,
          onChange: (page, pageSize) => setQuery({ ...query, page, pageSize }),
        }}
      />
      <RevokeModal certificate={revoking} onClose={() => setRevoking(null)} />
    </div>
  );
}

function RevokeModal({ certificate, onClose }: { certificate: TAdminCertificate | null; onClose: () => void }) {
  const [form] = Form.useForm<{ reason: string }>();
  const revoke = useRevokeCertificate();
  const showError = useShowApiError();
  const { message } = App.useApp();
  const submit = async () => {
    const v = await form.validateFields();
    if (!certificate) return;
    revoke.mutate(
      { id: certificate.id, reason: v.reason.trim() },
      {
        onSuccess: () => {
          message.success(`证书 ${certificate.certNo} 已撤销`);
          form.resetFields();
          onClose();
        },
        onError: (err) => showError(err, form),
      },
    );
  };
  return (
    <Modal
      open={Boolean(certificate)}
      title="撤销证书"
      okText="确认撤销"
      okButtonProps={{ danger: true, loading: revoke.isPending }}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      {certificate && (
        <>
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            message={`确定撤销 ${certificate.holderName} 的证书 ${certificate.certNo}？`}
            description="撤销后证书查验将显示“已撤销”，学员不能再打印该证书。此操作记入审计日志。"
          />
          <Form form={form} layout="vertical">
            <Form.Item
              label="撤销原因"
              name="reason"
              rules={[
                { required: true, whitespace: true, message: '请填写撤销原因' },
                { min: 2, message: '撤销原因至少2个字' },
                { max: 200, message: '撤销原因最多200个字' },
              ]}
            >
              <Input.TextArea rows={3} maxLength={200} showCount />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
