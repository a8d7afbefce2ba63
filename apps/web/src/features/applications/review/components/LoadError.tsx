import { Button, Result } from 'antd';
import { errorCode, isUnauthenticated, toApiError } from '../../../../shared/api/client';

/**
 * A failed load as a state of the page: district and other staff get the 403 of 项目审核管理 explained,
 * a missing record its 404, anything else a retry.
 */
export function LoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const code = errorCode(error);
  if (code === 'APPLICATION_REVIEWER_FORBIDDEN')
    return (
      <Result
        status="403"
        title="无权访问"
        subTitle="仅市人社局审核人员可以审核市级高级研修项目申报书、管理申报批次和查看统计。"
      />
    );
  if (code === 'NOT_FOUND')
    return <Result status="404" title="申报书不存在" subTitle="该申报书可能尚未提交或已被删除。" />;
  return (
    <Result
      status="error"
      title="加载失败"
      subTitle={isUnauthenticated(error) ? '登录已过期，请重新登录' : toApiError(error).message}
      extra={<Button onClick={onRetry}>重试</Button>}
    />
  );
}
