import { LANDLINE_OR_MOBILE_RE } from '@cpe/shared/applications/index';
import { Alert, DatePicker, Form, type FormInstance, Input, Modal, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { isPickedAfterNow, platformToday } from '../../../../shared/platform-time';

/** The phone a reviewer gave last time: most reviewers use one desk line for every return. */
const PHONE_KEY = 'cpe.applicationReview.contactPhone';

function rememberedPhone(): string {
  try {
    return localStorage.getItem(PHONE_KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberPhone(phone: string): void {
  try {
    localStorage.setItem(PHONE_KEY, phone);
  } catch {
    // storage unavailable (private mode): the phone is simply asked again next time
  }
}

interface ReturnValues {
  deadline: Dayjs;
  contactName: string;
  contactPhone: string;
}

/** A week from today at 17:00, the end of an office day. */
function defaultDeadline(): Dayjs {
  return platformToday().add(7, 'day').hour(17);
}

interface ModalProps<V> {
  open: boolean;
  busy: boolean;
  onCancel: () => void;
  onOk: (values: V, form: FormInstance<V>) => Promise<void>;
}

function submitter<V>(form: FormInstance<V>, onOk: (values: V, form: FormInstance<V>) => Promise<void>) {
  return async () => {
    let values: V;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    await onOk(values, form);
  };
}

/** 退回修改: the sections that carry a comment are sent back marked 改, to be changed by the deadline. */
export function ReturnModal({
  open,
  busy,
  onCancel,
  onOk,
  sectionTitles,
  contactName,
}: ModalProps<ReturnValues> & { sectionTitles: string[]; contactName: string }) {
  const [form] = Form.useForm<ReturnValues>();
  const submit = submitter(form, onOk);
  return (
    <Modal
      open={open}
      title="退回修改"
      okText="确认退回"
      okButtonProps={{ loading: busy }}
      cancelButtonProps={{ disabled: busy }}
      onOk={submit}
      onCancel={onCancel}
      destroyOnHidden
      width={560}
    >
      <Alert
        className="cpe-ar-alert"
        type="warning"
        showIcon
        title="以下填报项将标记为“改”，申报单位须在修改截止时间前修改后重新提交："
        description={
          <div className="cpe-ar-return-sections">
            {sectionTitles.map((t) => (
              <Tag key={t} color="orange">
                改 · {t}
              </Tag>
            ))}
          </div>
        }
      />
      <Form
        form={form}
        layout="vertical"
        name="applicationReturn"
        initialValues={{ deadline: defaultDeadline(), contactName, contactPhone: rememberedPhone() }}
      >
        <Form.Item
          label="修改截止时间"
          name="deadline"
          rules={[
            { required: true, message: '请选择修改截止时间' },
            {
              validator: (_r, v: Dayjs | null) =>
                !v || isPickedAfterNow(v) ? Promise.resolve() : Promise.reject(new Error('修改截止时间应晚于当前时间')),
            },
          ]}
        >
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            format="YYYY-MM-DD HH:mm"
            disabledDate={(d) => d.isBefore(platformToday(), 'day')}
            style={{ width: '100%' }}
          />
        </Form.Item>
        <Form.Item
          label="联系人"
          name="contactName"
          rules={[
            { required: true, whitespace: true, message: '请输入联系人' },
            { min: 2, message: '请输入联系人' },
            { max: 30, message: '联系人不能超过30个字' },
          ]}
        >
          <Input maxLength={30} autoComplete="name" />
        </Form.Item>
        <Form.Item
          label="联系电话"
          name="contactPhone"
          extra="申报单位对修改意见有疑问时联系此电话"
          rules={[
            { required: true, whitespace: true, message: '请输入联系电话' },
            { pattern: LANDLINE_OR_MOBILE_RE, message: '联系电话格式不正确（手机号或区号-座机号）' },
          ]}
        >
          <Input maxLength={20} inputMode="tel" autoComplete="tel" placeholder="如：023-88888888 或 13800000000" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 审核通过: a last confirmation, with an optional 审核意见 for the filer. */
export function ApproveModal({ open, busy, onCancel, onOk }: ModalProps<{ opinion?: string }>) {
  const [form] = Form.useForm<{ opinion?: string }>();
  const submit = submitter(form, onOk);
  return (
    <Modal
      open={open}
      title="审核通过"
      okText="确认通过"
      okButtonProps={{ loading: busy }}
      cancelButtonProps={{ disabled: busy }}
      onOk={submit}
      onCancel={onCancel}
      destroyOnHidden
    >
      <p>确认该申报书审核通过？通过后申报单位不能再修改或撤回。</p>
      <Form form={form} layout="vertical" name="applicationApprove">
        <Form.Item label="审核意见（选填）" name="opinion" rules={[{ max: 1000, message: '审核意见不能超过1000个字' }]}>
          <Input.TextArea
            maxLength={1000}
            showCount
            autoSize={{ minRows: 3, maxRows: 8 }}
            placeholder="将告知申报单位"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** 审核不通过: final, so it needs its 原因. */
export function RejectModal({ open, busy, onCancel, onOk }: ModalProps<{ reason: string }>) {
  const [form] = Form.useForm<{ reason: string }>();
  const submit = submitter(form, onOk);
  return (
    <Modal
      open={open}
      title="审核不通过"
      okText="确认不通过"
      okButtonProps={{ danger: true, loading: busy }}
      cancelButtonProps={{ disabled: busy }}
      onOk={submit}
      onCancel={onCancel}
      destroyOnHidden
    >
      <p>审核不通过后该申报书结束办理，申报单位不能修改后重新提交。</p>
      <Form form={form} layout="vertical" name="applicationReject">
        <Form.Item
          label="原因"
          name="reason"
          rules={[
            { required: true, whitespace: true, message: '请填写不通过原因' },
            { min: 2, message: '请填写不通过原因（至少2个字）' },
            { max: 1000, message: '原因不能超过1000个字' },
          ]}
        >
          <Input.TextArea
            maxLength={1000}
            showCount
            autoSize={{ minRows: 4, maxRows: 8 }}
            placeholder="将告知申报单位，如：研修内容与高级研修项目定位不符"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
