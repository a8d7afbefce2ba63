import { App, Button } from 'antd';
import { toApiError } from '../../../shared/api/client';
import { useCancelOrder } from '../api';
import type { Order } from '../types';

/** 取消订单 after a confirmation (a cancelled order cannot be paid again: a new one is needed). */
export function useConfirmCancel() {
  const { message, modal } = App.useApp();
  const cancel = useCancelOrder();
  return (order: Order) =>
    modal.confirm({
      title: '确认取消订单？',
      content: `订单号 ${order.orderNo}（${order.planName}）取消后不能恢复，如需购买请重新下单。`,
      okText: '确认取消',
      okButtonProps: { danger: true },
      cancelText: '暂不取消',
      onOk: async () => {
        try {
          await cancel.mutateAsync(order.id);
          message.success('订单已取消');
        } catch (err) {
          message.error(toApiError(err).message);
        }
      },
    });
}

export function CancelOrderButton({ order, size }: { order: Order; size?: 'small' | 'middle' | 'large' }) {
  const confirmCancel = useConfirmCancel();
  return (
    <Button size={size} onClick={() => confirmCancel(order)}>
      取消订单
    </Button>
  );
}
