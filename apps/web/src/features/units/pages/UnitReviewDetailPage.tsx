import { ArrowLeftOutlined } from '@ant-design/icons';
import { Breadcrumb, Button } from 'antd';
import { Link, useNavigate, useParams } from 'react-router';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { UnitReviewDetail } from '../components/UnitReviewDetail';
import '../units.css';

/**
 * One application on a page of its own (console route /unit-reviews/:id), for links from elsewhere; the
 * list itself opens the same detail in a drawer (/unit-reviews?id=…).
 */
export function UnitReviewDetailPage() {
  const site = useSite().data;
  usePageTitle('单位注册审核', site?.staffConsoleName);
  const { id = '' } = useParams();
  const navigate = useNavigate();
  return (
    <div className="cpe-console-page">
      <Breadcrumb
        className="cpe-unit-breadcrumb"
        items={[
          { title: <Link to="/">首页</Link> },
          { title: <Link to="/unit-reviews">单位注册审核</Link> },
          { title: '申请详情' },
        ]}
      />
      <div className="cpe-console-panel cpe-unit-console-panel cpe-unit-detail-page">
        <Button className="cpe-unit-back" icon={<ArrowLeftOutlined />} onClick={() => navigate('/unit-reviews')}>
          返回列表
        </Button>
        <UnitReviewDetail key={id} id={id} variant="console" onDecided={() => navigate('/unit-reviews')} />
      </div>
    </div>
  );
}
