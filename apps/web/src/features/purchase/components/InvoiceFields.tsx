import { INVOICE_TITLE_TYPE_LABELS, ZInvoiceTitle } from '@cpe/shared/schemas/purchase';
import { Form, type FormInstance, type FormRule, Input, Radio } from 'antd';
import type { InvoiceTitleInput } from '../types';

type TitleField = 'titleType' | 'title' | 'taxNo' | 'email';
type NamePath = (string | number)[];

/**
 * The server's own rule (ZInvoiceTitle) for one field. The schema checks the whole title at once (the
 * 纳税人识别号 is required only for 单位), so the other fields are given harmless values: each field then
 * reports its own message, whatever state the others are in.
 */
export function invoiceFieldMessage(field: TitleField, values: Partial<InvoiceTitleInput>): string | null {
  const probe: Record<string, unknown> = {
    titleType: 'personal',
    title: '发票抬头',
    taxNo: undefined,
    email: undefined,
  };
  const value = values[field];
  probe[field] = value === '' && field !== 'title' ? undefined : value;
  if (field === 'taxNo') probe.titleType = values.titleType ?? 'unit';
  const result = ZInvoiceTitle.safeParse(probe);
  if (result.success) return null;
  return result.error.issues.find((i) => i.path[0] === field)?.message ?? null;
}

function rule(prefix: NamePath, field: TitleField): FormRule {
  return ({ getFieldValue }) => ({
    required: field !== 'email',
    validator: async (_rule, value: unknown) => {
      const titleType = getFieldValue([...prefix, 'titleType']) as InvoiceTitleInput['titleType'] | undefined;
      const message = invoiceFieldMessage(field, { titleType, [field]: value });
      if (message) throw new Error(message);
    },
  });
}

/** The title the form holds, as the API takes it (no 纳税人识别号 for a 个人 title). */
export function invoiceTitleOf(v: Partial<InvoiceTitleInput> | undefined): InvoiceTitleInput {
  const titleType = v?.titleType ?? 'personal';
  return {
    titleType,
    title: v?.title?.trim() ?? '',
    ...(titleType === 'unit' ? { taxNo: v?.taxNo?.trim().toUpperCase() ?? '' } : {}),
    ...(v?.email?.trim() ? { email: v.email.trim() } : {}),
  };
}

const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);

/**
 * 发票抬头 fields: 抬头类型 个人/单位, 发票抬头, 纳税人识别号 (单位 only), 电子邮箱. `prefix` places them in a
 * larger form (提交订单 keeps them under invoice.title, as the API's field errors name them). 团体购买
 * invoices are made out to a unit only (`unitOnly`). A 个人 title defaults to the person's name.
 */
export function InvoiceTitleFields({
  form,
  prefix = [],
  unitOnly = false,
  personalName,
}: {
  form: FormInstance;
  prefix?: NamePath;
  unitOnly?: boolean;
  personalName?: string;
}) {
  const name = (f: TitleField): NamePath => [...prefix, f];
  const titleType = Form.useWatch(name('titleType'), form) as InvoiceTitleInput['titleType'] | undefined;
  const isUnit = unitOnly || titleType === 'unit';

  const onTypeChange = (next: InvoiceTitleInput['titleType']) => {
    const title = form.getFieldValue(name('title')) as string | undefined;
    // The name filled in for 个人 is not a unit's name, and the other way round.
    if (next === 'unit' && title === personalName) form.setFieldValue(name('title'), '');
    if (next === 'personal' && !title?.trim() && personalName) form.setFieldValue(name('title'), personalName);
    if (form.getFieldError(name('title')).length) void form.validateFields([name('title')]);
  };

  return (
    <>
      <Form.Item
        label="抬头类型"
        name={name('titleType')}
        rules={[rule(prefix, 'titleType')]}
        extra={unitOnly ? '团体购买的发票抬头须为单位，请填写单位名称和纳税人识别号' : undefined}
      >
        <Radio.Group onChange={(e) => onTypeChange(e.target.value as InvoiceTitleInput['titleType'])}>
          {!unitOnly && <Radio value="personal">{INVOICE_TITLE_TYPE_LABELS.personal}</Radio>}
          <Radio value="unit">{INVOICE_TITLE_TYPE_LABELS.unit}</Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item
        label="发票抬头"
        name={name('title')}
        rules={[rule(prefix, 'title')]}
        extra={isUnit ? '请填写单位全称，与税务登记一致' : undefined}
      >
        <Input placeholder={isUnit ? '请输入单位全称' : '请输入个人姓名'} maxLength={100} autoComplete="off" />
      </Form.Item>
      {isUnit && (
        <Form.Item
          label="纳税人识别号"
          name={name('taxNo')}
          rules={[rule(prefix, 'taxNo')]}
          normalize={upper}
          extra="即单位的18位统一社会信用代码"
        >
          <Input placeholder="请输入纳税人识别号" maxLength={20} autoComplete="off" spellCheck={false} />
        </Form.Item>
      )}
      <Form.Item
        label="电子邮箱"
        name={name('email')}
        rules={[rule(prefix, 'email')]}
        extra="选填，开票后电子发票将同时发送至该邮箱"
      >
        <Input placeholder="请输入电子邮箱（选填）" maxLength={100} inputMode="email" autoComplete="email" />
      </Form.Item>
    </>
  );
}

/** The seed's three 注意事项 about invoices. */
export function InvoiceNotes({ className }: { className?: string }) {
  return (
    <section className={className ? `cpe-buy-notes ${className}` : 'cpe-buy-notes'} aria-label="发票注意事项">
      <h3 className="cpe-buy-notes-title">注意事项</h3>
      <ol>
        <li>不能跨年补开发票，请在缴费当年申请发票。</li>
        <li>申请开票成功15日内可修改发票1次，跨年不可修改。</li>
        <li>开票前，请与贵单位的财务人员核实开票信息，以免填写错误。</li>
      </ol>
    </section>
  );
}
