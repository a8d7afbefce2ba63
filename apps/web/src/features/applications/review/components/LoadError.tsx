import { Button, Result } from 'antd';
import { errorCode, isUnauthenticated, toApiError } from '../../../../shared/api/client';

/**
 * A failed load as a state of the page: district and other staff get the 403 of 项目审核管理 explained,
 * a missing record its 404, anything else a retry.
 */
export function LoadError({
  error,
  onRetry,
  forbiddenText,
}: {
  error: unknown;
  onRetry: () => void;
  /** What a 403 says; by default the server's own message (仅主管部门的单位管理员可以审核 …). */
  forbiddenText?: string;
}) {
  const code = errorCode(error);
  if (code === 'APPLICATION_REVIEWER_FORBIDDEN')
    return (
      <Result
        status="403"
        title="无权访问"
        subTitle={forbiddenText ?? (toApiError(error).message || '您没有审核该申报书的权限。')}
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
