import {
  CREDIT_CORRECTION_MAX,
  type TCreditCorrectionInput,
  ZCreditCorrectionInput,
} from '@cpe/shared/schemas/credit-admin';
import { CREDIT_CATEGORY_LABELS, CREDIT_FORMS } from '@cpe/shared/schemas/credits';
import { Alert, App, Form, Input, InputNumber, Modal, Radio, Select } from 'antd';
import { useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { useCorrectCredits } from '../api';

type Values = Partial<TCreditCorrectionInput>;

/**
 * 学时更正: a figure added to (or, negative, taken from) a year and category, with the reason shown on the record and
 * written to the audit log. The sentence above the button says what will happen before it is confirmed.
 */
export function CorrectionModal({
  open,
  accountId,
  personName,
  year,
  years,
  onClose,
}: {
  open: boolean;
  accountId: string;
  personName: string;
  year: number;
  years: number[];
  onClose: () => void;
}) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const correct = useCorrectCredits(accountId);
  const [error, setError] = useState<string | null>(null);
  const values = Form.useWatch([], form) as Values | undefined;

  const onOk = async () => {
    setError(null);
    try {
      await form.validateFields();
    } catch {
      // The form shows each field's message.
      return;
    }
    const parsed = ZCreditCorrectionInput.safeParse(form.getFieldsValue());
    if (!parsed.success) {
      form.setFields(
        parsed.error.issues.map((i) => ({ name: i.path[0] as keyof Values, errors: [i.message] })) as never,
      );
      return;
    }
    try {
      await correct.mutateAsync(parsed.data);
      message.success('学时已更正，已记入处理记录和审计日志');
      onClose();
    } catch (err) {
      if (isUnauthenticated(err)) return;
      const e = toApiError(err);
      if (e.fields)
        form.setFields(Object.entries(e.fields).map(([name, msg]) => ({ name: name as keyof Values, errors: [msg] })));
      setError(e.message);
    }
  };

  const h = Number(values?.hours);
  const summary =
    values?.year && values.category && Number.isInteger(h) && h !== 0
      ? `将为${personName}的${values.year}年度${CREDIT_CATEGORY_LABELS[values.category]}${h > 0 ? '增加' : '扣减'} ${Math.abs(h)} 学时。`
      : null;

  return (
    <Modal
      open={open}
      title="学时更正"
      okText="确认更正"
      cancelText="取消"
      onOk={onOk}
      okButtonProps={{ loading: correct.isPending }}
      onCancel={onClose}
      afterOpenChange={(visible) => {
        if (visible) {
          setError(null);
          form.resetFields();
          form.setFieldsValue({ year, category: 'professional', form: '其他' });
        }
      }}
    >
      <p className="cpe-muted">
        更正作为一条“学时更正”记录计入本人学时档案（已认定），原记录保留；填写负数可扣减多计的学时。更正原因将显示在学时档案中，并记入审计日志。
      </p>
      <Form<Values> form={form} layout="vertical" name="creditCorrection" requiredMark>
        <div className="cpe-cs-form-row">
          <Form.Item name="year" label="年度" rules={[{ required: true, message: '请选择年度' }]}>
            <Select<number> options={years.map((y) => ({ value: y, label: `${y}年度` }))} aria-label="年度" />
          </Form.Item>
          <Form.Item
            name="category"
            label="类别"
            rules={[{ required: true, message: '请选择类别（公需科目或专业科目）' }]}
          >
            <Radio.Group
              optionType="button"
              options={(['public', 'professional'] as const).map((c) => ({
                value: c,
                label: CREDIT_CATEGORY_LABELS[c],
              }))}
            />
          </Form.Item>
        </div>
        <div className="cpe-cs-form-row">
          <Form.Item name="form" label="学习形式" rules={[{ required: true, message: '请选择学习形式' }]}>
            <Select options={CREDIT_FORMS.map((f) => ({ value: f, label: f }))} aria-label="学习形式" />
          </Form.Item>
          <Form.Item
            name="hours"
            label="更正学时"
            tooltip="正数增加，负数扣减"
            rules={[
              { required: true, message: '请填写更正学时' },
              {
                validator: (_r, v) => (v === 0 ? Promise.reject(new Error('更正学时不能为0')) : Promise.resolve()),
              },
            ]}
          >
            <InputNumber<number>
              min={-CREDIT_CORRECTION_MAX}
              max={CREDIT_CORRECTION_MAX}
              precision={0}
              style={{ width: '100%' }}
              placeholder="如 10 或 -10"
              aria-label="更正学时"
            />
          </Form.Item>
        </div>
        <Form.Item
          name="title"
          label="项目名称"
          rules={[
            { required: true, whitespace: true, message: '请填写项目名称' },
            { min: 2, message: '项目名称至少2个字' },
            { max: 100, message: '项目名称不能超过100个字' },
          ]}
        >
          <Input maxLength={100} placeholder="如：2026年度专业技术人员面授培训（补记）" />
        </Form.Item>
        <Form.Item
          name="reason"
          label="更正原因"
          rules={[
            { required: true, whitespace: true, message: '请填写更正原因' },
            { min: 2, message: '更正原因至少2个字' },
            { max: 200, message: '更正原因不能超过200个字' },
          ]}
        >
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="如：单位补交培训证明，经核实漏记" />
        </Form.Item>
      </Form>
      {summary && <Alert type="warning" showIcon title={summary} />}
      {error && <Alert className="cpe-cs-modal-error" type="error" showIcon title={error} />}
    </Modal>
  );
}
