import { RollbackOutlined } from '@ant-design/icons';
import { ZOrderRefundRequest } from '@cpe/shared/schemas/learners';
import { App, Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useShowApiError } from '../../../shared/api/form-errors';
import { useRefundPaymentException } from '../api';
import { formatFen } from '../money';

const reasonRule = {
  validator: async (_: unknown, value: string | undefined) => {
    if (!value?.trim()) return;
    const r = ZOrderRefundRequest.shape.reason.safeParse(value ?? '');
    if (!r.success) throw new Error(r.error.issues[0]?.message);
  },
};

/**
 * 退款 of a 待处理 payment in 订单详情: money came in with another amount than the order's, so the order stayed
 * unpaid and nobody was enrolled; what was received goes back the way it came.
 */
export function ExceptionRefundButton({
  orderId,
  payment,
}: {
  orderId: string;
  payment: { outTradeNo: string; amountFen: number; receivedFen: number | null };
}) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const refund = useRefundPaymentException();
  const { modal } = App.useApp();
  const showError = useShowApiError();
  const received = payment.receivedFen ?? payment.amountFen;

  const submit = ({ reason }: { reason: string }) =>
    refund.mutateAsync({ orderId, outTradeNo: payment.outTradeNo, reason: reason.trim() }).then(
      (r) => {
        setOpen(false);
        form.resetFields();
        modal.success({
          title: '已提交退款',
          okText: '知道了',
          content: `退款单号 ${r.outRefundNo}，金额 ${formatFen(r.amountFen)}，正在等待支付渠道确认。`,
        });
      },
      (err) => showError(err, form),
    );

  return (
    <>
      <Button danger size="small" icon={<RollbackOutlined />} onClick={() => setOpen(true)}>
        退款
      </Button>
      <Modal
        title={`待处理支付退款 · ${payment.outTradeNo}`}
        open={open}
        onCancel={() => setOpen(false)}
        okText="确定退款"
        okButtonProps={{ danger: true, loading: refund.isPending }}
        cancelText="取消"
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Typography.Paragraph>
          该笔支付实收 <strong>{formatFen(received)}</strong>，与应付 {formatFen(payment.amountFen)}{' '}
          不符，订单未开通。退款将按原支付方式退回实收金额，操作将记入审计日志。
        </Typography.Paragraph>
        <Form form={form} layout="vertical" name="paymentExceptionRefund" onFinish={submit} preserve={false}>
          <Form.Item label="退款原因" name="reason" rules={[{ required: true, message: '请填写退款原因' }, reasonRule]}>
            <Input.TextArea rows={3} maxLength={200} showCount placeholder="例如：支付金额与订单不符，原路退回" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
