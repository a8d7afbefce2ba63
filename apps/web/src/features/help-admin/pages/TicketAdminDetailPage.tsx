import { ArrowLeftOutlined } from '@ant-design/icons';
import { TICKET_TOPIC_LABELS } from '@cpe/shared/schemas/help';
import { Alert, App, Breadcrumb, Button, Descriptions, Form, Result, Skeleton } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { errorCode, toApiError } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { ReplyBodyItem, TicketStatusTag } from '../../help/components/common';
import { TicketThread } from '../../help/components/TicketThread';
import { useSite } from '../../identity/api';
import { adminTicketFileUrl, useAdminCloseTicket, useAdminTicket, useReplyTicket } from '../api';
import '../../help/help.css';
import '../help-admin.css';

/** 在线客服 › 咨询详情 (console /tickets/:id): the thread, 回复 and 关闭. */
export function TicketAdminDetailPage() {
  const id = useParams().id as string;
  const site = useSite().data;
  usePageTitle('咨询详情', site?.staffConsoleName);
  const ticket = useAdminTicket(id);
  const reply = useReplyTicket(id);
  const close = useAdminCloseTicket(id);
  const [form] = Form.useForm<{ body?: string }>();
  const showError = useShowApiError();
  const { modal, message } = App.useApp();
  const navigate = useNavigate();
  const back = () => (window.history.length > 1 ? navigate(-1) : navigate('/tickets'));

  const crumbs = (
    <Breadcrumb
      style={{ marginBottom: 12 }}
      items={[
        { title: <Link to="/">首页</Link> },
        { title: <Link to="/tickets">在线客服</Link> },
        { title: ticket.data?.ticketNo ?? '咨询详情' },
      ]}
    />
  );
  if (ticket.isError) {
    const code = errorCode(ticket.error);
    return (
      <div className="cpe-console-page">
        {crumbs}
        <Result
          status={code === 'FORBIDDEN' ? '403' : code === 'NOT_FOUND' ? '404' : 'error'}
          title={toApiError(ticket.error).message}
          extra={
            <>
              {code !== 'NOT_FOUND' && code !== 'FORBIDDEN' && <Button onClick={() => ticket.refetch()}>重试</Button>}
              <Button onClick={() => navigate('/tickets')}>返回列表</Button>
            </>
          }
        />
      </div>
    );
  }
  if (ticket.isPending)
    return (
      <div className="cpe-console-page">
        {crumbs}
        <div className="cpe-console-panel">
          <Skeleton active />
        </div>
      </div>
    );
  const t = ticket.data;

  const onReply = (v: { body?: string }) =>
    reply.mutate(v.body?.trim() ?? '', {
      onSuccess: () => {
        form.resetFields();
        message.success('已回复，学员将在“我的咨询”看到新回复');
      },
      onError: (err) => showError(err, form),
    });
  const onClose = () =>
    modal.confirm({
      title: `关闭咨询 ${t.ticketNo}？`,
      content: '关闭后双方都不能再回复；学员如有新问题需新建咨询。',
      okText: '关闭咨询',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () =>
        close.mutateAsync(undefined).then(
          () => message.success('咨询已关闭'),
          (err) => showError(err),
        ),
    });

  return (
    <div className="cpe-console-page">
      {crumbs}
      <div className="cpe-console-panel" style={{ paddingTop: 16 }}>
        <div className="cpe-ha-head">
          <Button icon={<ArrowLeftOutlined />} size="small" onClick={back}>
            返回
          </Button>
          <h2 className="cpe-ha-title">{t.subject}</h2>
          <TicketStatusTag status={t.status} />
        </div>
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2, xl: 3 }}
          items={[
            { key: 'no', label: '工单号', children: t.ticketNo },
            { key: 'topic', label: '咨询类别', children: TICKET_TOPIC_LABELS[t.topic] },
            { key: 'created', label: '提交时间', children: formatDateTime(t.createdAt) },
            { key: 'learner', label: '学员', children: `${t.learnerName}（${t.username}）` },
            { key: 'phone', label: '手机号', children: t.phoneMasked ?? '—' },
            { key: 'assignee', label: '处理人', children: t.assigneeName ?? '—' },
          ]}
        />
        <TicketThread messages={t.messages} fileUrl={(fid) => adminTicketFileUrl(t.id, fid)} mine="staff" />
        {t.status === 'closed' ? (
          <Alert type="info" showIcon title="该咨询已关闭" />
        ) : (
          <Form form={form} layout="vertical" name="staffReply" onFinish={onReply} className="cpe-help-reply">
            <ReplyBodyItem label="回复" rows={4} placeholder="回复内容将显示在学员的“我的咨询”中" />
            <div className="cpe-help-form-actions">
              <Button type="primary" htmlType="submit" loading={reply.isPending}>
                回复
              </Button>
              <Button danger onClick={onClose} loading={close.isPending}>
                关闭咨询
              </Button>
            </div>
          </Form>
        )}
      </div>
    </div>
  );
}
