import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { applicationType } from '@cpe/shared/applications/index';
import { Alert, App, Breadcrumb, Button, DatePicker, Form, InputNumber, Modal, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { Link } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { fromPlatformPicker, platformYear, toPlatformPicker } from '../../../shared/platform-time';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { type Batch, REVIEW_TYPE, useBatches, useSaveBatch } from './api-review';
import { LoadError } from './components/LoadError';
import './review.css';

interface BatchValues {
  year: number;
  opensAt: Dayjs;
  deadline: Dayjs;
}

type Phase = 'open' | 'upcoming' | 'closed';
const PHASES: Record<Phase, { label: string; color: string }> = {
  open: { label: '开放中', color: 'success' },
  upcoming: { label: '未开始', color: 'processing' },
  closed: { label: '已截止', color: 'default' },
};

function phaseOf(b: Batch): Phase {
  if (b.open) return 'open';
  return new Date(b.opensAt) > new Date() ? 'upcoming' : 'closed';
}

/** A batch's dates as the form holds them; a new one defaults to next year's first day till its 30 June. */
function valuesOf(b: Batch | null, years: number[]): BatchValues {
  if (b) return { year: b.year, opensAt: toPlatformPicker(b.opensAt), deadline: toPlatformPicker(b.deadline) };
  const year = Math.max(platformYear(), ...years.map((y) => y + 1));
  return {
    year,
    opensAt: dayjs(`${year}-01-01T00:00:00`),
    deadline: dayjs(`${year}-06-30T17:00:00`),
  };
}

function BatchModal({
  batch,
  years,
  onClose,
}: {
  /** undefined: closed; null: a new batch. */
  batch: Batch | null | undefined;
  years: number[];
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const showApiError = useShowApiError();
  const save = useSaveBatch();
  const [form] = Form.useForm<BatchValues>();
  const editing = Boolean(batch);

  const submit = async () => {
    let v: BatchValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    try {
      await save.mutateAsync({
        id: batch?.id,
        type: REVIEW_TYPE,
        year: v.year,
        opensAt: fromPlatformPicker(v.opensAt.second(0).millisecond(0)),
        deadline: fromPlatformPicker(v.deadline.second(0).millisecond(0)),
      });
      message.success(editing ? '已修改申报批次' : `已新增${v.year}年度申报批次`);
      onClose();
    } catch (err) {
      if (!isUnauthenticated(err)) showApiError(err, form);
    }
  };

  return (
    <Modal
      open={batch !== undefined}
      title={editing ? `修改${batch?.year}年度申报批次` : '新增申报批次'}
      okText="保存"
      okButtonProps={{ loading: save.isPending }}
      cancelButtonProps={{ disabled: save.isPending }}
      onOk={submit}
      onCancel={onClose}
      destroyOnHidden
    >
      <Form
        form={form}
        layout="vertical"
        name="applicationBatch"
        initialValues={valuesOf(batch ?? null, years)}
        preserve={false}
      >
        <p className="cpe-muted">申报类型：{applicationType(REVIEW_TYPE)?.label}</p>
        <Form.Item
          label="年度"
          name="year"
          rules={[
            { required: true, message: '请输入年度' },
            { type: 'integer', min: 2000, max: 2100, message: '年度无效' },
          ]}
          extra={editing ? '年度不可修改' : '每个年度一个批次'}
        >
          <InputNumber disabled={editing} min={2000} max={2100} precision={0} suffix="年" style={{ width: 160 }} />
        </Form.Item>
        <Form.Item label="开放时间" name="opensAt" rules={[{ required: true, message: '请选择开放时间' }]}>
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item
          label="申报截止时间"
          name="deadline"
          dependencies={['opensAt']}
          extra="截止后不能再提交申报书；退回修改的申报书以审核人员给定的修改截止时间为准。"
          rules={[
            { required: true, message: '请选择申报截止时间' },
            ({ getFieldValue }) => ({
              validator: (_r, v: Dayjs | null) => {
                const opens = getFieldValue('opensAt') as Dayjs | null;
                return !v || !opens || v.isAfter(opens)
                  ? Promise.resolve()
                  : Promise.reject(new Error('申报截止时间应晚于开放时间'));
              },
            }),
          ]}
        >
          <DatePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 申报批次 (console route /application-batches, 市人社局): when each year's 申报 opens and closes. */
export function BatchesPage() {
  const site = useSite().data;
  usePageTitle('申报批次', site?.staffConsoleName);
  const batches = useBatches();
  const [editing, setEditing] = useState<Batch | null | undefined>(undefined);
  const items = [...(batches.data?.items ?? [])].sort((a, b) => b.year - a.year);

  const columns: ColumnsType<Batch> = [
    { title: '年度', dataIndex: 'year', width: 90, render: (y: number) => `${y}年` },
    {
      title: '申报类型',
      dataIndex: 'type',
      width: 180,
      render: (t: string) => applicationType(t)?.label ?? t,
    },
    { title: '开放时间', dataIndex: 'opensAt', width: 170, render: (v: string) => formatDateTime(v) },
    { title: '申报截止时间', dataIndex: 'deadline', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: '状态',
      key: 'phase',
      width: 90,
      render: (_v, b) => {
        const p = PHASES[phaseOf(b)];
        return <Tag color={p.color}>{p.label}</Tag>;
      },
    },
    { title: '创建时间', dataIndex: 'createdAt', width: 170, render: (v: string) => formatDateTime(v) },
    {
      title: '操作',
      key: 'action',
      width: 90,
      align: 'center',
      render: (_v, b) => (
        <Button type="link" size="small" icon={<EditOutlined />} onClick={() => setEditing(b)}>
          修改
        </Button>
      ),
    },
  ];

  const forbidden = errorCode(batches.error) === 'APPLICATION_REVIEWER_FORBIDDEN';
  const error = batches.error && !isUnauthenticated(batches.error) ? toApiError(batches.error) : null;

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        className="cpe-ar-breadcrumb"
        items={[{ title: <Link to="/">首页</Link> }, { title: '市级高级研修项目' }, { title: '申报批次' }]}
      />
      <div className="cpe-console-panel cpe-ar-panel">
        {forbidden ? (
          <LoadError
            error={batches.error}
            onRetry={() => batches.refetch()}
            forbiddenText="仅市人社局审核人员可以管理申报批次。"
          />
        ) : (
          <>
            <div className="cpe-ar-page-head">
              <div>
                <h1 className="cpe-ar-page-title">申报批次</h1>
                <p className="cpe-muted cpe-ar-page-note">
                  每个年度开放一次市级高级研修项目申报；在开放时间至申报截止时间内，单位和区县人社局可以提交申报书。
                </p>
              </div>
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)}>
                新增批次
              </Button>
            </div>
            {error && <Alert className="cpe-ar-alert" type="error" showIcon title={error.message} />}
            <Table<Batch>
              rowKey="id"
              size="small"
              bordered
              columns={columns}
              dataSource={items}
              loading={batches.isFetching}
              pagination={false}
              scroll={{ x: 960 }}
              locale={{ emptyText: batches.isPending ? '加载中…' : '暂无申报批次，请新增' }}
            />
          </>
        )}
      </div>
      <BatchModal batch={editing} years={items.map((b) => b.year)} onClose={() => setEditing(undefined)} />
    </div>
  );
}
