import { TICKET_TOPIC_LABELS, TICKET_TOPICS, type TTicketTopic } from '@cpe/shared/schemas/help';
import { App, Breadcrumb, Button, Form, Input, Radio } from 'antd';
import { Link, useNavigate } from 'react-router';
import { useShowApiError } from '../../../shared/api/form-errors';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { uploadScreenshot, useCreateTicket } from '../api';
import { type Screenshot, ScreenshotUpload } from '../components/ScreenshotUpload';
import '../help.css';

interface Values {
  topic?: TTicketTopic;
  subject?: string;
  body?: string;
  fileIds?: Screenshot[];
}

/** 在线客服 › 新建咨询 (portal /help/tickets/new): topic, title, description and up to 3 screenshots. */
export function NewTicketPage() {
  const site = useSite().data;
  usePageTitle('在线客服', site?.name);
  const [form] = Form.useForm<Values>();
  const create = useCreateTicket();
  const showError = useShowApiError();
  const navigate = useNavigate();
  const { message } = App.useApp();

  const onFinish = (v: Values) =>
    create.mutate(
      {
        topic: v.topic as TTicketTopic,
        subject: v.subject?.trim() ?? '',
        body: v.body?.trim() ?? '',
        fileIds: (v.fileIds ?? []).map((f) => f.id),
      },
      {
        onSuccess: (t) => {
          message.success(`咨询已提交，工单号 ${t.ticketNo}`);
          navigate(`/help/tickets/${t.id}`, { replace: true });
        },
        onError: (err) => showError(err, form),
      },
    );

  return (
    <div className="cpe-help-page is-narrow">
      <Breadcrumb
        className="cpe-help-breadcrumb"
        items={[
          { title: <Link to="/">首页</Link> },
          { title: <Link to="/help">咨询方式</Link> },
          { title: <Link to="/help/tickets">我的咨询</Link> },
          { title: '新建咨询' },
        ]}
      />
      <h1 className="cpe-help-title">在线客服</h1>
      <p className="cpe-help-lead">请描述您遇到的问题，客服人员会在此回复；回复后“我的咨询”会提示新回复。</p>
      <Form<Values> form={form} layout="vertical" name="ticket" onFinish={onFinish} className="cpe-help-form">
        <Form.Item label="咨询类别" name="topic" rules={[{ required: true, message: '请选择咨询类别' }]}>
          <Radio.Group
            className="cpe-help-topics"
            optionType="button"
            options={TICKET_TOPICS.map((t) => ({ value: t, label: TICKET_TOPIC_LABELS[t] }))}
          />
        </Form.Item>
        <Form.Item
          label="标题"
          name="subject"
          rules={[
            { required: true, whitespace: true, message: '请填写标题' },
            { min: 2, message: '标题至少2个字' },
          ]}
        >
          <Input maxLength={60} showCount placeholder="一句话概括问题，如：视频无法播放" />
        </Form.Item>
        <Form.Item
          label="问题描述"
          name="body"
          rules={[
            { required: true, whitespace: true, message: '请填写问题描述' },
            { min: 5, message: '问题描述至少5个字' },
          ]}
        >
          <Input.TextArea
            maxLength={2000}
            showCount
            autoSize={{ minRows: 5, maxRows: 12 }}
            placeholder="请写明操作步骤、出现的提示和时间，便于客服排查"
          />
        </Form.Item>
        <Form.Item label="截图（选填）" name="fileIds">
          <ScreenshotUpload upload={uploadScreenshot} />
        </Form.Item>
        <div className="cpe-help-form-actions">
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            提交咨询
          </Button>
          <Button onClick={() => navigate(-1)}>返回</Button>
        </div>
      </Form>
    </div>
  );
}
