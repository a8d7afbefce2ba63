import { UNIT_APPLICATION_KIND_LABELS, unitApplicationStatusLabel } from '@cpe/shared/schemas/units';
import {
  Alert,
  App,
  Button,
  Drawer,
  Form,
  type FormInstance,
  Grid,
  Input,
  Modal,
  Popconfirm,
  Result,
  Skeleton,
  Space,
} from 'antd';
import { useState } from 'react';
import { errorCode, isUnauthenticated, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { formatDateTime } from '../../../shared/format';
import { reviewFileUrl, useDecideUnitReview, useUnitReview } from '../api';
import type { AppVariant, UnitApplication, UnitApplicationStatus } from '../types';
import { ReviewHistory } from './ReviewHistory';
import { KindTag, StatusTag } from './StatusTag';
import { UnitDataView } from './UnitDataView';

/** The staff console says 待审核 (§3.2); the portal keeps the shared 待主管部门审核 (the export says the same). */
export function statusLabel(variant: AppVariant, status: UnitApplicationStatus): string {
  return unitApplicationStatusLabel(status, variant);
}

const APPROVE_NOTE: Record<UnitApplication['kind'], string> = {
  register: '通过后，该单位注册生效，申请人成为该单位的管理员。',
  'change-info': '通过后，单位信息将更新为本次提交的内容。',
  'change-admin': '通过后，申请人将成为该单位的管理员，原管理员不再管理该单位。',
};

const KIND_NOTE: Partial<Record<UnitApplication['kind'], string>> = {
  'change-info': '单位信息修改：以下为修改后的单位资料，审核通过前原信息继续有效。',
  'change-admin': '变更管理员：申请人申请成为该单位的管理员，以下为该单位资料及新的单位授权书。',
};

/** 审核不通过 needs its 原因, asked for in a dialog of its own. */
function RejectModal({
  open,
  busy,
  onCancel,
  onReject,
}: {
  open: boolean;
  busy: boolean;
  onCancel: () => void;
  onReject: (reason: string, form: FormInstance<{ reason: string }>) => Promise<void>;
}) {
  const [form] = Form.useForm<{ reason: string }>();
  const ok = async () => {
    let values: { reason: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    await onReject(values.reason.trim(), form);
  };
  return (
    <Modal
      open={open}
      title="审核不通过"
      okText="确认不通过"
      okButtonProps={{ danger: true, loading: busy }}
      cancelButtonProps={{ disabled: busy }}
      onOk={ok}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" name="unitReject">
        <Form.Item
          label="原因"
          name="reason"
          rules={[
            { required: true, whitespace: true, message: '审核不通过时请填写原因' },
            { max: 500, message: '审核意见不能超过500字' },
          ]}
          extra="原因将告知申请人，申请人可据此修改后重新提交。"
        >
          <Input.TextArea
            maxLength={500}
            showCount
            autoSize={{ minRows: 4, maxRows: 8 }}
            placeholder="请填写审核不通过的原因，如：营业执照不清晰、单位授权书未盖章等"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/**
 * One application for its reviewer: every field, the documents inline, the 审核记录, and (pending) the
 * decision. Used by the console's 单位注册审核 and the portal's 单位中心 alike.
 */
export function UnitReviewDetail({
  id,
  variant,
  onDecided,
}: {
  id: string;
  variant: AppVariant;
  /** After 审核通过 / 审核不通过 (the drawer closes). */
  onDecided?: () => void;
}) {
  const detail = useUnitReview(id);
  if (detail.isPending) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (detail.isError) {
    const code = errorCode(detail.error);
    if (code === 'UNIT_REVIEW_FORBIDDEN' || code === 'FORBIDDEN')
      return <Result status="403" title="该申请不属于您的审核范围" subTitle="您只能查看和审核报送至本单位的申请。" />;
    if (code === 'NOT_FOUND') return <Result status="404" title="申请不存在" subTitle="该申请可能已被撤回或删除" />;
    return (
      <Result
        status="error"
        title="加载失败"
        subTitle={isUnauthenticated(detail.error) ? '登录已过期，请重新登录' : toApiError(detail.error).message}
        extra={<Button onClick={() => detail.refetch()}>重试</Button>}
      />
    );
  }
  return <ReviewRecord application={detail.data} variant={variant} onDecided={onDecided} />;
}

function ReviewRecord({
  application: a,
  variant,
  onDecided,
}: {
  application: UnitApplication;
  variant: AppVariant;
  onDecided?: () => void;
}) {
  const { message } = App.useApp();
  const decide = useDecideUnitReview();
  const [rejecting, setRejecting] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pending = a.status === 'pending';

  const run = async (decision: 'approve' | 'reject', reason: string) => {
    setError(null);
    try {
      await decide.mutateAsync({ id: a.id, decision, reason });
      message.success(decision === 'approve' ? '已审核通过' : '已审核不通过，申请人可修改后重新提交');
      setRejecting(false);
      onDecided?.();
      return null;
    } catch (err) {
      if (isUnauthenticated(err)) return null;
      const code = errorCode(err);
      if (code === 'UNIT_APPLICATION_STATE') message.info('该申请已被处理，已为您刷新');
      return err;
    }
  };

  return (
    <div className="cpe-unit-review">
      <div className="cpe-unit-review-head">
        <Space wrap size={[8, 4]}>
          <StatusTag status={a.status} label={statusLabel(variant, a.status)} />
          <KindTag kind={a.kind} />
          {a.round > 1 && <span className="cpe-muted">第{a.round}次提交</span>}
          <span className="cpe-muted">申请时间：{formatDateTime(a.submittedAt)}</span>
        </Space>
      </div>
      {KIND_NOTE[a.kind] && <Alert className="cpe-unit-alert" type="info" showIcon title={KIND_NOTE[a.kind]} />}
      {a.data.usccManualCheck && (
        <Alert
          className="cpe-unit-alert"
          type="warning"
          showIcon
          title="代码校验未通过，申请人工核验"
          description="该统一社会信用代码的校验位未通过校验，申请人申请人工核验，请对照营业执照核实代码。"
        />
      )}
      {a.status === 'rejected' && (
        <Alert
          className="cpe-unit-alert"
          type="error"
          showIcon
          title="审核未通过"
          description={`原因：${a.reason ?? ''}`}
        />
      )}
      {a.status === 'approved' && (
        <Alert
          className="cpe-unit-alert"
          type="success"
          showIcon
          title={`审核通过（${formatDateTime(a.reviewedAt)}）`}
          description={a.reason ? `审核意见：${a.reason}` : undefined}
        />
      )}
      {error && <Alert className="cpe-unit-alert" type="error" showIcon title={error} />}
      <UnitDataView
        data={a.data}
        reviewerName={a.reviewerName}
        fileUrl={(fileId) => reviewFileUrl(a.id, fileId)}
        inlinePdf
        size="small"
        columns={1}
        before={[
          { key: 'kind', label: '申请类型', children: UNIT_APPLICATION_KIND_LABELS[a.kind] },
          { key: 'applicant', label: '申请人', children: a.applicantName },
          {
            key: 'phone',
            label: '手机号',
            children: a.applicantPhoneMasked ?? <span className="cpe-muted">未绑定</span>,
          },
        ]}
      />
      <ReviewHistory events={a.events} />
      {pending && (
        <div className="cpe-unit-review-actions">
          <Popconfirm
            title="确认审核通过？"
            description={APPROVE_NOTE[a.kind]}
            // From the button rightwards, within the drawer: centred on it, the box reached the window's edge.
            placement="topLeft"
            styles={{ root: { maxWidth: 400 } }}
            okText="审核通过"
            cancelText="取消"
            onConfirm={async () => {
              const err = await run('approve', '');
              if (err) setError(toApiError(err).message);
            }}
          >
            <Button type="primary" loading={decide.isPending && !rejecting} disabled={decide.isPending}>
              审核通过
            </Button>
          </Popconfirm>
          <Button danger disabled={decide.isPending} onClick={() => setRejecting(true)}>
            审核不通过
          </Button>
        </div>
      )}
      <RejectModal
        open={rejecting}
        busy={decide.isPending}
        onCancel={() => setRejecting(false)}
        onReject={async (reason, form) => {
          const err = await run('reject', reason);
          if (err) {
            const rest = applyApiError(err, form);
            if (rest) message.error(rest);
          }
        }}
      />
    </div>
  );
}

/** The detail in a drawer over the list (full width on a phone). */
export function UnitReviewDrawer({
  id,
  variant,
  onClose,
}: {
  id: string | null;
  variant: AppVariant;
  onClose: () => void;
}) {
  const screens = Grid.useBreakpoint();
  const detail = useUnitReview(id);
  const pending = detail.data?.status === 'pending';
  return (
    <Drawer
      open={id !== null}
      onClose={onClose}
      title={pending ? '审核单位注册申请' : '单位注册申请详情'}
      size={screens.md ? 760 : '100%'}
      destroyOnHidden
    >
      {id && <UnitReviewDetail key={id} id={id} variant={variant} onDecided={onClose} />}
    </Drawer>
  );
}
