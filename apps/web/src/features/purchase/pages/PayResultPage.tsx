import { LoadingOutlined } from '@ant-design/icons';
import { ORDER_STATUS_LABELS, paymentChannelLabel } from '@cpe/shared/labels/purchase';
import { Button, Descriptions, Result } from 'antd';
import { type ReactNode, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { errorCode, toApiError } from '../../../shared/api/client';
import { formatDateTime } from '../../../shared/format';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { syncOrder, useOrderSettled } from '../api';
import { PurchaseSteps, StudyButton } from '../components/common';
import { formatFen } from '../format';
import type { Order } from '../types';
import '../purchase.css';

const POLL_MS = 2000;
const GIVE_UP_MS = 30_000;

type Phase =
  | { kind: 'checking'; order?: Order }
  | { kind: 'done'; order: Order }
  | { kind: 'unpaid'; order: Order }
  | { kind: 'error'; message: string; fatal: boolean };

/**
 * The page the providers send the browser back to. Arriving here proves nothing: the server is asked to ask
 * the provider (POST …/sync), every 2 s for up to 30 s, until the order is paid or closed.
 */
export function PayResultPage() {
  const { id = '' } = useParams();
  const site = useSite().data;
  usePageTitle('支付结果', site?.name);
  const navigate = useNavigate();
  const settled = useOrderSettled();
  const settledRef = useRef(settled);
  settledRef.current = settled;
  const [phase, setPhase] = useState<Phase>({ kind: 'checking' });
  const [round, setRound] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `round` restarts the polling (刷新结果).
  useEffect(() => {
    let live = true;
    let timer: number | undefined;
    const started = Date.now();
    const tick = async () => {
      let next: Phase;
      try {
        const order = await syncOrder(id);
        if (order.status !== 'pending') {
          void settledRef.current(order);
          next = { kind: 'done', order };
        } else next = Date.now() - started >= GIVE_UP_MS ? { kind: 'unpaid', order } : { kind: 'checking', order };
      } catch (err) {
        const code = errorCode(err);
        const fatal = code === 'NOT_FOUND' || code === 'ORDER_FORBIDDEN' || code === 'VALIDATION_FAILED';
        next =
          fatal || Date.now() - started >= GIVE_UP_MS
            ? { kind: 'error', message: toApiError(err).message, fatal }
            : { kind: 'checking' };
      }
      if (!live) return;
      setPhase((prev) => (next.kind === 'checking' && !next.order && prev.kind === 'checking' ? prev : next));
      if (next.kind === 'checking') timer = window.setTimeout(tick, POLL_MS);
    };
    setPhase({ kind: 'checking' });
    void tick();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [id, round]);

  const order = phase.kind === 'error' ? undefined : phase.order;
  const summary = order && (
    <Descriptions
      className="cpe-buy-result-info"
      size="small"
      column={1}
      items={[
        { key: 'no', label: '订单号', children: order.orderNo },
        { key: 'plan', label: '学习计划', children: order.planName },
        { key: 'amount', label: '订单金额', children: formatFen(order.amountFen) },
        ...(order.paidAt
          ? [
              { key: 'paidAt', label: '支付时间', children: formatDateTime(order.paidAt) },
              { key: 'channel', label: '支付方式', children: paymentChannelLabel(order.channel) },
            ]
          : []),
      ]}
    />
  );
  const orderButton = (
    <Button size="large" onClick={() => navigate(`/orders/${id}`)}>
      查看订单
    </Button>
  );

  let content: ReactNode;
  if (phase.kind === 'checking')
    content = (
      <Result
        icon={<LoadingOutlined className="cpe-buy-result-spin" />}
        title="支付处理中…"
        subTitle="正在向支付渠道确认支付结果，请勿关闭页面"
      >
        {summary}
      </Result>
    );
  else if (phase.kind === 'error')
    content = (
      <Result
        status={phase.fatal ? '404' : 'error'}
        title={phase.fatal ? phase.message : '暂时无法获取支付结果'}
        subTitle={phase.fatal ? undefined : `${phase.message}。如您已完成支付，请稍后刷新查看。`}
        extra={
          <div className="cpe-buy-result-actions">
            {!phase.fatal && (
              <Button type="primary" size="large" onClick={() => setRound((r) => r + 1)}>
                刷新结果
              </Button>
            )}
            <Button size="large" onClick={() => navigate('/orders')}>
              我的订单
            </Button>
          </div>
        }
      />
    );
  else if (phase.kind === 'unpaid')
    content = (
      <Result
        status="warning"
        title="未支付"
        subTitle="暂未查询到该订单的支付结果。如您已完成支付，请稍后点击“刷新结果”；如未完成，请重新支付。"
        extra={
          <div className="cpe-buy-result-actions">
            <Button type="primary" size="large" onClick={() => navigate(`/orders/${id}`)}>
              重新支付
            </Button>
            <Button size="large" onClick={() => setRound((r) => r + 1)}>
              刷新结果
            </Button>
          </div>
        }
      >
        {summary}
      </Result>
    );
  else if (phase.order.status === 'paid')
    content = (
      <Result
        status="success"
        title="支付成功"
        subTitle={
          phase.order.kind === 'group'
            ? '名单中的学员已开通学习，学员登录后即可学习。'
            : '您已成功购买该培训项目，点击“进入学习”即可开始学习。'
        }
        extra={
          <div className="cpe-buy-result-actions">
            {phase.order.kind === 'individual' && <StudyButton planId={phase.order.planId} size="large" />}
            {orderButton}
            <Button size="large" onClick={() => navigate('/invoices')}>
              我的发票
            </Button>
          </div>
        }
      >
        {summary}
      </Result>
    );
  else
    content = (
      <Result
        status="warning"
        title={`未支付，订单${ORDER_STATUS_LABELS[phase.order.status]}`}
        subTitle="该订单已关闭，不能继续支付。如需购买请重新下单。"
        extra={
          <div className="cpe-buy-result-actions">
            <Button type="primary" size="large" onClick={() => navigate(`/gxkm/plans/${phase.order.planId}`)}>
              重新下单
            </Button>
            {orderButton}
          </div>
        }
      >
        {summary}
      </Result>
    );

  const paid = phase.kind === 'done' && phase.order.status === 'paid';
  return (
    <div className="cpe-buy-page">
      <div className="cpe-buy-panel cpe-buy-result" aria-live="polite">
        <PurchaseSteps
          current={paid ? 3 : 2}
          status={paid ? 'finish' : phase.kind === 'unpaid' ? 'error' : undefined}
        />
        {content}
      </div>
    </div>
  );
}
