import { App, Descriptions, Form, Modal } from 'antd';
import { useState } from 'react';
import { useShowApiError } from '../../../shared/api/form-errors';
import { useMe } from '../../identity/api';
import { useModifyInvoice, useRequestInvoice } from '../api';
import { formatFen } from '../format';
import type { Invoice, InvoiceTitleInput, Order } from '../types';
import { InvoiceNotes, InvoiceTitleFields, invoiceTitleOf } from './InvoiceFields';

const MODIFY_EXPLAINED =
  '修改发票时，系统将对原发票开具红字发票（红冲）作废，再按新的抬头重新开具一张蓝字发票。申请开票成功15日内可修改发票1次，跨年不可修改。确认修改吗？';

/**
 * 申请开票 (a paid order without an invoice) or 修改发票 (an issued one): the 发票抬头 form in a modal. A
 * change is confirmed first: it reverses the invoice (红冲) and issues a new one, once only.
 */
export function InvoiceTitleModal({
  target,
  onClose,
}: {
  target: { kind: 'request'; order: Order } | { kind: 'modify'; invoice: Invoice; group: boolean } | null;
  onClose: () => void;
}) {
  const [form] = Form.useForm<InvoiceTitleInput>();
  const me = useMe().data;
  const { message, modal } = App.useApp();
  const showError = useShowApiError();
  const request = useRequestInvoice();
  const modify = useModifyInvoice();
  const [busy, setBusy] = useState(false);
  const open = target !== null;
  const unitOnly = target?.kind === 'request' ? target.order.kind === 'group' : target?.group === true;

  const initialValues: Partial<InvoiceTitleInput> | undefined = !target
    ? undefined
    : target.kind === 'modify'
      ? {
          titleType: target.invoice.titleType,
          title: target.invoice.title,
          taxNo: target.invoice.taxNo ?? undefined,
          email: target.invoice.email ?? undefined,
        }
      : unitOnly
        ? { titleType: 'unit' }
        : { titleType: 'personal', title: me?.realName ?? '' };
  const targetKey = !target ? '' : target.kind === 'modify' ? target.invoice.id : target.order.id;

  const submit = async (title: InvoiceTitleInput) => {
    if (!target) return;
    setBusy(true);
    try {
      if (target.kind === 'request') {
        await request.mutateAsync({ orderId: target.order.id, title });
        message.success('开票申请已提交，电子发票开具后可在“我的发票”中查看');
      } else {
        await modify.mutateAsync({ id: target.invoice.id, title });
        message.success('修改申请已提交，原发票红冲后将按新抬头重新开具');
      }
      onClose();
    } catch (err) {
      showError(err, form);
    } finally {
      setBusy(false);
    }
  };

  const onOk = async () => {
    let values: InvoiceTitleInput;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const title = invoiceTitleOf(values);
    if (target?.kind === 'modify')
      modal.confirm({
        title: '确认修改发票？',
        content: MODIFY_EXPLAINED,
        okText: '确认修改',
        cancelText: '取消',
        onOk: () => submit(title),
      });
    else await submit(title);
  };

  const info =
    target?.kind === 'request'
      ? { orderNo: target.order.orderNo, planName: target.order.planName, amountFen: target.order.amountFen }
      : target
        ? { orderNo: target.invoice.orderNo, planName: target.invoice.planName, amountFen: target.invoice.amountFen }
        : null;

  return (
    <Modal
      open={open}
      title={target?.kind === 'modify' ? '修改发票' : '申请开票'}
      okText={target?.kind === 'modify' ? '提交修改' : '提交申请'}
      cancelText="取消"
      onOk={onOk}
      onCancel={onClose}
      confirmLoading={busy}
      destroyOnHidden
      width={560}
    >
      {info && (
        <Descriptions
          className="cpe-buy-modal-info"
          size="small"
          column={1}
          items={[
            { key: 'orderNo', label: '订单号', children: info.orderNo },
            { key: 'plan', label: '学习计划', children: info.planName },
            { key: 'amount', label: '开票金额', children: formatFen(info.amountFen) },
          ]}
        />
      )}
      <Form
        key={targetKey}
        form={form}
        layout="vertical"
        name="invoice-title"
        className="cpe-buy-modal-form"
        initialValues={initialValues}
      >
        <InvoiceTitleFields form={form} unitOnly={unitOnly} personalName={me?.realName} />
      </Form>
      <InvoiceNotes className="is-compact" />
    </Modal>
  );
}
