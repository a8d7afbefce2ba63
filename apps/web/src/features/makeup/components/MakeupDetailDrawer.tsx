import { FileOutlined } from '@ant-design/icons';
import { MAKEUP_EVIDENCE_LABELS } from '@cpe/shared/schemas/makeup';
import { Alert, App, Button, Descriptions, Drawer, Form, Image, Input, Modal, Skeleton, Tag } from 'antd';
import { useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { adminFileUrl, useAdminMakeupRequest, useDecideMakeup } from '../api';
import { minutes, StatusTag } from '../format';
import type { AdminMakeupRequest } from '../types';

/** An evidence file: a thumbnail (click for the full image), or a link when it is a PDF. */
export function FilePreview({ url, label }: { url: string; label: string }) {
  const [notImage, setNotImage] = useState(false);
  if (notImage)
    return (
      <a href={url} target="_blank" rel="noopener" className="cpe-mk-file-link">
        <FileOutlined /> 查看{label}（PDF）
      </a>
    );
  return (
    <span className="cpe-mk-preview">
      <Image src={url} alt={label} width={160} height={110} onError={() => setNotImage(true)} />
    </span>
  );
}

function Evidence({ r }: { r: AdminMakeupRequest }) {
  if (r.evidenceKind === 'pledge')
    return (
      <div className="cpe-mk-evidence-row">
        <Descriptions
          size="small"
          column={1}
          items={[
            { key: 'paidOn', label: '缴费日期', children: r.pledge?.paidOn ?? '—' },
            { key: 'reason', label: '无法提供缴费凭证的原因', children: r.pledge?.reason ?? '—' },
          ]}
        />
        {r.pledgeFileId ? (
          <FilePreview url={adminFileUrl(r.id, r.pledgeFileId)} label="签字承诺书" />
        ) : (
          <span className="cpe-muted">未上传承诺书</span>
        )}
      </div>
    );
  return (
    <>
      {r.rows.map((row, i) => (
        <div className="cpe-mk-evidence-row" key={`${row.orderNo}-${row.fileId}`} data-order-no={row.orderNo}>
          <Descriptions
            size="small"
            column={2}
            items={[
              { key: 'year', label: '缴费年度', children: row.year },
              { key: 'orderNo', label: '订单编号', children: row.orderNo },
              { key: 'payer', label: '付款人', children: row.payer },
              { key: 'paidAt', label: '缴费时间', children: row.paidAt },
              { key: 'platform', label: '缴费平台', children: row.platform, span: 2 },
            ]}
          />
          <FilePreview url={adminFileUrl(r.id, row.fileId)} label={`缴费截图${i + 1}`} />
        </div>
      ))}
    </>
  );
}

/** 补学申请详情: the learner, the evidence with previews, and 审核通过 / 审核不通过 while pending. */
export function MakeupDetailDrawer({ id, open, onClose }: { id: string | null; open: boolean; onClose: () => void }) {
  const detail = useAdminMakeupRequest(id);
  const decide = useDecideMakeup();
  const { modal, message } = App.useApp();
  const [rejecting, setRejecting] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const r = detail.data;

  const onApprove = () => {
    if (!r) return;
    modal.confirm({
      title: '确认审核通过？',
      content: `通过后将为 ${r.learnerName} 免费开通${r.year}年度公需科目补学。`,
      okText: '审核通过',
      cancelText: '取消',
      onOk: async () => {
        try {
          await decide.mutateAsync({ id: r.id, decision: 'approve' });
          message.success('已审核通过，已为学员开通补学');
        } catch (err) {
          if (!isUnauthenticated(err)) message.error(toApiError(err).message);
        }
      },
    });
  };

  const onReject = async () => {
    if (!r) return;
    const { reason } = await form.validateFields();
    try {
      await decide.mutateAsync({ id: r.id, decision: 'reject', reason: reason.trim() });
      message.success('已审核不通过');
      setRejecting(false);
      form.resetFields();
    } catch (err) {
      const rest = applyApiError(err, form);
      if (rest && !isUnauthenticated(err)) message.error(rest);
    }
  };

  const error = detail.error && !isUnauthenticated(detail.error) ? toApiError(detail.error) : null;

  return (
    <Drawer
      title="补学申请详情"
      open={open}
      onClose={onClose}
      size={720}
      destroyOnHidden={false}
      footer={
        r?.status === 'pending' ? (
          <div className="cpe-mk-actions">
            <Button danger onClick={() => setRejecting(true)} disabled={decide.isPending}>
              审核不通过
            </Button>
            <Button type="primary" onClick={onApprove} loading={decide.isPending}>
              审核通过
            </Button>
          </div>
        ) : null
      }
    >
      {error && <Alert type="error" showIcon title={error.message} style={{ marginBottom: 12 }} />}
      {!r ? (
        detail.isPending && <Skeleton active />
      ) : (
        <>
          {r.overdue && r.status === 'pending' && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 12 }}
              title={`已超期：应于 ${minutes(r.dueAt)} 前完成审核`}
            />
          )}
          <Descriptions
            size="small"
            bordered
            column={2}
            style={{ marginBottom: 16 }}
            items={[
              { key: 'name', label: '姓名', children: r.learnerName },
              { key: 'username', label: '用户名', children: r.username },
              { key: 'id', label: '证件号码', children: r.idNumberMasked },
              { key: 'phone', label: '手机号', children: r.phoneMasked ?? '—' },
              { key: 'year', label: '补学年度', children: `${r.year}年` },
              { key: 'kind', label: '证明方式', children: MAKEUP_EVIDENCE_LABELS[r.evidenceKind] },
              { key: 'submittedAt', label: '提交时间', children: minutes(r.submittedAt) },
              {
                key: 'dueAt',
                label: '审核期限',
                children: (
                  <span className={r.overdue ? 'cpe-mk-overdue-text' : undefined}>
                    {minutes(r.dueAt)}
                    {r.overdue && (
                      <Tag color="red" style={{ marginInlineStart: 6 }}>
                        已超期
                      </Tag>
                    )}
                  </span>
                ),
              },
              { key: 'status', label: '状态', children: <StatusTag status={r.status} />, span: 2 },
              ...(r.status !== 'pending'
                ? [
                    { key: 'decidedAt', label: '审核时间', children: minutes(r.decidedAt) || '—' },
                    { key: 'decidedBy', label: '审核人', children: r.decidedBy ?? '—' },
                  ]
                : []),
              ...(r.status === 'rejected'
                ? [{ key: 'reason', label: '不通过原因', children: r.reason ?? '—', span: 2 }]
                : []),
            ]}
          />
          <h3 className="cpe-mk-drawer-title">{MAKEUP_EVIDENCE_LABELS[r.evidenceKind]}</h3>
          <Image.PreviewGroup>
            <Evidence r={r} />
          </Image.PreviewGroup>
        </>
      )}
      <Modal
        title="审核不通过"
        open={rejecting}
        okText="确认不通过"
        okButtonProps={{ danger: true, loading: decide.isPending }}
        cancelText="取消"
        onOk={onReject}
        onCancel={() => setRejecting(false)}
        forceRender
      >
        <Form form={form} layout="vertical" name="makeupReject">
          <Form.Item
            label="不通过原因"
            name="reason"
            rules={[{ required: true, whitespace: true, min: 2, message: '请填写不通过原因（至少2个字）' }]}
          >
            <Input.TextArea
              rows={4}
              maxLength={200}
              showCount
              placeholder="请说明不通过的原因，学员可在补学申请中看到"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}
