import { creditDays, type TCreditReviewItem, zCreditReason } from '@cpe/shared/schemas/credits';
import { Alert, App, Button, Descriptions, Drawer, Form, Grid, Input, Modal } from 'antd';
import { useState } from 'react';
import { isUnauthenticated, toApiError } from '../../../shared/api/client';
import { applyApiError } from '../../../shared/api/form-errors';
import { zodRule } from '../../../shared/form/rules';
import { formatDateTime } from '../../../shared/format';
import { CreditHistory, CreditStatusTag, datesText, EvidenceList } from '../../credits/parts';
import { adminCreditFileUrl, useCreditQueueBase, useDecideCreditClaim } from '../api';
import '../../credits/credits.css';

/** 起止日期 with the days counted: what a 按天折算 standard multiplies. */
const datesWithDays = (item: TCreditReviewItem) => {
  const text = datesText(item);
  if (!text || !item.startedOn || !item.endedOn) return text || '—';
  return `${text}（${creditDays(item.startedOn, item.endedOn)}天）`;
};

/**
 * One 学时登记 as the bureau reviews it: who, what, how many 学时 against the standard, the evidence and the history;
 * 认定 or 退回（不予认定） while it waits for the bureau. `onChange` hands back the entry as the server now has it.
 */
export function CreditClaimDrawer({
  item,
  open,
  onClose,
  onChange,
}: {
  item: TCreditReviewItem | null;
  open: boolean;
  onClose: () => void;
  onChange: (item: TCreditReviewItem) => void;
}) {
  const screens = Grid.useBreakpoint();
  const decide = useDecideCreditClaim();
  const base = useCreditQueueBase();
  const { modal, message } = App.useApp();
  const [returning, setReturning] = useState(false);
  const [form] = Form.useForm<{ reason: string }>();
  const [error, setError] = useState<string | null>(null);

  const fail = (err: unknown) => {
    if (!isUnauthenticated(err)) setError(toApiError(err).message);
  };

  const onRecognise = () => {
    if (!item) return;
    modal.confirm({
      title: '确认认定该学时登记？',
      content: `认定后，${item.hours} 学时将计入 ${item.holderName} ${item.year}年度学时档案（${item.categoryLabel}）。`,
      okText: '认定',
      cancelText: '取消',
      onOk: async () => {
        setError(null);
        try {
          onChange(await decide.mutateAsync({ id: item.id, decision: 'recognise' }));
          message.success('已认定，学时已计入学时档案');
        } catch (err) {
          fail(err);
        }
      },
    });
  };

  const onReturn = async () => {
    if (!item) return;
    const { reason } = await form.validateFields();
    setError(null);
    try {
      onChange(await decide.mutateAsync({ id: item.id, decision: 'return', reason: reason.trim() }));
      message.success('已退回（不予认定），原因已告知本人');
      setReturning(false);
    } catch (err) {
      const rest = applyApiError(err, form);
      if (rest && !isUnauthenticated(err)) {
        setReturning(false);
        setError(rest);
      }
    }
  };

  const close = () => {
    setError(null);
    onClose();
  };

  const over = item?.standardHours != null && item.hours > item.standardHours;

  return (
    <Drawer
      title="学时登记详情"
      open={open}
      onClose={close}
      size={screens.md === false ? '100%' : 720}
      footer={
        item?.status === 'pending-bureau' ? (
          <div className="cpe-ca-actions">
            <Button danger onClick={() => setReturning(true)} disabled={decide.isPending}>
              退回（不予认定）
            </Button>
            <Button type="primary" onClick={onRecognise} loading={decide.isPending}>
              认定
            </Button>
          </div>
        ) : null
      }
    >
      {error && <Alert type="error" showIcon title={error} className="cpe-ca-alert" />}
      {item && (
        <>
          <Descriptions
            size="small"
            bordered
            column={{ xs: 1, sm: 2 }}
            className="cpe-ca-descriptions"
            items={[
              { key: 'name', label: '姓名', children: item.holderName },
              { key: 'id', label: '证件号码', children: item.idNumberMasked },
              { key: 'unit', label: '工作单位', children: item.unitName ?? '—', span: 'filled' },
              { key: 'year', label: '年度', children: `${item.year}年` },
              { key: 'category', label: '类别', children: item.categoryLabel },
              { key: 'form', label: '学习形式', children: item.form },
              { key: 'source', label: '来源', children: item.sourceLabel },
              { key: 'title', label: '项目名称', children: item.title, span: 'filled' },
              { key: 'host', label: '主办单位', children: item.host ?? '—', span: 'filled' },
              { key: 'dates', label: '起止日期', children: datesWithDays(item), span: 'filled' },
              {
                key: 'hours',
                label: '申报学时',
                children: (
                  <span className={over ? 'cpe-ca-over' : undefined}>
                    {item.hours} 学时
                    {item.standardHours != null && (
                      <span className="cpe-muted">（折算标准最多 {item.standardHours} 学时）</span>
                    )}
                  </span>
                ),
                span: 'filled',
              },
              { key: 'createdAt', label: '提交时间', children: formatDateTime(item.createdAt) },
              { key: 'status', label: '状态', children: <CreditStatusTag status={item.status} /> },
              ...(item.reason
                ? [{ key: 'reason', label: '不予认定原因', children: item.reason, span: 'filled' as const }]
                : []),
            ]}
          />
          <h3 className="cpe-ca-section-title">学习内容</h3>
          <p className="cpe-ca-content">{item.content || '—'}</p>
          <h3 className="cpe-ca-section-title">证明材料</h3>
          <EvidenceList files={item.evidence} urlOf={(fileId) => adminCreditFileUrl(base, item.id, fileId)} inline />
          <h3 className="cpe-ca-section-title">处理记录</h3>
          <CreditHistory events={item.events} />
        </>
      )}
      <Modal
        title="退回（不予认定）"
        open={returning}
        okText="确认退回"
        okButtonProps={{ danger: true, loading: decide.isPending }}
        cancelText="取消"
        onOk={onReturn}
        onCancel={() => setReturning(false)}
        afterClose={() => form.resetFields()}
        forceRender
      >
        <Form form={form} layout="vertical" name="creditReturn">
          <Form.Item label="不予认定原因" name="reason" rules={[zodRule(zCreditReason, '请填写不予认定原因')]}>
            <Input.TextArea
              rows={4}
              maxLength={200}
              showCount
              placeholder="请说明不予认定的原因（2—200个字），本人可在学时档案中看到"
            />
          </Form.Item>
        </Form>
      </Modal>
    </Drawer>
  );
}
