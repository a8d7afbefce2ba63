import { PlayCircleOutlined } from '@ant-design/icons';
import { Button, Result } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { toApiError } from '../../../shared/api/client';

/** A load failure as a page state: not enrolled and not found get their own words and a way on. */
export function StudyLoadError({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const e = toApiError(error);
  if (e.code === 'STUDY_NOT_ENROLLED')
    return (
      <Result
        status="403"
        title="尚未购买该学习计划"
        subTitle="购买成功后即可在“课程培训”中进入学习。"
        extra={
          <Link to="/gxkm">
            <Button type="primary">去公需科目购买</Button>
          </Link>
        }
      />
    );
  if (e.status === 404)
    return (
      <Result
        status="404"
        title={e.message || '内容不存在'}
        extra={
          <Link to="/study">
            <Button>返回课程培训</Button>
          </Link>
        }
      />
    );
  return (
    <Result status="error" title="加载失败" subTitle={e.message} extra={<Button onClick={onRetry}>重试</Button>} />
  );
}

/** A course's picture: drawn from its title (the catalogue's covers are for the console). */
export function CourseCover({ title, hours, children }: { title: string; hours: number; children?: ReactNode }) {
  let hash = 0;
  for (const ch of title) hash = (hash * 31 + (ch.codePointAt(0) ?? 0)) >>> 0;
  const hue = [210, 190, 160, 25, 265, 340][hash % 6];
  return (
    <div
      className="cpe-study-cover"
      style={{ background: `linear-gradient(135deg, hsl(${hue} 62% 40%), hsl(${(hue ?? 0) + 30} 58% 55%))` }}
      role="img"
      aria-label={`${title}封面`}
    >
      <PlayCircleOutlined className="cpe-study-cover-icon" />
      <span className="cpe-study-cover-title">{title}</span>
      <span className="cpe-study-cover-hours">{hours} 学时</span>
      {children}
    </div>
  );
}

/** 12:34 or 1:02:03. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}
