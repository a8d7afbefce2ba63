import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { type TFaq, type TFaqInput, TICKET_TOPIC_LABELS, TICKET_TOPICS } from '@cpe/shared/schemas/help';
import {
  Alert,
  App,
  AutoComplete,
  Breadcrumb,
  Button,
  Empty,
  Form,
  Input,
  Modal,
  Result,
  Select,
  Space,
  Switch,
  Table,
  Tag,
} from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { type HTMLAttributes, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { useAdminFaqs, useDeleteFaq, useMoveFaq, usePublishFaq, useSaveFaq } from '../api';
import '../help-admin.css';

/** Suggested topics: the 在线客服 categories, plus any the centre already uses. */
const BASE_TOPICS = TICKET_TOPICS.map((t) => TICKET_TOPIC_LABELS[t]);

function FaqModal({
  faq,
  open,
  topics,
  onClose,
}: {
  faq: TFaq | null;
  open: boolean;
  topics: string[];
  onClose: () => void;
}) {
  const [form] = Form.useForm<TFaqInput>();
  const save = useSaveFaq();
  const showError = useShowApiError();
  const { message } = App.useApp();
  return (
    <Modal
      open={open}
      title={faq ? '编辑常见问题' : '新增常见问题'}
      okText="保存"
      cancelText="取消"
      width={680}
      destroyOnHidden
      confirmLoading={save.isPending}
      onCancel={onClose}
      onOk={() => form.submit()}
      afterOpenChange={(o) => {
        if (o)
          form.setFieldsValue(
            faq
              ? { topic: faq.topic, question: faq.question, answer: faq.answer, published: faq.published }
              : { topic: undefined, question: '', answer: '', published: true },
          );
      }}
    >
      <Form<TFaqInput>
        form={form}
        layout="vertical"
        name="faq"
        preserve={false}
        onFinish={(v) =>
          save.mutate(
            {
              id: faq?.id,
              input: { ...v, topic: v.topic?.trim(), question: v.question?.trim(), answer: v.answer?.trim() },
            },
            {
              onSuccess: () => {
                message.success('已保存');
                onClose();
              },
              onError: (err) => showError(err, form),
            },
          )
        }
      >
        <Form.Item
          label="问题分类"
          name="topic"
          rules={[
            { required: true, whitespace: true, message: '请填写问题分类' },
            { min: 2, max: 30, message: '问题分类为2—30个字' },
          ]}
        >
          <AutoComplete
            options={topics.map((t) => ({ value: t }))}
            placeholder="如：账号注册登录"
            filterOption={(input, o) => String(o?.value ?? '').includes(input)}
          />
        </Form.Item>
        <Form.Item
          label="问题"
          name="question"
          rules={[
            { required: true, whitespace: true, message: '请填写问题' },
            { min: 4, message: '问题至少4个字' },
          ]}
        >
          <Input maxLength={200} showCount />
        </Form.Item>
        <Form.Item
          label="解答"
          name="answer"
          rules={[
            { required: true, whitespace: true, message: '请填写解答' },
            { min: 2, message: '解答至少2个字' },
          ]}
        >
          <Input.TextArea maxLength={5000} showCount autoSize={{ minRows: 6, maxRows: 16 }} />
        </Form.Item>
        <Form.Item label="发布到门户" name="published" valuePropName="checked">
          <Switch checkedChildren="发布" unCheckedChildren="不发布" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 常见问题 (console /faqs): the FAQ shown on 咨询方式, ordered within each topic. */
export function FaqsAdminPage() {
  const site = useSite().data;
  usePageTitle('常见问题', site?.staffConsoleName);
  const list = useAdminFaqs();
  const publish = usePublishFaq();
  const move = useMoveFaq();
  const remove = useDeleteFaq();
  const showError = useShowApiError();
  const { modal, message } = App.useApp();
  const [editing, setEditing] = useState<{ open: boolean; faq: TFaq | null }>({ open: false, faq: null });
  const [topic, setTopic] = useState<string | undefined>();

  const items = list.data?.items ?? [];
  const topics = useMemo(() => [...new Set([...BASE_TOPICS, ...items.map((f) => f.topic)])], [items]);
  const shown = topic ? items.filter((f) => f.topic === topic) : items;
  // First/last within its topic: 上移/下移 are disabled there.
  const edge = (f: TFaq, dir: 'up' | 'down') => {
    const same = items.filter((x) => x.topic === f.topic);
    return dir === 'up' ? same[0]?.id === f.id : same[same.length - 1]?.id === f.id;
  };

  const onDelete = (f: TFaq) =>
    modal.confirm({
      title: '删除常见问题？',
      content: `“${f.question}”将从咨询方式页面移除，且不能恢复。`,
      okText: '删除',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () =>
        remove.mutateAsync(f.id).then(
          () => message.success('已删除'),
          (err) => showError(err),
        ),
    });

  const columns: ColumnsType<TFaq> = [
    { title: '问题分类', dataIndex: 'topic', width: 130, render: (v: string) => <Tag>{v}</Tag> },
    {
      title: '问题',
      dataIndex: 'question',
      render: (v: string, f) => (
        <>
          <div>{v}</div>
          <div className="cpe-ha-answer">{f.answer}</div>
        </>
      ),
    },
    {
      title: '发布',
      dataIndex: 'published',
      width: 96,
      render: (v: boolean, f) => (
        <Switch
          size="small"
          checked={v}
          checkedChildren="已发布"
          unCheckedChildren="未发布"
          aria-label={`发布：${f.question}`}
          loading={publish.isPending && publish.variables?.id === f.id}
          onChange={(checked) => publish.mutate({ id: f.id, published: checked }, { onError: (err) => showError(err) })}
        />
      ),
    },
    { title: '更新时间', dataIndex: 'updatedAt', width: 150, render: (v: string) => formatDateTime(v).slice(0, 16) },
    {
      title: '操作',
      key: 'action',
      width: 220,
      fixed: 'right',
      render: (_v, f) => (
        <Space size={0} wrap>
          <Button
            type="link"
            size="small"
            icon={<ArrowUpOutlined />}
            disabled={edge(f, 'up') || move.isPending}
            onClick={() => move.mutate({ id: f.id, direction: 'up' }, { onError: (err) => showError(err) })}
          >
            上移
          </Button>
          <Button
            type="link"
            size="small"
            icon={<ArrowDownOutlined />}
            disabled={edge(f, 'down') || move.isPending}
            onClick={() => move.mutate({ id: f.id, direction: 'down' }, { onError: (err) => showError(err) })}
          >
            下移
          </Button>
          <Button type="link" size="small" onClick={() => setEditing({ open: true, faq: f })}>
            编辑
          </Button>
          <Button type="link" size="small" danger onClick={() => onDelete(f)}>
            删除
          </Button>
        </Space>
      ),
    },
  ];

  if (errorCode(list.error) === 'FORBIDDEN')
    return (
      <div className="cpe-console-page">
        <Result status="403" title="没有权限" subTitle="常见问题仅限培训中心运营和系统管理员维护。" />
      </div>
    );
  const error = list.error && !isUnauthenticated(list.error) ? toApiError(list.error) : null;

  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '咨询服务' }, { title: '常见问题' }]}
      />
      <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
        <div className="cpe-ha-toolbar">
          <Select
            size="small"
            allowClear
            placeholder="全部分类"
            style={{ width: 200 }}
            value={topic}
            onChange={setTopic}
            options={topics.map((t) => ({ value: t, label: t }))}
            aria-label="按分类查看"
          />
          <Button
            type="primary"
            size="small"
            icon={<PlusOutlined />}
            onClick={() => setEditing({ open: true, faq: null })}
          >
            新增常见问题
          </Button>
        </div>
        {error && (
          <Alert
            style={{ marginBottom: 12 }}
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
        <Table<TFaq>
          rowKey="id"
          size="small"
          bordered
          columns={columns}
          dataSource={shown}
          loading={list.isFetching}
          scroll={{ x: 900 }}
          pagination={false}
          onRow={(f) => ({ 'data-question': f.question }) as HTMLAttributes<HTMLElement>}
          locale={{
            emptyText: list.isPending ? (
              '加载中…'
            ) : (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有常见问题，点击“新增常见问题”添加" />
            ),
          }}
        />
      </div>
      <FaqModal
        open={editing.open}
        faq={editing.faq}
        topics={topics}
        onClose={() => setEditing((e) => ({ ...e, open: false }))}
      />
    </div>
  );
}
