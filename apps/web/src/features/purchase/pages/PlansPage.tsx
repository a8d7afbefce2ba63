import { CalendarOutlined, CheckCircleFilled, ReadOutlined } from '@ant-design/icons';
import { Breadcrumb, Button, Empty, Tag } from 'antd';
import { Link, useNavigate } from 'react-router';
import { PageSpin } from '../../../shared/PageSpin';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useMe, useSite } from '../../identity/api';
import { usePlanStandings, usePlans } from '../api';
import { LoadError, Money } from '../components/common';
import { PlanCover } from '../components/PlanCover';
import { formatSalePeriod } from '../format';
import type { Plan, PlanStanding } from '../types';
import '../purchase.css';

/** Not on sale: before the sale period opens, or after it ended. */
function offSaleLabel(plan: Plan): string {
  return Date.now() < new Date(plan.saleFrom).getTime() ? '尚未开售' : '已停售';
}

function PlanCard({ plan, standing }: { plan: Plan; standing: PlanStanding | undefined }) {
  const to = `/gxkm/plans/${plan.id}`;
  const navigate = useNavigate();
  let action = (
    <Button type="primary" className="cpe-buy-card-action" onClick={() => navigate(to)}>
      立即购买
    </Button>
  );
  if (standing?.enrolled)
    // Bought for oneself; a unit's contact person may still buy it for others (团体购买).
    action = (
      <span className="cpe-buy-card-done">
        <Tag icon={<CheckCircleFilled />} color="success" className="cpe-buy-card-tag">
          已购买
        </Tag>
        <Button type="link" size="small" onClick={() => navigate(`${to}/group`)}>
          团体购买
        </Button>
      </span>
    );
  else if (standing?.openOrderId)
    action = (
      <Button className="cpe-buy-card-action" onClick={() => navigate(`/orders/${standing.openOrderId}`)}>
        去支付
      </Button>
    );
  else if (!plan.onSale)
    action = (
      <Button disabled className="cpe-buy-card-action">
        {offSaleLabel(plan)}
      </Button>
    );

  return (
    <article className="cpe-buy-card" data-plan-id={plan.id}>
      <Link to={to} className="cpe-buy-card-cover" tabIndex={-1} aria-hidden="true">
        <PlanCover plan={plan} />
      </Link>
      <div className="cpe-buy-card-body">
        <h2 className="cpe-buy-card-name">
          <Link to={to}>{plan.name}</Link>
        </h2>
        <ul className="cpe-buy-card-facts">
          <li>
            <ReadOutlined /> 要求学时 {plan.requiredHours} 学时 · 共 {plan.courses.length} 门课程
          </li>
          <li>
            <CalendarOutlined /> 销售期 {formatSalePeriod(plan.saleFrom, plan.saleTo)}
          </li>
        </ul>
        <div className="cpe-buy-card-foot">
          <Money fen={plan.priceFen} strong />
          {action}
        </div>
      </div>
    </article>
  );
}

/** 在线学习中心 › 公需科目 (public): the published plans to buy. */
export function PlansPage() {
  const site = useSite().data;
  const me = useMe().data;
  usePageTitle('公需科目', site?.name);
  const plans = usePlans();
  const items = plans.data?.items ?? [];
  const standings = usePlanStandings(
    items.map((p) => p.id),
    Boolean(me),
  );

  return (
    <div className="cpe-buy-page">
      <Breadcrumb
        className="cpe-buy-breadcrumb"
        items={[{ title: <Link to="/">首页</Link> }, { title: '在线学习中心' }, { title: '公需科目' }]}
      />
      <header className="cpe-buy-hero">
        <div>
          <h1 className="cpe-buy-title">公需科目</h1>
          <p className="cpe-buy-lead">
            专业技术人员继续教育公需科目网络学习平台。选择培训项目，点击“立即购买”进入项目购买页面，可个人购买，也可由单位专人团体购买。
          </p>
        </div>
      </header>
      {plans.isPending ? (
        <PageSpin />
      ) : plans.isError ? (
        <LoadError error={plans.error} onRetry={() => plans.refetch()} />
      ) : items.length === 0 ? (
        <div className="cpe-buy-panel">
          <Empty description="暂无可购买的培训项目，请稍后再来" />
        </div>
      ) : (
        <div className="cpe-buy-cards">
          {items.map((p) => (
            <PlanCard key={p.id} plan={p} standing={standings.get(p.id)} />
          ))}
        </div>
      )}
    </div>
  );
}
