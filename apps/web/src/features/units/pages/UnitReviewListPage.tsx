import { Breadcrumb } from 'antd';
import { Link } from 'react-router';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { UnitReviewList } from '../components/UnitReviewList';
import '../units.css';

/** 内网 → 继续教育管理 → 单位注册审核 (route /unit-reviews): the list of the bureau's scope, detail in a drawer. */
export function UnitReviewListPage() {
  const site = useSite().data;
  usePageTitle('单位注册审核', site?.staffConsoleName);
  return (
    <div className="cpe-console-page">
      <Breadcrumb
        className="cpe-unit-breadcrumb"
        items={[{ title: <Link to="/">首页</Link> }, { title: '单位注册审核' }]}
      />
      <div className="cpe-console-panel cpe-unit-console-panel">
        <UnitReviewList variant="console" />
      </div>
    </div>
  );
}
