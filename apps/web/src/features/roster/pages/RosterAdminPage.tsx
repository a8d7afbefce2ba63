import { Breadcrumb } from 'antd';
import { Link } from 'react-router';
import { usePageTitle } from '../../../shared/usePageTitle';
import { useSite } from '../../identity/api';
import { RosterWorkspace } from '../components/RosterWorkspace';

/** 公需科目 › 学员注册名单 (console, 培训中心运营 and 系统管理员): rosters received by e-mail, every import. */
export function RosterAdminPage() {
  const site = useSite().data;
  usePageTitle('学员注册名单', site?.staffConsoleName);
  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '公需科目' }, { title: '学员注册名单' }]}
      />
      <div className="cpe-console-panel">
        <h2 className="cpe-roster-title">学员注册名单</h2>
        <RosterWorkspace scope="console" />
      </div>
    </div>
  );
}
