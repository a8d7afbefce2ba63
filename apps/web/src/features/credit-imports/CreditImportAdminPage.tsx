import { Breadcrumb } from 'antd';
import { Link } from 'react-router';
import { usePageTitle } from '../../shared/usePageTitle';
import { useSite } from '../identity/api';
import { CreditImportWorkspace } from './CreditImportWorkspace';

/** 学时管理 › 学时批量导入 (console, 培训中心运营 and 系统管理员): imports become 已认定; every import is listed. */
export function CreditImportAdminPage() {
  const site = useSite().data;
  usePageTitle('学时批量导入', site?.staffConsoleName);
  return (
    <div className="cpe-console-page">
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={[{ title: <Link to="/">首页</Link> }, { title: '学时管理' }, { title: '学时批量导入' }]}
      />
      <div className="cpe-console-panel">
        <h2 className="cpe-ci-title">学时批量导入</h2>
        <CreditImportWorkspace scope="console" />
      </div>
    </div>
  );
}
