import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { ReviewDetailPage } from './ReviewDetailPage';
import { ReviewListPage } from './ReviewListPage';
import { reviewTypeView } from './review-types';

/**
 * 继续教育基地审核 / 工程师基地审核 in a 主管部门's 单位中心 (portal): the list at `basePath`, a 申报书 at
 * `${basePath}/<id>`. It reads the address itself, so it can sit under any route (`unit-center/*`) without
 * nested route definitions. The same /api/application-reviews routes answer on the portal for a 主管部门's
 * administrator (what its units file, at its step).
 */
export function PortalApplicationReviews({ type, basePath }: { type: string; basePath: string }) {
  const { pathname } = useLocation();
  const base = basePath.replace(/\/+$/, '');
  const rest = pathname.startsWith(base) ? pathname.slice(base.length).replace(/^\/+|\/+$/g, '') : null;
  const title = reviewTypeView(type)?.portalTitle ?? '审核';
  let content: ReactNode;
  if (rest === '' || rest === null) content = <ReviewListPage type={type} basePath={base} variant="portal" />;
  else if (!rest.includes('/'))
    content = <ReviewDetailPage key={rest} type={type} basePath={base} variant="portal" id={rest} />;
  else
    content = (
      <Result
        status="404"
        title="页面不存在"
        extra={
          <Link to={base}>
            <Button type="primary">返回列表</Button>
          </Link>
        }
      />
    );
  return (
    <div className="cpe-ar-portal-reviews" data-review-type={type}>
      <p className="cpe-unit-current">您当前选择的是：{title}</p>
      {content}
    </div>
  );
}

/** The name the 单位中心 may import it by (UnitCenterPage has a local PortalReviews of its own: alias it). */
export { PortalApplicationReviews as PortalReviews };
