import { Alert, App, Breadcrumb, Button, Descriptions, Form, Radio, Result } from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { errorCode } from '../../../shared/api/client';
import { useShowApiError } from '../../../shared/api/form-errors';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useMe, useSite } from '../../identity/api';
import { useCreateOrder, useOrder, usePlan } from '../api';
import { LoadError, Money, PurchaseSteps, StudyButton } from '../components/common';
import { InvoiceNotes, InvoiceTitleFields, invoiceTitleOf } from '../components/InvoiceFields';
import { formatFen } from '../format';
import type { InvoiceChoice, InvoiceTitleInput } from '../types';
import '../purchase.css';

interface Values {
  invoice: { mode: 'now' | 'later'; title?: Partial<InvoiceTitleInput> };
}

/** 提交订单 (个人购买, login required): the plan, the buyer, the 发票 choice; then the order's payment step. */
export function OrderSubmitPage() {
  const { id = '' } = useParams();
  const site = useSite().data;
  usePageTitle('提交订单', site?.name);
  const me = useMe().data;
  const plan = usePlan(id, true);
  const create = useCreateOrder();
  const [form] = Form.useForm<Values>();
  const mode = Form.useWatch(['invoice', 'mode'], form);
  const showError = useShowApiError();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const openOrderId = plan.data?.mine?.openOrderId ?? null;
  const openOrder = useOrder(openOrderId ?? '', Boolean(openOrderId));
  const othersOrder = errorCode(openOrder.error) === 'ORDER_FORBIDDEN';

  const crumbs = (
    <Breadcrumb
      className="cpe-buy-breadcrumb"
      items={[
        { title: <Link to="/">首页</Link> },
        { title: <Link to="/gxkm">公需科目</Link> },
        { title: plan.data ? <Link to={`/gxkm/plans/${id}`}>{plan.data.name}</Link> : '项目购买' },
        { title: '提交订单' },
      ]}
    />
  );

  if (plan.isPending || !me) return <PageSpin />;
  if (plan.isError)
    return (
      <div className="cpe-buy-page">
        {crumbs}
        <LoadError error={plan.error} onRetry={() => plan.refetch()} />
      </div>
    );
  const p = plan.data;
  const back = (
    <Button size="large" onClick={() => navigate(`/gxkm/plans/${p.id}`)}>
      返回项目
    </Button>
  );

  if (p.mine?.enrolled)
    return (
      <div className="cpe-buy-page">
        {crumbs}
        <div className="cpe-buy-panel">
          <Result
            status="success"
            title="您已购买该培训项目"
            subTitle={p.name}
            extra={
              <div className="cpe-buy-result-actions">
                <StudyButton planId={p.id} size="large" />
                <Button size="large" onClick={() => navigate('/orders')}>
                  我的订单
                </Button>
              </div>
            }
          />
        </div>
      </div>
    );
  if (!p.onSale)
    return (
      <div className="cpe-buy-page">
        {crumbs}
        <div className="cpe-buy-panel">
          <Result status="warning" title="该培训项目当前不在销售期" subTitle={p.name} extra={back} />
        </div>
      </div>
    );

  const onFinish = async (v: Values) => {
    const invoice: InvoiceChoice =
      v.invoice.mode === 'now' ? { mode: 'now', title: invoiceTitleOf(v.invoice.title) } : { mode: 'later' };
    setBusy(true);
    try {
      const order = await create.mutateAsync({ planId: p.id, invoice });
      // The server answers with the pending order that already includes the person, which may be a 团购
      // placed by someone else (their unit): that one is the buyer's to pay, not theirs.
      if (order.kind === 'group') {
        message.warning('您已被列入他人提交的团购订单，待购买人完成支付后即可学习');
        navigate(`/gxkm/plans/${p.id}`);
        return;
      }
      message.success('订单已提交，请选择支付方式完成支付');
      navigate(`/orders/${order.id}`);
    } catch (err) {
      showError(err, form);
      const code = errorCode(err);
      if (code === 'ALREADY_ENROLLED' || code === 'PLAN_NOT_ON_SALE') void plan.refetch();
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cpe-buy-page">
      {crumbs}
      <div className="cpe-buy-panel">
        <h1 className="cpe-buy-title is-center">提交订单</h1>
        <PurchaseSteps current={1} />
        {openOrderId && othersOrder && (
          <Alert
            className="cpe-buy-alert"
            type="warning"
            showIcon
            title="您已被列入他人提交的团购订单"
            description="待购买人完成支付后即可学习，无需再次购买；如该订单被取消或过期，可在此个人购买。"
          />
        )}
        {me.realNameStatus !== 'verified' && (
          <Alert
            className="cpe-buy-alert"
            type="warning"
            showIcon
            title="实名审核通过后才能购买和学习"
            description={
              me.realNameStatus === 'pending'
                ? '您的证件照片正在等待工作人员人工审核，审核通过后即可购买。'
                : '您的实名审核未通过，请在个人中心查看原因并重新提交。'
            }
            action={
              <Button size="small" onClick={() => navigate('/me#realname')}>
                查看
              </Button>
            }
          />
        )}
        {openOrderId && !othersOrder && (
          <Alert
            className="cpe-buy-alert"
            type="warning"
            showIcon
            title="您已有该项目的待支付订单"
            description="再次提交将返回该订单，不会重复下单。"
            action={
              <Button size="small" type="primary" onClick={() => navigate(`/orders/${openOrderId}`)}>
                去支付
              </Button>
            }
          />
        )}
        <h2 className="cpe-buy-section-title">购买项目</h2>
        <Descriptions
          bordered
          size="middle"
          column={{ xs: 1, sm: 1, md: 2 }}
          styles={{ label: { width: 120 } }}
          items={[
            { key: 'plan', label: '培训项目', children: p.name, span: 'filled' },
            { key: 'kind', label: '购买方式', children: '个人购买' },
            { key: 'hours', label: '要求学时', children: `${p.requiredHours} 学时` },
            { key: 'price', label: '单价', children: <Money fen={p.priceFen} /> },
            { key: 'qty', label: '数量', children: '1' },
          ]}
        />
        <h2 className="cpe-buy-section-title">购买人</h2>
        <Descriptions
          bordered
          size="middle"
          column={{ xs: 1, sm: 1, md: 2 }}
          styles={{ label: { width: 120 } }}
          items={[
            { key: 'name', label: '姓名', children: me.realName },
            { key: 'id', label: '证件号码', children: me.idNumberMasked },
          ]}
        />
        <h2 className="cpe-buy-section-title">发票</h2>
        <Form
          form={form}
          name="order"
          layout="horizontal"
          labelCol={{ sm: { span: 6 }, md: { span: 4 } }}
          wrapperCol={{ sm: { span: 16 }, md: { span: 12 } }}
          className="cpe-buy-form"
          initialValues={{ invoice: { mode: 'now', title: { titleType: 'personal', title: me.realName } } }}
          onFinish={onFinish}
          scrollToFirstError={{ block: 'center', behavior: 'smooth' }}
        >
          <Form.Item label="申请发票" name={['invoice', 'mode']} rules={[{ required: true, message: '请选择发票' }]}>
            <Radio.Group>
              <Radio value="now">立即申请</Radio>
              <Radio value="later">以后申请</Radio>
            </Radio.Group>
          </Form.Item>
          {mode === 'later' ? (
            <Form.Item wrapperCol={{ sm: { offset: 6, span: 16 }, md: { offset: 4, span: 16 } }}>
              <p className="cpe-buy-form-hint">缴费成功后，可在“我的发票”对应订单处点击“申请开票”补开发票。</p>
            </Form.Item>
          ) : (
            <InvoiceTitleFields form={form} prefix={['invoice', 'title']} personalName={me.realName} />
          )}
          <InvoiceNotes />
          <div className="cpe-buy-submit-bar">
            <span className="cpe-buy-pay-due">
              应付金额：<span className="cpe-buy-money is-strong is-large">{formatFen(p.priceFen)}</span>
            </span>
            <div className="cpe-buy-submit-buttons">
              {back}
              <Button type="primary" size="large" htmlType="submit" loading={busy} disabled={othersOrder}>
                提交订单
              </Button>
            </div>
          </div>
        </Form>
      </div>
    </div>
  );
}
