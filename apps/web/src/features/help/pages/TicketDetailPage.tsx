import { TICKET_TOPIC_LABELS } from '@cpe/shared/schemas/help';
import { Alert, App, Breadcrumb, Button, Form, Skeleton } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { useShowApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { LoadError } from '../../purchase/components/common';
import { ticketFileUrl, uploadScreenshot, useCloseTicket, useTicket, useTicketMessage } from '../api';
import { ReplyBodyItem, TicketStatusTag } from '../components/common';
import { type Screenshot, ScreenshotUpload } from '../components/ScreenshotUpload';
import { TicketThread } from '../components/TicketThread';
import '../help.css';

interface Values {
  body?: string;
  fileIds?: Screenshot[];
}

/** One 咨询 (portal /help/tickets/:id): the thread, 继续咨询 with screenshots, 关闭咨询. */
export function TicketDetailPage() {
  const id = useParams().id as string;
  const site = useSite().data;
  usePageTitle('咨询详情', site?.name);
  const ticket = useTicket(id);
  const send = useTicketMessage(id);
  const close = useCloseTicket(id);
  const [form] = Form.useForm<Values>();
  const showError = useShowApiError();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();

  const crumbs = (
    <Breadcrumb
      className="cpe-help-breadcrumb"
      items={[
        { title: <Link to="/">首页</Link> },
        { title: <Link to="/help">咨询方式</Link> },
        { title: <Link to="/help/tickets">我的咨询</Link> },
        { title: ticket.data?.ticketNo ?? '咨询详情' },
      ]}
    />
  );
  if (ticket.isError)
    return (
      <div className="cpe-help-page is-narrow">
        {crumbs}
        <LoadError
          error={ticket.error}
          onRetry={() => ticket.refetch()}
          extra={<Button onClick={() => navigate('/help/tickets')}>返回我的咨询</Button>}
        />
      </div>
    );
  if (ticket.isPending)
    return (
      <div className="cpe-help-page is-narrow">
        {crumbs}
        <Skeleton active />
      </div>
    );
  const t = ticket.data;

  const onSend = (v: Values) =>
    send.mutate(
      { body: v.body?.trim() ?? '', fileIds: (v.fileIds ?? []).map((f) => f.id) },
      {
        onSuccess: () => {
          form.resetFields();
          message.success('已发送');
        },
        onError: (err) => showError(err, form),
      },
    );
  const onClose = () =>
    modal.confirm({
      title: '关闭咨询',
      content: '问题已经解决了吗？关闭后不能再回复，如有新问题请新建咨询。',
      okText: '关闭咨询',
      cancelText: '取消',
      onOk: () =>
        close.mutateAsync(undefined).then(
          () => message.success('咨询已关闭'),
          (err) => showError(err),
        ),
    });

  return (
    <div className="cpe-help-page is-narrow">
      {crumbs}
      <div className="cpe-help-head">
        <h1 className="cpe-help-title">{t.subject}</h1>
        <TicketStatusTag status={t.status} />
      </div>
      <p className="cpe-help-ticket-meta">
        <span>工单号 {t.ticketNo}</span>
        <span>{TICKET_TOPIC_LABELS[t.topic]}</span>
        <span>提交于 {formatDateTime(t.createdAt).slice(0, 16)}</span>
      </p>
      <TicketThread messages={t.messages} fileUrl={(fid) => ticketFileUrl(t.id, fid)} mine="learner" />
      {t.status === 'closed' ? (
        <Alert
          type="info"
          showIcon
          title="该咨询已关闭"
          description="如有新的问题，请新建咨询。"
          action={<Button onClick={() => navigate('/help/tickets/new')}>新建咨询</Button>}
        />
      ) : (
        <Form<Values> form={form} layout="vertical" name="ticketReply" onFinish={onSend} className="cpe-help-reply">
          {t.status === 'open' && (
            <Alert
              type="warning"
              showIcon
              title="客服人员正在处理，回复后会在这里显示。"
              style={{ marginBottom: 12 }}
            />
          )}
          <ReplyBodyItem label="继续咨询" rows={3} placeholder="补充说明或追问" />
          <Form.Item label="截图（选填）" name="fileIds">
            <ScreenshotUpload upload={uploadScreenshot} />
          </Form.Item>
          <div className="cpe-help-form-actions">
            <Button type="primary" htmlType="submit" loading={send.isPending}>
              发送
            </Button>
            <Button danger onClick={onClose} loading={close.isPending}>
              关闭咨询
            </Button>
          </div>
        </Form>
      )}
    </div>
  );
}
