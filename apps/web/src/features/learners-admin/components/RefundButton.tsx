import { RollbackOutlined } from '@ant-design/icons';
import { ZOrderRefundRequest } from '@cpe/shared/schemas/learners';
import { App, Button, Form, Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import { useShowApiError } from '../../../shared/api/form-errors';
import { formatFen } from '../../purchase-admin/money';
import { useRefundOrder } from '../api';

const reasonRule = {
  validator: async (_: unknown, value: string | undefined) => {
    // An empty field is the `required` rule's message alone.
    if (!value?.trim()) return;
    const r = ZOrderRefundRequest.shape.reason.safeParse(value ?? '');
    if (!r.success) throw new Error(r.error.issues[0]?.message);
  },
};

/**
 * 退款 in 订单详情: the reason first, then a confirmation naming what happens (money back the way it came,
 * study access removed, the invoice reversed). The server decides whether the order may be refunded.
 */
export function RefundButton({
  order,
}: {
  order: { id: string; orderNo: string; amountFen: number; quantity: number; buyerName: string };
}) {
  const [open, setOpen] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const refund = useRefundOrder();
  const { modal } = App.useApp();
  const showError = useShowApiError();

  const submit = ({ reason }: { reason: string }) => {
    modal.confirm({
      title: '确认退款',
      content: (
        <>
          <p>
            订单 {order.orderNo}（{order.buyerName}）将退款 <strong>{formatFen(order.amountFen)}</strong>：
          </p>
          <ul style={{ paddingLeft: 18, margin: 0 }}>
            <li>款项按原支付方式退回；</li>
            <li>{order.quantity > 1 ? `${order.quantity} 名学员` : '该学员'}的学习资格和学习记录将被删除；</li>
            <li>如已开具电子发票，将开具红字发票冲销。</li>
          </ul>
          <p style={{ marginTop: 8 }}>此操作不可撤销。</p>
        </>
      ),
      okText: '确定退款',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: () =>
        refund.mutateAsync({ id: order.id, reason: reason.trim() }).then(
          (r) => {
            setOpen(false);
            form.resetFields();
            modal.success({
              title: '已退款',
              okText: '知道了',
              content: `退款单号 ${r.outRefundNo}，金额 ${formatFen(r.amountFen)}，正在等待支付渠道确认。已取消 ${r.enrollmentsRemoved} 人的学习资格${r.invoiceReversed ? '，红字发票开具中' : ''}。`,
            });
          },
          (err) => showError(err, form),
        ),
    });
  };

  return (
    <>
      <Button danger size="small" icon={<RollbackOutlined />} onClick={() => setOpen(true)}>
        退款
      </Button>
      <Modal
        title={`退款 · ${order.orderNo}`}
        open={open}
        onCancel={() => setOpen(false)}
        okText="下一步"
        cancelText="取消"
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">
          仅已实际支付、且学员尚未获得合格证书的订单可以退款。操作将记入审计日志。
        </Typography.Paragraph>
        <Form form={form} layout="vertical" name="orderRefund" onFinish={submit} preserve={false}>
          <Form.Item label="退款原因" name="reason" rules={[{ required: true, message: '请填写退款原因' }, reasonRule]}>
            <Input.TextArea rows={3} maxLength={200} showCount placeholder="例如：学员申请退款（2-200字）" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
