import { ZPlanInput } from '@cpe/shared/schemas/purchase';
import {
  Alert,
  App,
  Button,
  Col,
  DatePicker,
  Drawer,
  Form,
  type FormInstance,
  Input,
  InputNumber,
  Row,
  Switch,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { ApiError, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { zodMessage, zodRule } from '../../../shared/form/rules';
import { fromPlatformPicker, platformYear, toPlatformPicker } from '../../../shared/platform-time';
import { useSavePlan } from '../api';
import { fenToYuan, yuanToFen } from '../money';
import type { Plan, PlanInput } from '../types';
import { CourseList } from './CourseList';
import { CoverUpload } from './CoverUpload';

interface PlanFormValues {
  name?: string;
  year?: number;
  /** 元, two decimals; sent as 分. */
  priceYuan?: number | null;
  requiredHours?: number;
  saleRange?: [Dayjs | null, Dayjs | null] | null;
  description?: string;
  coverFileId?: string | null;
  courseIds?: string[];
  published?: boolean;
}

const SHAPE = ZPlanInput.shape;
const TIME_FORMAT = 'YYYY-MM-DD HH:mm:ss';

function initialValues(plan: Plan | null): PlanFormValues {
  if (!plan) return { year: platformYear(), requiredHours: 30, courseIds: [], coverFileId: null, published: false };
  return {
    name: plan.name,
    year: plan.year,
    priceYuan: fenToYuan(plan.priceFen),
    requiredHours: plan.requiredHours,
    saleRange: [toPlatformPicker(plan.saleFrom), toPlatformPicker(plan.saleTo)],
    description: plan.description,
    coverFileId: plan.coverFileId,
    courseIds: plan.courses.map((c) => c.id),
    published: plan.published,
  };
}

/** The validated form as the API's body: 元 → 分, the sale period as ISO times in the platform's zone. */
function toInput(v: PlanFormValues): PlanInput {
  const [from, to] = v.saleRange ?? [];
  return {
    name: (v.name ?? '').trim(),
    year: v.year as number,
    priceFen: yuanToFen(v.priceYuan as number),
    requiredHours: v.requiredHours as number,
    saleFrom: fromPlatformPicker(from as Dayjs),
    saleTo: fromPlatformPicker(to as Dayjs),
    description: (v.description ?? '').trim(),
    coverFileId: v.coverFileId ?? null,
    courseIds: v.courseIds ?? [],
    published: v.published ?? false,
  };
}

/** Server field names that differ from this form's: 价格 is entered in 元, the sale period is one picker. */
const FIELD_ALIASES: Record<string, string> = { priceFen: 'priceYuan', saleFrom: 'saleRange', saleTo: 'saleRange' };

/**
 * The server's field messages on the form; returns what is left to show above it. Messages about one chosen
 * course ('courseIds.0') belong to the course list as a whole.
 */
function showSaveError(err: unknown, form: FormInstance): string | null {
  const e = toApiError(err);
  if (!e.fields) return e.message;
  const fields = Object.fromEntries(
    Object.entries(e.fields).map(([k, msg]) => [
      FIELD_ALIASES[k] ?? (k.startsWith('courseIds.') ? 'courseIds' : k),
      msg,
    ]),
  );
  return applyApiError(new ApiError(e.status, { code: e.code, message: e.message, fields }), form);
}

/**
 * 新增 / 编辑 one 学习计划 in a drawer. The rules are the server's zod schema's; the server still decides,
 * and its field messages land on the fields. Closing with unsaved changes asks first.
 */
export function PlanEditor({ open, plan, onClose }: { open: boolean; plan: Plan | null; onClose: () => void }) {
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<PlanFormValues>();
  const [error, setError] = useState<string | null>(null);
  const save = useSavePlan();
  const requiredHours = Form.useWatch('requiredHours', form);

  const close = () => {
    if (save.isPending) return;
    if (!form.isFieldsTouched()) {
      onClose();
      return;
    }
    modal.confirm({
      title: '放弃未保存的修改？',
      content: '关闭后，本次填写的内容不会保存。',
      okText: '放弃修改',
      okButtonProps: { danger: true },
      cancelText: '继续编辑',
      focusable: { autoFocusButton: 'cancel' },
      onOk: onClose,
    });
  };

  const submit = async (values: PlanFormValues) => {
    setError(null);
    try {
      await save.mutateAsync({ id: plan?.id ?? null, input: toInput(values) });
      message.success(plan ? '学习计划已保存' : '已新增学习计划');
      onClose();
    } catch (err) {
      if (!isUnauthenticated(err)) setError(showSaveError(err, form));
    }
  };

  return (
    <Drawer
      open={open}
      title={plan ? '编辑学习计划' : '新增学习计划'}
      size={760}
      destroyOnHidden
      onClose={close}
      mask={{ closable: !save.isPending }}
      footer={
        <div className="cpe-plan-editor-footer">
          <Button onClick={close} disabled={save.isPending}>
            取消
          </Button>
          {/* Not a submit button: Enter confirms a date in the sale-period picker and must not save the plan. */}
          <Button type="primary" onClick={() => form.submit()} loading={save.isPending}>
            保存
          </Button>
        </div>
      }
    >
      {error && <Alert className="cpe-plan-editor-alert" type="error" showIcon title={error} />}
      <Form<PlanFormValues>
        form={form}
        name="training-plan"
        layout="vertical"
        initialValues={initialValues(plan)}
        onFinish={submit}
        scrollToFirstError={{ block: 'center', behavior: 'smooth' }}
        disabled={save.isPending}
      >
        <Form.Item label="计划名称" name="name" rules={[zodRule(SHAPE.name)]}>
          <Input maxLength={100} showCount placeholder="例：重庆市2026年专技人员继续教育公需科目培训" autoFocus />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={8}>
            <Form.Item label="年度" name="year" rules={[zodRule(SHAPE.year, '请输入年度')]}>
              <InputNumber min={2000} max={2100} precision={0} className="cpe-plan-number" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item
              label="价格（元）"
              name="priceYuan"
              extra={plan ? '修改价格不影响已下单的订单' : undefined}
              rules={[
                {
                  required: true,
                  validator: async (_rule, v: number | null | undefined) => {
                    const msg = zodMessage(SHAPE.priceFen, typeof v === 'number' ? yuanToFen(v) : undefined);
                    if (msg) throw new Error(msg);
                  },
                },
              ]}
            >
              <InputNumber min={0} max={100000} precision={2} prefix="¥" className="cpe-plan-number" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={8}>
            <Form.Item label="要求学时" name="requiredHours" rules={[zodRule(SHAPE.requiredHours)]}>
              <InputNumber min={1} max={500} precision={0} suffix="学时" className="cpe-plan-number" />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          label="销售期"
          name="saleRange"
          extra="已发布的计划在销售期内可以在门户购买。"
          rules={[
            {
              required: true,
              validator: async (_rule, v: PlanFormValues['saleRange']) => {
                if (!v?.[0]) throw new Error('请选择开售时间');
                if (!v[1]) throw new Error('请选择停售时间');
                if (!v[1].isAfter(v[0])) throw new Error('停售时间应晚于开售时间');
              },
            },
          ]}
        >
          <DatePicker.RangePicker
            showTime={{ defaultOpenValue: [dayjs('00:00:00', 'HH:mm:ss'), dayjs('23:59:59', 'HH:mm:ss')] }}
            format={TIME_FORMAT}
            placeholder={['开售时间', '停售时间']}
            className="cpe-plan-range"
          />
        </Form.Item>
        <Form.Item label="封面图片" name="coverFileId" extra="JPG、PNG 格式，不超过5M。">
          <CoverUpload />
        </Form.Item>
        <Form.Item label="说明" name="description">
          <Input.TextArea
            maxLength={5000}
            showCount
            autoSize={{ minRows: 3, maxRows: 8 }}
            placeholder="学习要求、证书发放等说明"
          />
        </Form.Item>
        <Form.Item label="课程" name="courseIds" extra="从课程管理中选择课程；发布时所选课程的学时合计须达到要求学时。">
          <CourseList requiredHours={requiredHours} initial={plan?.courses ?? []} />
        </Form.Item>
        <Form.Item
          label="发布"
          name="published"
          valuePropName="checked"
          extra="发布后门户可见，在销售期内可以购买；下架后不能再下单，已下单的订单不受影响。"
        >
          <Switch checkedChildren="已发布" unCheckedChildren="未发布" />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
