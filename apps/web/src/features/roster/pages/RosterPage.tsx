import { RosterWorkspace } from '../components/RosterWorkspace';

/** 单位中心 › 学员注册名单 (portal, the administrator of an approved unit): the unit's own imports. */
export function RosterPage() {
  return (
    <div className="cpe-unit-center-section">
      <h2 className="cpe-unit-center-title">学员注册名单</h2>
      <RosterWorkspace scope="portal" />
    </div>
  );
}
