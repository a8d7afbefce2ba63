import { Button, Result } from 'antd';
import { Link } from 'react-router';
import { useSite } from '../features/identity/api';
import { usePageTitle } from '../shared/usePageTitle';

export function NotFoundPage() {
  usePageTitle('页面不存在', useSite().data?.name);
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="您访问的页面不存在或已被移除。"
      extra={
        <Link to="/">
          <Button type="primary">返回首页</Button>
        </Link>
      }
    />
  );
}
