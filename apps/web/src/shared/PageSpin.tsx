import { Spin } from 'antd';

export function PageSpin() {
  return (
    <div className="cpe-page-spin">
      <Spin size="large" />
    </div>
  );
}
